"""Survey codes as the scheme issues them (issue 15 §1) and the signals an audit must address
(§3): who may issue and print, the limits, the standard version, and `complete_audit`
refused until each criterion signalled has a finding with a note; the score untouched."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from certification import services
from certification.errors import TransitionNotAllowed
from certification.models import CaseState
from certification.selectors.record import case_record
from certification.selectors.surveys import (
    audit_survey_signals,
    survey_auditor_of_agency,
    survey_reader,
    survey_signals_reader,
    survey_signals_since,
    survey_signals_until,
)
from certification.services import surveys as scheme_surveys
from monitoring.models import SurveyBatch, SurveyCode
from monitoring.surveys import survey_code_printed
from tests.certification.survey_world import FINE, SIGNALLED, SurveyWorld
from tests.certification.world import REFUSAL, refreshed
from tests.factories import AgencyFactory, CorridorFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SurveyWorld()


def issue(world, actor, count=3, **more):
    return scheme_surveys.survey_batch_issue(actor=actor, agency=world.agency, count=count, **more)


# --- who issues ------------------------------------------------------------------------------


def test_a_reviewer_issues_codes_for_an_agency_on_its_cases_standard(world):
    case = world.case_in("submitted")

    batch, codes = issue(world, world.reviewer, count=4, corridor="NP-QA")

    assert len(codes) == len(set(codes)) == 4
    assert batch.agency == world.agency and batch.count == 4
    assert (batch.origin.code, batch.destination.code) == ("NP", "QA")
    assert batch.standard == case.standard
    assert batch.issued_by == world.reviewer
    assert SurveyCode.objects.filter(batch=batch).count() == 4


def test_the_auditor_of_the_agencys_case_issues_codes(world):
    world.case_in("auditing")

    batch, codes = issue(world, world.auditor)

    assert batch.issued_by == world.auditor and len(codes) == 3
    assert survey_auditor_of_agency(world.auditor, world.agency)


@pytest.mark.parametrize(
    "role", ["other_auditor", "agency_member", "other_agency_member", "employer_member"]
)
def test_nobody_else_issues_codes_the_agency_above_all(world, role):
    world.case_in("auditing")

    with pytest.raises(PermissionDenied):
        issue(world, world.actor(role))

    assert not SurveyBatch.objects.exists()


def test_an_anonymous_visitor_issues_no_codes(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        issue(world, AnonymousUser())


def test_the_auditor_of_a_case_that_is_over_is_no_longer_the_agencys_auditor(world):
    case = world.case_in("in_review")
    services.case_refuse(actor=world.reviewer, case=case, rationale=REFUSAL)

    assert not survey_auditor_of_agency(world.auditor, world.agency)
    with pytest.raises(PermissionDenied):
        issue(world, world.auditor)


def test_the_reader_of_a_survey_is_worked_out_once_per_role(world):
    world.case_in("auditing")

    readers = {
        role: survey_reader(world.actor(role), world.agency)
        for role in ("reviewer", "assigned_auditor", "other_auditor", "agency_member")
    }

    assert readers["reviewer"].is_scheme and readers["reviewer"].is_reviewer
    assert readers["assigned_auditor"].is_scheme and readers["assigned_auditor"].is_agencys_auditor
    assert not readers["other_auditor"].may_know
    assert readers["agency_member"].may_know and not readers["agency_member"].is_scheme


# --- limits ----------------------------------------------------------------------------------


@override_settings(SURVEY_BATCH_MAX=5)
@pytest.mark.parametrize("count", [0, -1, 6, True, "3"])
def test_a_count_outside_1_to_the_limit_is_refused_and_nothing_is_issued(world, count):
    with pytest.raises(ValidationError) as refused:
        issue(world, world.reviewer, count=count)

    assert "count" in refused.value.message_dict
    assert "1 to 5" in refused.value.message_dict["count"][0]
    assert not SurveyBatch.objects.exists()


@override_settings(SURVEY_BATCH_MAX=5)
def test_the_limit_itself_is_allowed(world):
    batch, codes = issue(world, world.reviewer, count=5)

    assert batch.count == len(codes) == 5


@pytest.mark.parametrize("corridor", ["BD-SA", "NP", "NP-QA-AE"])
def test_a_corridor_not_the_agencys_is_refused(world, corridor):
    with pytest.raises(ValidationError) as refused:
        issue(world, world.reviewer, corridor=corridor)

    assert "corridor" in refused.value.message_dict
    assert not SurveyBatch.objects.exists()


# --- the cards -------------------------------------------------------------------------------


def test_the_cards_are_printed_by_a_reviewer_and_by_the_auditor_who_issued_them(world):
    world.case_in("auditing")
    by_auditor, codes = issue(world, world.auditor, count=2)
    by_reviewer, _codes = issue(world, world.reviewer, count=2)

    for actor, batch in (
        (world.reviewer, by_auditor),
        (world.reviewer, by_reviewer),
        (world.auditor, by_auditor),
    ):
        pdf = scheme_surveys.survey_batch_cards(actor=actor, batch=batch)
        assert pdf.startswith(b"%PDF")

    assert scheme_surveys.survey_batch_may_print(world.auditor, by_auditor)
    assert not scheme_surveys.survey_batch_may_print(world.auditor, by_reviewer)
    with pytest.raises(PermissionDenied):
        scheme_surveys.survey_batch_cards(actor=world.auditor, batch=by_reviewer)
    assert survey_code_printed(codes[0])  # the codes exist, printable


@pytest.mark.parametrize(
    "role", ["agency_member", "other_agency_member", "other_auditor", "employer_member"]
)
def test_nobody_else_prints_the_cards(world, role):
    world.case_in("auditing")
    batch, _codes = issue(world, world.reviewer)

    with pytest.raises(PermissionDenied):
        scheme_surveys.survey_batch_cards(actor=world.actor(role), batch=batch)


def test_an_auditor_who_issued_cards_no_longer_prints_them_once_the_case_is_over(world):
    case = world.case_in("in_review")
    batch, _codes = issue(world, world.auditor)
    services.case_refuse(actor=world.reviewer, case=case, rationale=REFUSAL)

    with pytest.raises(PermissionDenied):
        scheme_surveys.survey_batch_cards(actor=world.auditor, batch=batch)


# --- the audit's guard -------------------------------------------------------------------------


def test_signals_block_the_audit_until_each_criterion_signalled_has_a_note(world):
    case = world.case_in("auditing")
    world.answered([SIGNALLED, FINE])
    world.grade_without_notes(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_complete_audit(actor=world.auditor, case=case)

    assert refused.value.guard == "survey_signals"
    assert "C1.1, C2.1" in str(refused.value)
    assert refreshed(case).state == CaseState.AUDITING

    # One note: the other criterion is still named.
    services.finding_record(
        actor=world.auditor,
        case=case,
        criterion="C1.1",
        grade="conforming",
        text="Receipts and worker interviews: the visa fee was refunded.",
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_complete_audit(actor=world.auditor, case=case)
    assert refused.value.guard == "survey_signals"
    assert "C2.1" in str(refused.value) and "C1.1" not in str(refused.value)

    # A note of spaces is no note.
    services.finding_record(
        actor=world.auditor, case=case, criterion="C2.1", grade="conforming", text="   "
    )
    with pytest.raises(TransitionNotAllowed):
        services.case_complete_audit(actor=world.auditor, case=case)

    services.finding_record(
        actor=world.auditor,
        case=case,
        criterion="C2.1",
        grade="conforming",
        text="Every worker met holds their passport.",
    )
    result = services.case_complete_audit(actor=world.auditor, case=case)

    assert refreshed(case).state == CaseState.IN_REVIEW
    assert result.certifiable  # a signal is never by itself a breach


def test_the_guard_tells_the_auditor_the_agency_reads_the_notes(world):
    case = world.case_in("auditing")
    world.answered([SIGNALLED])
    world.grade_without_notes(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_complete_audit(actor=world.auditor, case=case)

    assert "the agency reads the finding notes" in str(refused.value)
    assert "Never write that a worker or the survey reported it" in str(refused.value)


def test_a_completed_audit_looks_at_the_signals_up_to_its_completion(world):
    case = world.case_in("certified")
    first = case.audits.get()
    world.answered([{"WS-PAID": "yes"}])
    world.answered([{"WS-PASSPORT": "agency"}], days_ago=-2)  # after the audit's end

    assert survey_signals_until(first) == timezone.localdate(first.completed_at)
    assert [s.criterion for s in audit_survey_signals(first)] == ["C1.1"]


def test_the_signals_are_read_by_reviewers_and_the_current_auditor_only(world):
    case = world.case_in("in_review")

    assert survey_signals_reader(world.reviewer, world.agency)
    assert survey_signals_reader(world.auditor, world.agency)
    assert not survey_signals_reader(world.agency_member, world.agency)
    services.case_refuse(actor=world.reviewer, case=case, rationale=REFUSAL)
    assert not survey_signals_reader(world.auditor, world.agency)


def test_without_survey_answers_the_audit_completes_as_before(world):
    case = world.case_in("auditing")
    world.answered([FINE] * 3)
    world.grade_without_notes(case)

    services.case_complete_audit(actor=world.auditor, case=case)

    assert refreshed(case).state == CaseState.IN_REVIEW


def test_a_missing_finding_is_named_before_the_signals(world):
    case = world.case_in("auditing")
    world.answered([SIGNALLED])
    services.finding_record(actor=world.auditor, case=case, criterion="A1", grade="conforming")

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_complete_audit(actor=world.auditor, case=case)

    assert refused.value.guard == "findings_complete"


def test_the_score_is_the_same_with_or_without_signals(world):
    results = []
    for answers in ([FINE], [SIGNALLED] * 6):
        world.agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
        CorridorFactory(agency=world.agency, origin="NP", destination="QA")
        case = world.case_in("auditing")
        world.answered(answers)
        world.record_findings(case)  # "Seen on site." on every criterion: a note each
        results.append(services.case_complete_audit(actor=world.auditor, case=case).to_dict())

    fine, signalled = results
    assert signalled["counts"] == fine["counts"]
    assert signalled["overall_conformity"] == fine["overall_conformity"]
    assert signalled["certifiable"] is fine["certifiable"] is True


def test_a_surveillance_audit_looks_at_the_signals_since_the_previous_audit(world):
    case = world.case_in("certified")
    first = case.audits.get()
    assert survey_signals_since(first) is None
    world.answered([SIGNALLED], days_ago=3)  # before the first audit's end: not asked again
    audit = world.surveillance_under_way(case)
    assert survey_signals_since(audit) == timezone.localdate(first.completed_at)
    world.grade_without_notes(case)

    services.case_complete_audit(actor=world.auditor, case=refreshed(case))  # nothing new
    audit.refresh_from_db()
    assert audit.state == "completed"


def test_a_signal_raised_since_the_previous_audit_blocks_the_surveillance_audit(world):
    case = world.case_in("certified")
    world.surveillance_under_way(case)
    world.answered([{"WS-PASSPORT": "agency"}])
    world.grade_without_notes(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_complete_audit(actor=world.auditor, case=refreshed(case))

    assert refused.value.guard == "survey_signals" and "C2.1" in str(refused.value)
    assert "C1.1" not in str(refused.value)


# --- the reviewer's record ---------------------------------------------------------------------


def test_the_reviewers_record_carries_the_survey_and_no_one_elses_does(world):
    case = world.case_in("auditing")
    world.answered([SIGNALLED, FINE])

    record = case_record(case, survey=True)

    assert record.survey.issued == 2 and record.survey.answered == 2
    assert record.survey.aggregate.shown is False  # 2 answers: fewer than k
    assert "Fewer than 5 answers" in record.survey.aggregate.hidden_sentence
    assert [s.criterion for s in record.survey.signals] == ["C1.1", "C2.1"]
    sentences = [line.sentence for entry in record.survey.signals for line in entry.lines]
    assert sentences == [
        "1 worker reported: Did you pay? — Yes",
        "1 worker reported: Who has your passport? — The agency",
    ]
    assert case_record(case).survey is None
