"""Two reviewers acting on one complaint at the same moment: one step is taken, the other
refused, nothing written twice (PostgreSQL: the row lock is what decides)."""

import pytest
from django_fsm import TransitionNotAllowed

from certification.services import complaints as handling
from monitoring.models import Complaint, ComplaintEvent, ComplaintMessage, State
from tests.certification.test_concurrency import run_at_once
from tests.certification.world import World
from tests.factories import MembershipFactory, UserFactory
from tests.monitoring.helpers import file_complaint

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_closing_one_complaint_at_once_one_wins():
    world = World()
    second = MembershipFactory(user=UserFactory(username="second_reviewer")).user
    complaint, _code = file_complaint()
    handling.complaint_handle(
        actor=world.reviewer, complaint=complaint, name="acknowledge", message="Received."
    )
    names = iter(["substantiate", "not_substantiate"])
    handling.complaint_handle(
        actor=world.reviewer, complaint=complaint, name="investigate", message="Looking."
    )

    def close():
        name = next(names)
        actor = world.reviewer if name == "substantiate" else second
        return handling.complaint_handle(
            actor=actor, complaint=complaint, name=name, message=f"Closed: {name}."
        )

    results, failures = run_at_once(2, close)

    assert len(results) == 1 and len(failures) == 1
    assert isinstance(failures[0], TransitionNotAllowed), failures
    closed = Complaint.objects.get(pk=complaint.pk)
    assert closed.state in (State.SUBSTANTIATED, State.NOT_SUBSTANTIATED)
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 3
    assert ComplaintMessage.objects.filter(complaint=complaint).count() == 3
