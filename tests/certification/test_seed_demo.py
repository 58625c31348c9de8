"""Demo data: one user per role, parties in several countries, cases in seven states reached
through the services; idempotent; DEBUG only."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from certification.models import CertificationCase, TransitionEvent
from certification.selectors import case_replay_state
from recruiters.demo import DEMO_PASSWORD
from recruiters.models import (
    Agency,
    CertificationBody,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    Role,
)

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def everything() -> list:
    User = get_user_model()
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (
            User,
            Agency,
            Corridor,
            Employer,
            CertificationBody,
            Membership,
            ConflictOfInterest,
            CertificationCase,
            TransitionEvent,
        )
    ]


def test_seed_demo_creates_people_parties_and_cases_in_seven_states(settings):
    settings.DEBUG = True

    output = seed()

    users = get_user_model().objects.all()
    assert {"admin", "agency", "auditor", "auditor2", "employer", "reviewer"} <= set(
        users.values_list("username", flat=True)
    )
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert users.get(username="admin").is_superuser
    assert Membership.objects.filter(role=Role.AUDITOR).count() == 2
    assert Membership.objects.filter(role=Role.REVIEWER).count() == 1
    assert Membership.objects.filter(role=Role.EMPLOYER_MEMBER).count() == 1
    assert Agency.objects.values("country").distinct().count() == 7
    assert Employer.objects.count() == 2
    assert ConflictOfInterest.objects.count() == 1
    states = sorted(CertificationCase.objects.values_list("state", flat=True))
    assert states == sorted(
        [
            "draft",
            "submitted",
            "auditing",
            "corrective_action",
            "in_review",
            "certified",
            "suspended",
        ]
    )
    for case in CertificationCase.objects.all():
        assert case_replay_state(case=case) == case.state  # reached by transitions, not written
    assert "http://127.0.0.1:8000/admin/" in output
    assert f"password for every one: {DEMO_PASSWORD}" in output


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = everything()

    output = seed()

    assert everything() == before
    assert output.startswith("Demo data: already present")


def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG=true"):
        seed()

    assert not get_user_model().objects.exists()
