"""An agency's whole path, through the services only, with the event log checked at every step."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits.models import CorrectiveAction
from certification import services
from certification.due_work import run_due_work
from certification.errors import TransitionNotAllowed
from certification.models import Certificate, TransitionEvent
from certification.selectors import case_replay_state
from certification.services.decisions import add_years
from tests.certification.world import (
    ACCEPTED,
    COMPLIANT,
    RATIONALE,
    VERIFIED,
    World,
    at,
    attach_closure_evidence,
    refreshed,
)
from tests.dates import long_day

pytestmark = pytest.mark.django_db


def step(case, expected_state):
    case = refreshed(case)
    assert case.state == expected_state
    assert case_replay_state(case=case) == expected_state
    return case


def test_the_whole_life_of_a_certificate_and_its_renewal(django_capture_on_commit_callbacks):
    world = World()
    today = timezone.localdate()

    # Self-assessment and screening.
    case = world.open()
    step(case, "draft")
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"A1-01": "yes"}
    )
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers=dict(COMPLIANT)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_submit(actor=world.agency_member, case=case)
    case = step(case, "submitted")
    assert case.self_assessment.result["overall_score"] == 100.0
    assert any("case" in message.subject and "submit" in message.subject for message in mail.outbox)

    services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today + timedelta(days=10),
        stage2_date=today + timedelta(days=20),
    )
    case = step(case, "audit_planned")
    services.case_start_audit(actor=world.auditor, case=case)
    case = step(case, "auditing")

    # Findings: one major, one minor; the audit completes from its on-site date, not before.
    world.record_findings(case, C1_1="major", A1="minor")
    on_site = today + timedelta(days=20)
    with pytest.raises(TransitionNotAllowed) as early:
        services.case_complete_audit(actor=world.auditor, case=case)
    assert (early.value.guard, str(early.value)) == (
        "on_site_date",
        f"the on-site stage of this audit is on {long_day(on_site)}: complete it from that day",
    )
    result = services.case_complete_audit(actor=world.auditor, case=case, now=at(on_site))
    case = step(case, "corrective_action")
    assert (result.certifiable, result.open_majors, result.discrepancy_share) == (
        False,
        ("C1.1",),
        66.7,
    )
    assert case.audits.get().result["discrepancies"] == [
        {"criterion": "A1", "declared": "compliant", "found": "minor"},
        {"criterion": "C1.1", "declared": "compliant", "found": "major"},
    ]
    major = CorrectiveAction.objects.get(severity="major")
    minor = CorrectiveAction.objects.get(severity="minor")
    assert major.closure_due == on_site + timedelta(days=90)
    assert (minor.plan_due, minor.closure_due) == (on_site + timedelta(days=60), None)

    # Corrective actions: the major one is rejected once, then resubmitted and verified.
    for action in (major, minor):
        services.corrective_action_submit(
            actor=world.agency_member,
            corrective_action=action,
            root_cause="No check.",
            action="Checks now.",
        )
    services.corrective_action_reject(
        actor=world.auditor, corrective_action=major, reason="No evidence of refunds."
    )
    assert CorrectiveAction.objects.get(pk=major.pk).rejection_reason == "No evidence of refunds."
    services.corrective_action_submit(
        actor=world.agency_member,
        corrective_action=major,
        root_cause="No check.",
        action="Refunds paid; receipts.",
    )
    services.corrective_action_accept(actor=world.auditor, corrective_action=major, note=ACCEPTED)
    services.corrective_action_accept(actor=world.auditor, corrective_action=minor, note=ACCEPTED)
    attach_closure_evidence(world, major)
    services.corrective_action_verify(actor=world.auditor, corrective_action=major, note=VERIFIED)
    step(case, "corrective_action")
    services.case_close_corrective_actions(actor=world.auditor, case=case)
    case = step(case, "in_review")

    # The decision, by a reviewer who did not audit the case.
    with pytest.raises(ValidationError) as unconfirmed:
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
    assert unconfirmed.value.message_dict == {
        "confirmations": [
            "Confirm that this has been remediated, and say how in the rationale: "
            "C1.1, a zero-tolerance criterion: major non-conformity."
        ]
    }
    certificate = services.case_certify(
        actor=world.reviewer,
        case=case,
        rationale=RATIONALE,
        confirmations=[f"finding-{major.finding_id}"],
        now=at(on_site),
    )
    case = step(case, "certified")
    assert TransitionEvent.objects.get(case=case, transition="certify").snapshot["confirmed"] == [
        {
            "key": f"finding-{major.finding_id}",
            "kind": "zero_tolerance",
            "what": "C1.1, a zero-tolerance criterion: major non-conformity",
        }
    ]
    assert certificate.number == f"FR-{on_site.year}-{certificate.pk:06d}"
    assert len(certificate.verification_code) >= 32  # 192 random bits, URL-safe
    assert (certificate.valid_from, certificate.valid_until) == (
        on_site,
        add_years(on_site, 3) - timedelta(days=1),
    )
    assert (certificate.corridors, certificate.sectors, certificate.countries) == (
        ["NP-QA"],
        ["construction"],
        ["NP", "QA"],
    )
    assert certificate.status_on(on_site) == "valid"

    # Surveillance finds a major non-conformity: the certificate is suspended.
    services.surveillance_audit_plan(
        actor=world.reviewer,
        case=case,
        auditor=world.other_auditor_membership,
        stage1_date=today + timedelta(days=300),
        stage2_date=today + timedelta(days=301),
    )
    case = step(case, "certified")
    services.case_start_audit(actor=world.other_auditor, case=case)
    world.record_findings(
        refreshed(case), C2_1=("conforming", ("retention_of_identity_documents",))
    )
    services.case_complete_audit(
        actor=world.other_auditor, case=case, now=at(today + timedelta(days=301))
    )
    case = step(case, "suspended")
    assert refreshed(case).certificate.status == "suspended"
    suspension = TransitionEvent.objects.filter(case=case, transition="suspend").get()
    assert suspension.reason == "surveillance audit found major non-conformities: C2.1"
    assert suspension.actor == world.other_auditor

    world.answer_corrective_actions(case, verify_minors=True)
    services.case_reinstate(
        actor=world.reviewer, case=case, reason="Passports returned, verified on site."
    )
    case = step(case, "certified")

    # Renewal, opened inside its window, certified before the old certificate ends.
    old_until = certificate.valid_until
    renewal = services.case_open_renewal(
        actor=world.agency_member, case=case, now=at(old_until - timedelta(days=120))
    )
    step(renewal, "draft")
    services.self_assessment_save_answers(
        actor=world.agency_member, case=renewal, answers=dict(COMPLIANT)
    )
    services.case_submit(actor=world.agency_member, case=renewal)
    services.case_plan_audit(
        actor=world.reviewer,
        case=renewal,
        auditor=world.auditor_membership,
        stage1_date=old_until - timedelta(days=90),
        stage2_date=old_until - timedelta(days=80),
        now=at(old_until - timedelta(days=100)),
    )
    renewal = step(renewal, "audit_planned")
    assert renewal.audits.get().kind == "recertification"
    services.case_start_audit(actor=world.auditor, case=renewal)
    world.record_findings(refreshed(renewal))
    services.case_complete_audit(
        actor=world.auditor, case=renewal, now=at(old_until - timedelta(days=80))
    )
    renewal = step(renewal, "in_review")
    renewed = services.case_certify(
        actor=world.reviewer,
        case=renewal,
        rationale=RATIONALE,
        now=at(old_until - timedelta(days=60)),
    )
    step(renewal, "certified")
    assert renewed.valid_from == old_until + timedelta(days=1)
    assert renewed.status_on(old_until) == "not_yet_valid"

    # The old certificate expires through the scheduler; the renewal takes over the next day.
    lines = run_due_work(now=at(old_until + timedelta(days=1)))
    assert lines[0].startswith(f"expired: case {case.pk} of Kathmandu Fair Jobs")
    step(case, "expired")
    step(renewal, "certified")
    assert Certificate.objects.get(case=renewal).status_on(old_until + timedelta(days=1)) == "valid"
    assert run_due_work(now=at(old_until + timedelta(days=1))) == []  # nothing twice
