"""Each role's dashboard opens with counts of what waits for them (issue 19), counted
against the data, at the same number of queries for 1 item and for 50."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import CorrectiveAction
from certification import services
from certification.models import WatchedAgency
from tests.api.test_list_queries import agencies_with_cases, fresh_agency
from tests.certification.world import RATIONALE, World
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _dashboard(person):
    client = Client()
    client.force_login(person)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response


def _employer(world):
    return world.employer_member.memberships.get(role="employer_member").employer


def test_an_agency_sees_the_questions_left_and_its_corrective_actions_due():
    world = World()
    draft = world.case_in("draft")
    # a plain answer and a worker-costs one (kept as items, its own value empty)
    services.self_assessment_save_answers(
        actor=world.agency_member, case=draft, answers={"A1-01": "yes", "C1.1-01": []}
    )
    required = draft.standard.questions.filter(required=True).count()
    fresh_agency(world)
    in_action = world.case_in("corrective_action")
    actions = list(CorrectiveAction.objects.filter(finding__audit__case=in_action))
    CorrectiveAction.objects.filter(pk=actions[0].pk).update(
        plan_due=timezone.localdate() - timedelta(days=1)
    )

    numbers = _dashboard(world.agency_member).context["agency_numbers"]

    assert numbers.questions_left == required - 2
    assert numbers.actions_due == len(actions)
    assert numbers.overdue == 1
    assert numbers.next_due == timezone.localdate() - timedelta(days=1)


def test_an_auditor_sees_the_corrective_actions_waiting_after_the_audit_is_completed():
    world = World()
    case = world.case_in("corrective_action")
    for action in CorrectiveAction.objects.filter(finding__audit__case=case):
        services.corrective_action_submit(
            actor=world.agency_member,
            corrective_action=action,
            root_cause="No check in place.",
            action="A check is now made for every worker.",
        )
    waiting = CorrectiveAction.objects.filter(finding__audit__case=case).count()

    page = _dashboard(world.auditor)
    numbers = page.context["auditor_numbers"]

    assert numbers.to_accept == waiting and numbers.to_verify == 0
    assert [a.finding.audit.case_id for a in numbers.waiting] == [case.pk] * waiting
    html = page.content.decode()
    assert "No open audit." in html  # the audit is completed, and yet:
    assert f"{waiting}</strong> corrective action plan" in html
    assert f'href="/corrective-actions/{numbers.waiting[0].pk}/"' in html


def test_a_reviewer_sees_the_queue_by_state_what_is_overdue_and_decisions_per_month():
    world = World()
    submitted = world.case_in("submitted")
    fresh_agency(world)
    world.case_in("in_review")
    fresh_agency(world)
    in_review = world.case_in("in_review")
    services.case_certify(actor=world.reviewer, case=in_review, rationale=RATIONALE)
    fresh_agency(world)
    late = world.case_in("corrective_action")
    CorrectiveAction.objects.filter(finding__audit__case=late).update(
        plan_due=timezone.localdate() - timedelta(days=3)
    )

    page = _dashboard(world.reviewer)
    numbers = page.context["reviewer_numbers"]

    assert [(state, count) for state, count, _oldest in numbers.queue] == [
        ("submitted", 1),
        ("in_review", 1),
    ]
    # waiting since it was submitted, whatever was saved on it since
    assert numbers.queue[0][2] == submitted.events.get(transition="submit").created_at
    assert (
        numbers.overdue_corrective_actions
        == CorrectiveAction.objects.filter(finding__audit__case=late).count()
    )
    assert numbers.decisions_by_month[-1] == (timezone.localdate().replace(day=1), 1)
    assert len(numbers.decisions_by_month) == 12
    html = page.content.decode()
    assert "<svg" in html and "Decisions per month, the last twelve months" in html


def test_an_employer_sees_its_watched_agencies_by_status_and_the_last_changes():
    world = World()
    certified = world.case_in("certified")
    employer = _employer(world)
    WatchedAgency.objects.create(employer=employer, agency=certified.agency)
    WatchedAgency.objects.create(employer=employer, agency=AgencyFactory())
    services.case_suspend(actor=world.reviewer, case=certified, reason="Fees taken.")

    page = _dashboard(world.employer_member)
    numbers = page.context["employer_numbers"]

    assert numbers.watched == 2
    assert numbers.by_status == [("suspended", 1), ("not_certified", 1)]
    assert [(e.old_status, e.new_status) for e in numbers.last_changes] == [
        ("certified", "suspended"),
        ("in_progress", "certified"),
    ]
    html = page.content.decode()
    assert "Status of the agencies you watch" in html and "Suspended 1" in html


def _build(role, world, n, state):
    """Brings the world to n items of the role's dashboard; returns who reads it."""
    done = state.get(role, 0)
    if role == "agency":
        agencies_with_cases(world, n - done, state="draft")
        person = world.agency_member
    elif role == "auditor":
        for _ in range(n - done):
            fresh_agency(world)
            world.case_in("corrective_action")
        person = world.auditor
    elif role == "reviewer":
        agencies_with_cases(world, n - done)
        person = world.reviewer
    else:
        for _ in range(n - done):
            WatchedAgency.objects.create(employer=_employer(world), agency=AgencyFactory())
        person = world.employer_member
    state[role] = n
    return person


@pytest.mark.parametrize("role", ["agency", "auditor", "reviewer", "employer"])
def test_a_dashboard_costs_the_same_queries_for_1_and_50_items(role):
    world, state, counts = World(), {}, []
    for items in (1, 50):
        person = _build(role, world, items, state)
        client = Client()
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
