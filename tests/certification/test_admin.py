"""The case in the admin: its state, what may happen next and who may do it, its history."""

import re

import pytest
from django.urls import reverse

from tests.certification.world import RATIONALE, World

pytestmark = pytest.mark.django_db


def test_a_case_page_shows_state_transitions_events_audits_and_decisions(client):
    world = World()
    case = world.case_in("certified")
    client.force_login(world.superuser)

    page = client.get(
        reverse("admin:certification_certificationcase_change", args=[case.pk])
    ).content.decode()

    assert "certified" in page
    assert "reviewer: suspend, withdraw; scheduler: expire, suspend, withdraw" in page
    shown = re.findall(r'<td class="field-transition">\s*<p>(\w+)</p>', page)
    assert shown == [
        "open",
        "submit",
        "plan_audit",
        "audit_start",
        "start_audit",
        "audit_complete",
        "complete_audit",
        "certify",
    ]
    assert "Initial" in page  # the audit
    assert RATIONALE in page  # the decision


def test_workflow_records_cannot_be_changed_in_the_admin(client):
    world = World()
    case = world.case_in("corrective_action")
    client.force_login(world.superuser)
    event = case.events.first()
    action = case.audits.get().findings.get(grade="minor").corrective_action

    assert (
        client.post(
            reverse("admin:certification_certificationcase_change", args=[case.pk]), {}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:certification_transitionevent_change", args=[event.pk]), {}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:audits_correctiveaction_change", args=[action.pk]), {}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:certification_certificationcase_add")).status_code == 403
    assert (
        client.get(reverse("admin:audits_correctiveaction_change", args=[action.pk])).status_code
        == 200
    )


def test_a_case_page_lists_its_non_conformities_and_their_corrective_actions(client):
    world = World()
    case = world.case_in("corrective_action")
    client.force_login(world.superuser)

    page = client.get(
        reverse("admin:certification_certificationcase_change", args=[case.pk])
    ).content.decode()

    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    assert (
        f"Initial audit {case.audits.get().pk}: A1 minor (corrective action open, plan due {action.plan_due})"
        in page
    )
