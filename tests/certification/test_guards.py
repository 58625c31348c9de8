"""Every guard refuses with its exact sentence, and lets the same call through once met."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits.models import CorrectiveAction
from certification import services
from certification.errors import TransitionNotAllowed
from recruiters.models import ConflictKind, Role
from tests.certification.world import (
    ACCEPTED,
    COMPLIANT,
    RATIONALE,
    VERIFIED,
    World,
    after_validity,
    attach_closure_evidence,
    refreshed,
)
from tests.dates import long_day
from tests.factories import ConflictOfInterestFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def refused(call) -> tuple[str, str]:
    with pytest.raises(TransitionNotAllowed) as caught:
        call()
    return caught.value.guard, str(caught.value)


@pytest.fixture
def world():
    return World()


def test_submit_needs_every_required_question_answered(world):
    case = world.open()
    partial = {"A1-01": "yes", "C1.1-04": "Optional context."}
    services.self_assessment_save_answers(actor=world.agency_member, case=case, answers=partial)

    assert refused(lambda: services.case_submit(actor=world.agency_member, case=case)) == (
        "answers_complete",
        "4 questions are unanswered: C1.1-01, C1.1-02, C1.1-03, C2.1-01",
    )
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers=dict(COMPLIANT)
    )
    services.case_submit(actor=world.agency_member, case=case)
    assert refreshed(case).state == "submitted"


def test_one_unanswered_question_reads_in_the_singular(world):
    case = world.open()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C2.1-01": None}
    )

    assert refused(lambda: services.case_submit(actor=world.agency_member, case=case))[1] == (
        "1 question is unanswered: C2.1-01"
    )


def plan(world, case, auditor=None, now=None):
    today = timezone.localdate()
    return services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=auditor or world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
        now=now,
    )


def test_no_audit_is_planned_for_a_self_declared_zero_tolerance_breach(world):
    case = world.open()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C2.1-01": "yes"}
    )
    services.case_submit(actor=world.agency_member, case=case)

    assert refused(lambda: plan(world, case)) == (
        "no_declared_breach",
        "the self-assessment declares zero-tolerance breaches: C2.1",
    )
    services.case_return_to_agency(
        actor=world.reviewer, case=case, reason="Passports must be returned first."
    )
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"C2.1-01": "no"}
    )
    services.case_submit(actor=world.agency_member, case=case)
    plan(world, case)
    assert refreshed(case).state == "audit_planned"


def test_an_auditor_with_a_declared_conflict_of_interest_is_never_assigned(world):
    case = world.case_in("submitted")
    ConflictOfInterestFactory(
        auditor=world.auditor_membership, agency=world.agency, kind=ConflictKind.OWNERSHIP
    )

    assert refused(lambda: plan(world, case)) == (
        "conflict_of_interest",
        "auditor declared a conflict of interest with Kathmandu Fair Jobs (ownership)",
    )
    plan(world, case, auditor=world.other_auditor_membership)
    assert refreshed(case).assigned_auditor == world.other_auditor_membership


def test_an_auditor_of_a_body_not_accredited_that_day_is_never_assigned(world):
    case = world.case_in("submitted")
    body = world.auditor_membership.certification_body
    body.accredited_until = date(2026, 6, 30)
    body.save()
    later = timezone.make_aware(timezone.datetime(2026, 7, 1, 9))

    guard, message = refused(lambda: plan(world, case, now=later))

    assert guard == "auditor_accredited"
    assert message == (
        f"the accreditation of {body.name} is not valid on 1 July 2026 (1 January 2020 to 30 June 2026)"
    )
    plan(world, case, now=timezone.make_aware(timezone.datetime(2026, 6, 30, 9)))
    assert refreshed(case).state == "audit_planned"


def test_an_inactive_auditor_is_never_assigned(world):
    case = world.case_in("submitted")
    world.auditor_membership.is_active = False
    world.auditor_membership.save()

    assert refused(lambda: plan(world, case)) == (
        "auditor_active",
        "auditor is not an active auditor",
    )
    world.auditor_membership.is_active = True
    world.auditor_membership.save()
    plan(world, case)


def test_an_audit_completes_only_when_every_criterion_has_a_finding(world):
    case = world.case_in("auditing")
    services.finding_record(actor=world.auditor, case=case, criterion="A1", grade="conforming")

    assert refused(lambda: services.case_complete_audit(actor=world.auditor, case=case)) == (
        "findings_complete",
        "2 criteria have no finding: C1.1, C2.1",
    )
    world.record_findings(case)
    services.case_complete_audit(actor=world.auditor, case=case)
    assert refreshed(case).state == "in_review"


def test_findings_are_recorded_only_while_an_audit_is_in_progress(world):
    case = world.case_in("audit_planned")

    assert refused(
        lambda: services.finding_record(
            actor=world.auditor, case=case, criterion="A1", grade="conforming"
        )
    ) == ("audit_in_progress", "no audit of this case is in progress")
    services.case_start_audit(actor=world.auditor, case=case)
    services.finding_record(actor=world.auditor, case=case, criterion="A1", grade="conforming")


def audited_with(world, **grades):
    case = world.case_in("auditing")
    world.record_findings(case, **grades)
    services.case_complete_audit(actor=world.auditor, case=case)
    return refreshed(case)


def test_corrective_actions_close_only_when_majors_are_verified(world):
    case = audited_with(world, C2_1="minor")  # zero tolerance: counts as major
    action = CorrectiveAction.objects.get(finding__criterion__code="C2.1")
    services.corrective_action_submit(
        actor=world.agency_member,
        corrective_action=action,
        root_cause="Safe kept passports.",
        action="Returned.",
    )
    services.corrective_action_accept(actor=world.auditor, corrective_action=action, note=ACCEPTED)

    assert refused(
        lambda: services.case_close_corrective_actions(actor=world.auditor, case=case)
    ) == (
        "majors_verified",
        "1 major non-conformity is not verified closed: C2.1",
    )
    attach_closure_evidence(world, action)
    services.corrective_action_verify(actor=world.auditor, corrective_action=action, note=VERIFIED)
    services.case_close_corrective_actions(actor=world.auditor, case=case)
    assert refreshed(case).state == "in_review"


def test_corrective_actions_close_only_when_minors_have_accepted_plans(world):
    case = audited_with(world, A1="minor")

    assert refused(
        lambda: services.case_close_corrective_actions(actor=world.auditor, case=case)
    ) == (
        "minors_planned",
        "1 minor non-conformity has no accepted plan: A1",
    )
    world.answer_corrective_actions(case)
    services.case_close_corrective_actions(actor=world.auditor, case=case)


def test_a_corrective_action_moves_only_along_its_own_states(world):
    audited_with(world, A1="minor")
    action = CorrectiveAction.objects.get()

    assert refused(
        lambda: services.corrective_action_accept(actor=world.auditor, corrective_action=action)
    ) == (
        "corrective_action_state",
        "cannot accept a corrective action that is open",
    )
    services.corrective_action_submit(
        actor=world.agency_member, corrective_action=action, root_cause="Cause.", action="Action."
    )
    services.corrective_action_accept(actor=world.auditor, corrective_action=action, note=ACCEPTED)
    assert CorrectiveAction.objects.get().state == "accepted"


def test_a_reviewer_who_audited_the_case_cannot_decide_it(world):
    case = world.case_in("in_review")
    MembershipFactory(user=world.auditor, role=Role.REVIEWER)  # the auditor is also scheme staff

    assert refused(lambda: services.case_certify(actor=world.auditor, case=case)) == (
        "impartiality",
        "auditor audited this case and cannot decide it",
    )
    services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
    assert refreshed(case).state == "certified"


def test_no_certificate_while_a_major_non_conformity_is_open(world):
    case = audited_with(world, C1_1="major")
    world.answer_corrective_actions(case)
    services.case_close_corrective_actions(actor=world.auditor, case=case)
    # Behind the workflow's back: the verified action is found open again.
    CorrectiveAction.objects.filter(severity="major").update(state="accepted")

    assert refused(
        lambda: services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
    ) == (
        "no_open_major",
        "1 major non-conformity is open: C1.1",
    )
    CorrectiveAction.objects.filter(severity="major").update(state="verified")
    major = CorrectiveAction.objects.get(severity="major")
    services.case_certify(
        actor=world.reviewer,
        case=case,
        rationale=RATIONALE,
        confirmations=[f"finding-{major.finding_id}"],
    )


def certified_then_surveilled(world, **grades):
    case = world.case_in("certified")
    today = timezone.localdate()
    services.surveillance_audit_plan(
        actor=world.reviewer,
        case=case,
        auditor=world.other_auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    case = refreshed(case)
    services.case_start_audit(actor=world.other_auditor, case=case)
    world.record_findings(case, **grades)
    services.case_complete_audit(actor=world.other_auditor, case=case)
    return refreshed(case)


def test_a_suspension_is_lifted_only_when_its_corrective_actions_are_verified(world):
    case = certified_then_surveilled(world, C2_1="major")
    assert case.state == "suspended"

    assert refused(lambda: services.case_reinstate(actor=world.reviewer, case=case)) == (
        "suspension_actions_verified",
        "1 corrective action of the suspension is not verified: C2.1",
    )
    world.answer_corrective_actions(case, verify_minors=True)
    services.case_reinstate(actor=world.reviewer, case=case)
    assert refreshed(case).state == "certified"


def test_a_second_surveillance_audit_waits_for_the_first(world):
    case = world.case_in("certified")
    today = timezone.localdate()

    def plan_surveillance():
        return services.surveillance_audit_plan(
            actor=world.reviewer,
            case=case,
            auditor=world.auditor_membership,
            stage1_date=today,
            stage2_date=today,
        )

    plan_surveillance()
    assert refused(plan_surveillance) == (
        "one_audit",
        "an audit of this case is already planned or in progress",
    )


def test_a_certificate_expires_only_after_its_validity(world):
    case = world.case_in("certified")
    until = case.certificate.valid_until
    on_last_day = timezone.make_aware(timezone.datetime(until.year, until.month, until.day, 23))

    assert refused(lambda: services.case_expire(actor=None, case=case, now=on_last_day)) == (
        "validity_ended",
        f"the certificate is valid until {long_day(until)}",
    )
    services.case_expire(actor=None, case=case, now=after_validity(case))
    assert refreshed(case).state == "expired"


def test_a_renewal_opens_within_its_window_before_expiry(world):
    case = world.case_in("certified")
    opens_on = case.certificate.valid_until - timedelta(days=180)
    day_before = timezone.make_aware(
        timezone.datetime.combine(opens_on - timedelta(days=1), timezone.datetime.min.time())
    )
    first_day = timezone.make_aware(
        timezone.datetime.combine(opens_on, timezone.datetime.min.time())
    )

    assert refused(
        lambda: services.case_open_renewal(actor=world.agency_member, case=case, now=day_before)
    ) == (
        "renewal_window",
        f"the renewal opens 180 days before expiry, on {long_day(opens_on)}",
    )
    renewal = services.case_open_renewal(actor=world.agency_member, case=case, now=first_day)
    assert (renewal.kind, renewal.previous_case, renewal.state) == ("renewal", case, "draft")


def test_an_agency_has_one_open_case_at_a_time(world):
    first = world.open()

    assert refused(world.open) == (
        "one_open_case",
        f"Kathmandu Fair Jobs already has an open case ({first.pk}, draft)",
    )
    services.case_cancel(actor=world.agency_member, case=first)
    assert world.open().state == "draft"


def test_answers_change_only_while_the_case_is_a_draft(world):
    case = world.case_in("submitted")

    assert refused(
        lambda: services.self_assessment_save_answers(
            actor=world.agency_member, case=case, answers={"A1-01": "no"}
        )
    ) == ("state", "answers can change only while the case is a draft; it is submitted")


def test_an_audit_starts_only_once_planned(world):
    case = world.case_in("certified")
    today = timezone.localdate()

    assert refused(lambda: services.case_start_audit(actor=world.auditor, case=case)) == (
        "audit_planned",
        "no audit of this case is planned",
    )
    services.surveillance_audit_plan(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    audit = services.case_start_audit(actor=world.auditor, case=case)
    assert (audit.kind, audit.state, refreshed(case).state) == (
        "surveillance",
        "in_progress",
        "certified",
    )


def test_accepting_and_verifying_need_a_note_and_a_major_needs_evidence_since_the_answer(world):
    case = audited_with(world, C2_1="minor")  # zero tolerance: counts as major
    action = CorrectiveAction.objects.get(finding__criterion__code="C2.1")
    attach_closure_evidence(world, action)  # before the answer: does not count
    services.corrective_action_submit(
        actor=world.agency_member, corrective_action=action, root_cause="Safe.", action="Returned."
    )

    with pytest.raises(ValidationError) as blank:
        services.corrective_action_accept(actor=world.auditor, corrective_action=action, note=" ")
    assert blank.value.message_dict == {"note": ["Say why the plan answers the non-conformity."]}
    services.corrective_action_accept(actor=world.auditor, corrective_action=action, note=ACCEPTED)
    with pytest.raises(ValidationError) as blank:
        services.corrective_action_verify(actor=world.auditor, corrective_action=action)
    assert blank.value.message_dict == {"note": ["Say what you checked to verify the closure."]}
    submitted_on = long_day(CorrectiveAction.objects.get(pk=action.pk).submitted_at.date())
    assert refused(
        lambda: services.corrective_action_verify(
            actor=world.auditor, corrective_action=action, note=VERIFIED
        )
    ) == (
        "closure_evidence",
        "a major non-conformity is verified on evidence: attach a file to the corrective action "
        f"or its finding first (none since {submitted_on})",
    )
    attach_closure_evidence(world, action)
    services.corrective_action_verify(actor=world.auditor, corrective_action=action, note=VERIFIED)

    verified = CorrectiveAction.objects.get(pk=action.pk)
    assert (verified.state, verified.acceptance_note, verified.verification_note) == (
        "verified",
        ACCEPTED,
        VERIFIED,
    )
    assert list(
        case.events.filter(transition__startswith="corrective_action_").values_list(
            "transition", "reason"
        )
    )[-2:] == [("corrective_action_accept", ACCEPTED), ("corrective_action_verify", VERIFIED)]
