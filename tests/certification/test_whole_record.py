"""The reviewer decides on the whole record (issue 13 §1): what the record holds, the
rationale and the confirmations certifying needs, and audits completed from their on-site
date (§2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits.models import CorrectiveAction, Finding
from certification import services
from certification.errors import TransitionNotAllowed
from certification.models import Decision, TransitionEvent
from certification.selectors.record import case_record
from tests.certification.world import (
    ACCEPTED,
    COMPLIANT,
    RATIONALE,
    REFUSAL,
    VERIFIED,
    World,
    refreshed,
)
from tests.dates import long_day
from tests.web.pages import pdf_upload

pytestmark = pytest.mark.django_db

VISA = {
    "category": "medical",
    "amount": "120",
    "currency": "QAR",
    "borne_by": "employer",
    "route": "paid",
}


def reviewed_case(world):
    """In review after an audit that found a zero-tolerance criterion not met (C2.1) and
    debt bondage (A1), both corrected and verified on evidence."""
    case = world.open()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C1.1-01": [VISA]}
    )
    answer = case.self_assessment.answers.get(question__code="A1-01")
    services.evidence_upload(
        actor=world.agency_member, upload=pdf_upload("policy.pdf"), answer=answer
    )
    services.case_submit(actor=world.agency_member, case=case)
    today = timezone.localdate()
    services.case_plan_audit(
        actor=world.reviewer,
        case=refreshed(case),
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    services.case_start_audit(actor=world.auditor, case=refreshed(case))
    case = refreshed(case)
    world.record_findings(case, C2_1="minor", A1=("observation", ("debt_bondage",)))
    services.evidence_upload(
        actor=world.auditor,
        upload=pdf_upload("safe.pdf"),
        finding=Finding.objects.get(criterion__code="C2.1"),
    )
    services.case_complete_audit(actor=world.auditor, case=case)
    world.answer_corrective_actions(refreshed(case))
    services.case_close_corrective_actions(actor=world.auditor, case=refreshed(case))
    return refreshed(case)


@pytest.fixture
def world():
    return World()


def test_the_record_holds_answers_costs_findings_actions_and_what_to_confirm(world):
    case = reviewed_case(world)

    record = case_record(case)

    a1 = next(a for a in record.answers if a.question == "A1-01")
    assert (a1.criterion, a1.shown, a1.status) == ("A1", "Yes", "compliant")
    assert [e.name for e in a1.evidence] == ["policy.pdf"]
    assert record.worker_costs[0].__dict__ == {
        "category": "medical",
        "amount": "120",
        "currency": "QAR",
        "borne_by": "employer",
        "route": "paid",
    }
    assert record.worker_costs_borne == ()
    (audit,) = record.audits
    assert audit.discrepancies == (
        {"criterion": "A1", "declared": "compliant", "found": "major"},
        {"criterion": "C2.1", "declared": "compliant", "found": "major"},
    )
    by_code = {f.criterion: f for f in audit.findings}
    c21 = by_code["C2.1"]
    assert (c21.grade, c21.effective_grade, c21.zero_tolerance, c21.text) == (
        "minor",
        "major",
        True,
        "Seen on site.",
    )
    assert c21.grade_in_words == (
        "Minor non-conformity; treated as major non-conformity because C2.1 is zero-tolerance"
    )
    assert c21.criterion_text  # the criterion's own words, not its code
    assert [e.name for e in c21.evidence] == ["safe.pdf"]
    action = c21.corrective_action
    assert (action.state, action.severity, action.acceptance_note, action.verification_note) == (
        "verified",
        "major",
        ACCEPTED,
        VERIFIED,
    )
    assert action.verified_at is not None and [e.name for e in action.evidence] == ["refunds.pdf"]
    assert by_code["A1"].indicators == ("debt_bondage",)
    assert [(item.key, item.kind, item.what) for item in record.to_confirm] == [
        (
            f"finding-{by_code['A1'].id}",
            "forced_labour",
            "A1: forced-labour indicators (debt bondage)",
        ),
        (
            f"finding-{c21.id}",
            "zero_tolerance",
            "C2.1, a zero-tolerance criterion: minor non-conformity",
        ),
        (
            "worker-costs",
            "worker_costs",
            "Recruitment costs declared: 120 QAR (medical examinations), borne by employer",
        ),
    ]


def _certify(world, case, **kwargs):
    return services.case_certify(actor=world.reviewer, case=case, **kwargs)


@pytest.mark.parametrize("rationale", ["", "   ", "Fine.", "x" * 39])
def test_certifying_needs_a_rationale_of_a_sentence_and_changes_nothing_without(world, rationale):
    case = world.case_in("in_review")

    with pytest.raises(ValidationError) as refused:
        _certify(world, case, rationale=rationale)

    assert refused.value.message_dict == {
        "reason": [
            "Write the rationale of the decision: what it rests on, in at least 40 "
            f"characters ({len(rationale.strip())} given) to certify."
        ]
    }
    assert (refreshed(case).state, Decision.objects.count()) == ("in_review", 0)


def test_the_rationale_length_is_a_setting(world, settings):
    settings.DECISION_RATIONALE_MIN_LENGTH = 5
    case = world.case_in("in_review")

    _certify(world, case, rationale="Fine.")

    assert Decision.objects.get().rationale == "Fine."


def test_refusing_needs_a_rationale_but_the_schedulers_says_its_own(world):
    case = world.case_in("in_review")
    with pytest.raises(ValidationError) as refused:
        services.case_refuse(actor=world.reviewer, case=case, rationale="No.")
    assert list(refused.value.message_dict) == ["reason"]

    services.case_refuse(actor=None, case=case, rationale="corrective action overdue")

    assert Decision.objects.get().rationale == "corrective action overdue"


def test_certifying_needs_every_confirmation_and_keeps_them_with_the_event(world):
    case = reviewed_case(world)
    keys = [item.key for item in case_record(case).to_confirm]

    with pytest.raises(ValidationError) as missing:
        _certify(world, case, rationale=RATIONALE, confirmations=keys[:1])
    assert missing.value.message_dict == {
        "confirmations": [
            "Confirm that each of these has been remediated, and say how in the rationale: "
            "C2.1, a zero-tolerance criterion: minor non-conformity; Recruitment costs "
            "declared: 120 QAR (medical examinations), borne by employer."
        ]
    }
    with pytest.raises(ValidationError) as unknown:
        _certify(world, case, rationale=RATIONALE, confirmations=[*keys, "finding-0"])
    assert unknown.value.message_dict == {
        "confirmations": ["Nothing of this case to confirm is called finding-0."]
    }
    assert (refreshed(case).state, Decision.objects.count()) == ("in_review", 0)

    _certify(world, case, rationale=RATIONALE, confirmations=keys)

    event = TransitionEvent.objects.get(case=case, transition="certify")
    assert event.reason == RATIONALE
    assert [c["key"] for c in event.snapshot["confirmed"]] == keys
    assert [c["kind"] for c in event.snapshot["confirmed"]] == [
        "forced_labour",
        "zero_tolerance",
        "worker_costs",
    ]


def test_a_case_with_nothing_to_confirm_needs_no_confirmation(world):
    case = world.case_in("in_review")

    assert case_record(case).to_confirm == ()
    _certify(world, case, rationale=RATIONALE)

    assert TransitionEvent.objects.get(transition="certify").snapshot["confirmed"] == []


def _audit_in_progress(world, on_site):
    case = world.case_in("submitted")
    services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=timezone.localdate(),
        stage2_date=on_site,
    )
    services.case_start_audit(actor=world.auditor, case=refreshed(case))
    case = refreshed(case)
    world.record_findings(case)
    return case


def test_an_audit_is_not_completed_before_its_on_site_date(world):
    on_site = timezone.localdate() + timedelta(days=4)
    case = _audit_in_progress(world, on_site)

    with pytest.raises(TransitionNotAllowed) as early:
        services.case_complete_audit(actor=world.auditor, case=case, reason="We were quick.")

    assert (early.value.guard, str(early.value)) == (
        "on_site_date",
        f"the on-site stage of this audit is on {long_day(on_site)}: complete it from that day",
    )
    assert refreshed(case).state == "auditing"
    assert case.audits.get().state == "in_progress"


def test_early_completion_where_allowed_needs_its_reason_and_is_recorded(world, settings):
    settings.AUDIT_EARLY_COMPLETION_ALLOWED = True
    on_site = timezone.localdate() + timedelta(days=4)
    case = _audit_in_progress(world, on_site)

    with pytest.raises(ValidationError) as no_reason:
        services.case_complete_audit(actor=world.auditor, case=case)
    assert no_reason.value.message_dict == {
        "reason": [
            "A reason is required to complete an audit before its on-site date "
            f"({long_day(on_site)})."
        ]
    }
    assert refreshed(case).state == "auditing"

    services.case_complete_audit(
        actor=world.auditor, case=case, reason="Visit brought forward at the agency's request."
    )

    event = TransitionEvent.objects.get(case=case, transition="complete_audit")
    assert (refreshed(case).state, event.reason) == (
        "in_review",
        "Visit brought forward at the agency's request.",
    )
    assert event.snapshot["early"] == {
        "stage2_date": on_site.isoformat(),
        "on": timezone.localdate().isoformat(),
    }


def test_an_audit_completes_on_its_on_site_date(world):
    case = _audit_in_progress(world, timezone.localdate())

    services.case_complete_audit(actor=world.auditor, case=case)

    assert refreshed(case).state == "in_review"
    assert CorrectiveAction.objects.count() == 0


def test_an_audit_is_planned_from_today_on(world):
    case = world.case_in("submitted")
    yesterday = timezone.localdate() - timedelta(days=1)

    with pytest.raises(ValidationError) as past:
        services.case_plan_audit(
            actor=world.reviewer,
            case=case,
            auditor=world.auditor_membership,
            stage1_date=yesterday,
            stage2_date=timezone.localdate(),
        )

    assert past.value.message_dict == {
        "stage1_date": [
            f"The document review is planned from today ({long_day(timezone.localdate())}), "
            "not before."
        ]
    }
    assert (refreshed(case).state, case.audits.count()) == ("submitted", 0)


def test_a_reviewer_who_audited_the_case_cannot_refuse_it_either(world):
    from recruiters.models import Role
    from tests.factories import MembershipFactory

    case = world.case_in("in_review")
    MembershipFactory(user=world.auditor, role=Role.REVIEWER)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_refuse(actor=world.auditor, case=case, rationale=REFUSAL)

    assert refused.value.guard == "impartiality"
    assert refreshed(case).state == "in_review"


def test_the_agency_reads_no_audit_under_way_its_auditor_and_reviewers_do(world):
    case = world.case_in("auditing")
    world.record_findings(case, A1="minor")

    assert case_record(case, audits_under_way=False).audits == ()
    (audit,) = case_record(case).audits
    assert (audit.state, len(audit.findings)) == ("in_progress", 3)
