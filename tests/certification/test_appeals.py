"""Appeals (issue 14 §3): lodged by the agency within the period, once per decision;
answered by a reviewer not involved; overturning restores the state before the decision
through the case's own transition; public status; deadlines in run_due_work."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification import services
from certification.due_work import run_due_work
from certification.errors import TransitionNotAllowed
from certification.models import Appeal, AppealFile, StatusEvent, TransitionEvent
from certification.selectors import CaseAccess, case_replay_state
from certification.services import dispatch
from certification.status import agency_status, public_status, supplier_check
from tests.certification.appeals_helpers import (
    ANSWER,
    GROUNDS,
    PDF,
    add_reviewer,
    decided,
    lodged,
    pdf,
)
from tests.certification.test_concurrency import run_at_once
from tests.certification.world import World, at, refreshed
from tests.dates import long_day
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    add_reviewer(world)
    return world


def decide(world, appeal, outcome, **kwargs):
    return services.appeal_decide(
        actor=kwargs.pop("actor", world.appeal_reviewer),
        appeal=appeal,
        outcome=outcome,
        rationale=kwargs.pop("rationale", ANSWER),
        **kwargs,
    )


# --- lodging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "appealed"),
    [("refused", "refuse"), ("suspended", "suspend"), ("withdrawn", "withdraw")],
)
def test_the_agency_appeals_a_refusal_a_suspension_or_a_withdrawal(
    world, state, appealed, django_capture_on_commit_callbacks
):
    case = decided(world, state)
    decision = case.events.filter(subject_type="case").last()

    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_lodge(
            actor=world.agency_member, case=case, grounds=f"  {GROUNDS} "
        )

    appeal.refresh_from_db()
    assert (appeal.case, appeal.decision, appeal.state, appeal.grounds, appeal.lodged_by) == (
        case,
        decision,
        "lodged",
        GROUNDS,
        world.agency_member,
    )
    assert decision.transition == appealed
    assert appeal.due_by == timezone.localdate() + timedelta(days=60)
    assert refreshed(case).state == state  # the decision stays in force
    event = case.events.last()
    assert (event.transition, event.subject_type, event.subject_id, event.source, event.target) == (
        "appeal_lodge",
        "appeal",
        appeal.pk,
        "",
        "lodged",
    )
    assert (event.actor, event.reason, event.snapshot["appealed"]) == (
        world.agency_member,
        GROUNDS,
        appealed,
    )
    assert case_replay_state(case=case) == state  # not a step of the case's own state
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == (
        f"[fairrecruit] Kathmandu Fair Jobs: case {case.pk} — appeal lodged"
    )
    assert sorted(mail.outbox[0].to) == sorted(
        [world.agency_member.email, world.reviewer.email, world.appeal_reviewer.email]
    )
    assert f"/cases/{case.pk}/appeals/" in mail.outbox[0].body


@pytest.mark.parametrize("state", ["in_review", "certified", "expired", "cancelled"])
def test_only_a_refusal_a_suspension_or_a_withdrawal_is_appealed(world, state):
    case = world.case_in(state)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)

    assert refused.value.guard == "state"
    assert str(refused.value).startswith(
        "only a refusal, a suspension or a withdrawal can be appealed: the case is "
    )
    assert Appeal.objects.count() == 0


def test_a_decision_is_appealed_once(world):
    appeal = lodged(world, "suspended")
    day = long_day(timezone.localdate())

    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_lodge(actor=world.agency_member, case=appeal.case, grounds="Again.")

    assert (refused.value.guard, str(refused.value)) == (
        "one_appeal",
        f"the decision to suspend of {day} is already appealed (appeal {appeal.pk}, lodged on "
        f"{day}): a decision is appealed once",
    )
    assert Appeal.objects.count() == 1


def test_an_appeal_is_lodged_within_the_period_of_the_decision(world, settings):
    settings.APPEAL_PERIOD_DAYS = 30
    case = decided(world, "refused")
    decided_on = timezone.localdate()
    last_day = decided_on + timedelta(days=30)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_lodge(
            actor=world.agency_member,
            case=case,
            grounds=GROUNDS,
            now=at(last_day + timedelta(days=1)),
        )

    assert (refused.value.guard, str(refused.value)) == (
        "appeal_period",
        f"an appeal is lodged within 30 days of the decision: the decision to refuse of "
        f"{long_day(decided_on)} could be appealed until {long_day(last_day)}",
    )
    appeal = services.appeal_lodge(
        actor=world.agency_member, case=case, grounds=GROUNDS, now=at(last_day)
    )
    assert appeal.due_by == last_day + timedelta(days=60)


def test_grounds_are_required(world):
    case = decided(world, "refused")

    with pytest.raises(ValidationError) as refused:
        services.appeal_lodge(actor=world.agency_member, case=case, grounds="   ")

    assert refused.value.message_dict == {
        "grounds": ["Write the grounds of the appeal: why the decision is wrong."]
    }
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("role", ["other_agency_member", "reviewer", "assigned_auditor"])
def test_only_the_agency_appeals(world, role):
    case = decided(world, "refused")

    with pytest.raises(PermissionDenied, match="only a member of the case's agency may do this"):
        services.appeal_lodge(actor=world.actor(role), case=case, grounds=GROUNDS)

    assert Appeal.objects.count() == 0


def test_files_are_kept_with_their_digest(world):
    appeal = lodged(world, "refused", files=[pdf(), pdf("second.pdf")])

    stored = list(appeal.files.all())
    assert [(f.original_name, f.content_type, f.size) for f in stored] == [
        ("receipts.pdf", "application/pdf", len(PDF)),
        ("second.pdf", "application/pdf", len(PDF)),
    ]
    assert stored[0].sha256 == hashlib.sha256(PDF).hexdigest()
    with services.appeal_file_open(actor=world.appeal_reviewer, appeal_file=stored[0]) as handle:
        assert handle.read() == PDF
    with pytest.raises(PermissionDenied):
        services.appeal_file_open(actor=world.auditor, appeal_file=stored[0])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("receipts.pdf", b"just text", content_type="application/pdf"),
            "receipts.pdf was not accepted: only PDF, JPEG, PNG, XLSX, DOCX files are, judged "
            "by their content and named for it.",
        ),
        (
            SimpleUploadedFile("receipts.png", PDF, content_type="image/png"),
            "receipts.png was not accepted: only PDF, JPEG, PNG, XLSX, DOCX files are, judged "
            "by their content and named for it.",
        ),
    ],
)
def test_a_file_is_judged_by_its_content_and_nothing_is_kept_when_one_fails(world, upload, message):
    case = decided(world, "refused")

    with pytest.raises(ValidationError) as refused:
        services.appeal_lodge(
            actor=world.agency_member, case=case, grounds=GROUNDS, files=[pdf(), upload]
        )

    assert refused.value.message_dict == {"files": [message]}
    assert (Appeal.objects.count(), AppealFile.objects.count()) == (0, 0)


def test_a_file_over_the_evidence_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    case = decided(world, "refused")

    with pytest.raises(ValidationError) as refused:
        services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS, files=[pdf()])

    assert refused.value.message_dict == {
        "files": ["receipts.pdf is over the limit of 10\xa0bytes a file."]
    }


# --- answering -------------------------------------------------------------------------------


def test_upheld_the_decision_stands(world, django_capture_on_commit_callbacks):
    appeal = lodged(world, "suspended")

    with django_capture_on_commit_callbacks(execute=True):
        decide(world, appeal, "upheld")

    appeal.refresh_from_db()
    assert (appeal.state, appeal.decided_by, appeal.rationale) == (
        "upheld",
        world.appeal_reviewer,
        ANSWER,
    )
    assert refreshed(appeal.case).state == "suspended"
    event = appeal.case.events.last()
    assert (event.transition, event.subject_type, event.source, event.target, event.reason) == (
        "appeal_uphold",
        "appeal",
        "lodged",
        "upheld",
        ANSWER,
    )
    assert [m.subject.rpartition("— ")[2] for m in mail.outbox] == [
        "appeal answered: the decision stands"
    ]


@pytest.mark.parametrize(
    ("state", "restored"),
    [
        ("refused", "in_review"),
        ("suspended", "certified"),
        ("withdrawn", "certified"),  # withdrawn from certified: certified again
        ("withdrawn_suspended", "suspended"),  # withdrawn from suspended: suspended again
    ],
)
def test_overturned_the_state_before_the_decision_is_restored(
    world, state, restored, django_capture_on_commit_callbacks
):
    appeal = lodged(world, state)
    case = appeal.case
    decided_state = refreshed(case).state
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        decide(world, appeal, "overturned", now=now)

    appeal.refresh_from_db()
    case = refreshed(case)
    assert (appeal.state, case.state) == ("overturned", restored)
    overturn, appeal_event = case.events.order_by("-id")[:2][::-1]
    assert (overturn.transition, overturn.subject_type, overturn.source, overturn.target) == (
        "overturn",
        "case",
        decided_state,
        restored,
    )
    assert (overturn.actor, overturn.reason, overturn.snapshot) == (
        world.appeal_reviewer,
        ANSWER,
        {
            "appeal": appeal.pk,
            "decision": appeal.decision_id,
            "overturned": appeal.decision.transition,
        },
    )
    assert (appeal_event.transition, appeal_event.source, appeal_event.target) == (
        "appeal_overturn",
        "lodged",
        "overturned",
    )
    assert case_replay_state(case=case) == restored
    assert case.suspended_at == (now if restored == "suspended" else None)
    # One notice, of the case's overturn, to the agency and the reviewers.
    assert [m.subject.rpartition("— ")[2] for m in mail.outbox] == ["decision overturned on appeal"]
    assert f"is now {'in review' if restored == 'in_review' else restored}" in mail.outbox[0].body


def test_an_overturned_suspension_is_announced_to_employers(world):
    appeal = lodged(world, "suspended")
    case = appeal.case

    decide(world, appeal, "overturned")

    event = StatusEvent.objects.filter(agency=case.agency).order_by("-occurred_at").first()
    assert (event.old_status, event.new_status, event.case) == ("suspended", "certified", case)
    assert public_status(case.agency_id)[0] == "certified"
    assert refreshed(case).certificate.status == "valid"


def test_an_overturned_refusal_is_decided_afresh(world):
    appeal = lodged(world, "refused")

    decide(world, appeal, "overturned")
    case = refreshed(appeal.case)
    services.case_certify(actor=world.appeal_reviewer, case=case, rationale=ANSWER)

    assert refreshed(case).state == "certified"
    assert [d.outcome for d in case.decisions.all()] == ["refused", "certified"]


def test_a_new_decision_after_an_overturn_can_be_appealed_again(world):
    appeal = lodged(world, "suspended")
    decide(world, appeal, "overturned")
    case = refreshed(appeal.case)
    services.case_suspend(actor=world.reviewer, case=case, reason="A second complaint.")

    second = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)

    assert second.decision.reason == "A second complaint."
    assert Appeal.objects.count() == 2


def test_the_reviewer_who_took_the_decision_cannot_answer(world):
    appeal = lodged(world, "suspended")

    with pytest.raises(PermissionDenied) as refused:
        decide(world, appeal, "overturned", actor=world.reviewer)

    assert str(refused.value) == "reviewer took the decision appealed and cannot answer the appeal"
    assert refreshed(appeal).state == "lodged"
    assert refreshed(appeal.case).state == "suspended"


def test_an_auditor_of_the_case_cannot_answer(world):
    appeal = lodged(world, "refused")
    MembershipFactory(user=world.auditor)  # the auditor is a reviewer too

    with pytest.raises(PermissionDenied) as refused:
        decide(world, appeal, "upheld", actor=world.auditor)

    assert str(refused.value) == "auditor audited this case and cannot answer the appeal"
    assert refreshed(appeal).state == "lodged"


@pytest.mark.parametrize("role", ["agency_member", "assigned_auditor", "employer_member"])
def test_only_a_reviewer_answers(world, role):
    appeal = lodged(world, "refused")

    with pytest.raises(PermissionDenied, match="only a reviewer may do this"):
        decide(world, appeal, "upheld", actor=world.actor(role))


def test_the_answer_needs_a_rationale_and_an_outcome(world):
    appeal = lodged(world, "refused")

    with pytest.raises(ValidationError) as short:
        decide(world, appeal, "upheld", rationale="No.")
    with pytest.raises(ValidationError) as unknown:
        decide(world, appeal, "reversed")

    assert short.value.message_dict == {
        "reason": [
            "Write the rationale of the decision: what it rests on, in at least 40 "
            "characters (3 given) to answer an appeal."
        ]
    }
    assert unknown.value.message_dict == {"outcome": ["Answer upheld or overturned."]}
    assert refreshed(appeal).state == "lodged"


def test_an_appeal_is_answered_once(world):
    appeal = lodged(world, "refused")
    decide(world, appeal, "upheld")

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(world, appeal, "overturned")

    assert (refused.value.guard, str(refused.value)) == (
        "state",
        f"this appeal is already answered: upheld on {long_day(timezone.localdate())}",
    )
    assert refreshed(appeal.case).state == "refused"


def test_a_decision_overtaken_by_another_cannot_be_overturned(world):
    appeal = lodged(world, "suspended")
    services.case_withdraw(actor=None, case=appeal.case, reason="suspension not lifted")

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(world, appeal, "overturned")

    assert refused.value.guard == "decision_current"
    assert "(it is now withdrawn): that decision can no longer be overturned" in str(refused.value)
    assert refreshed(appeal).state == "lodged"
    decide(world, appeal, "upheld")  # it can still be answered
    assert refreshed(appeal).state == "upheld"


def test_overturn_is_never_fired_nor_offered_without_an_appeal(world):
    appeal = lodged(world, "refused")
    case = appeal.case

    with pytest.raises(TransitionNotAllowed) as refused:
        dispatch.case_fire(actor=world.appeal_reviewer, case=case, name="overturn", reason=ANSWER)

    assert refused.value.guard == "appeal"
    assert CaseAccess(world.appeal_reviewer).available_transitions(case) == []
    assert refreshed(case).state == "refused"
    assert not TransitionEvent.objects.filter(transition="overturn").exists()


# --- the public status ---------------------------------------------------------------------


def test_the_public_status_says_nothing_of_an_appeal_by_default(world):
    appeal = lodged(world, "suspended")
    agency = appeal.case.agency

    assert agency_status(agency)["status"] == "suspended"
    assert "under_appeal" not in agency_status(agency)
    assert "under_appeal" not in supplier_check([{"id": agency.public_id}])[0]


def test_the_public_status_says_under_appeal_when_the_scheme_shows_it(world, settings):
    settings.APPEAL_SHOWN_ON_PUBLIC_STATUS = True
    appeal = lodged(world, "suspended")
    agency = appeal.case.agency

    shown = agency_status(agency)
    checked = supplier_check([{"id": agency.public_id}])[0]
    assert (shown["status"], shown["under_appeal"]) == ("suspended", True)
    assert (checked["status"], checked["under_appeal"]) == ("suspended", True)
    decide(world, appeal, "upheld")
    assert (agency_status(agency)["status"], agency_status(agency)["under_appeal"]) == (
        "suspended",
        False,
    )


# --- deadlines ------------------------------------------------------------------------------


def test_reviewers_are_reminded_once_before_the_answer_is_due_and_told_once_when_late(
    world, settings, django_capture_on_commit_callbacks
):
    settings.COMPLAINT_REMINDER_DAYS = 2
    settings.SURVEILLANCE_INTERVAL_MONTHS = 48  # nothing else due on these dates
    appeal = lodged(world, "refused")
    due = appeal.due_by
    what = f"appeal {appeal.pk} of case {appeal.case_id} of Kathmandu Fair Jobs"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_work(now=at(due - timedelta(days=3))) == []
        assert run_due_work(now=at(due - timedelta(days=2))) == [
            f"reminded: {what}, answer due by {due.isoformat()}"
        ]
        assert run_due_work(now=at(due - timedelta(days=1))) == []
        assert run_due_work(now=at(due)) == []
    reminders = list(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        late = run_due_work(now=at(due + timedelta(days=1)))
        again = run_due_work(now=at(due + timedelta(days=5)))

    assert late == [f"overdue: {what}, answer due {due.isoformat()} (1 days late)"]
    assert again == [f"overdue: {what}, answer due {due.isoformat()} (5 days late)"]
    assert [m.subject.rpartition("— ")[2] for m in reminders] == ["appeal to answer soon"]
    assert sorted(reminders[0].to) == sorted([world.reviewer.email, world.appeal_reviewer.email])
    assert [m.subject.rpartition("— ")[2] for m in mail.outbox] == [
        "appeal to answer soon",
        "appeal answer overdue",
    ]
    decide(world, appeal, "upheld")
    assert run_due_work(now=at(due + timedelta(days=6))) == []


# --- at once (PostgreSQL) ---------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_answering_one_appeal_at_once_one_wins():
    world = World()
    first, second = add_reviewer(world, "first"), add_reviewer(world, "second")
    appeal = lodged(world, "suspended")
    reviewers = iter([(first, "overturned"), (second, "upheld")])
    lock = threading.Lock()

    def answer():
        with lock:
            actor, outcome = next(reviewers)
        return services.appeal_decide(actor=actor, appeal=appeal, outcome=outcome, rationale=ANSWER)

    results, failures = run_at_once(2, answer)

    assert (len(results), len(failures)) == (1, 1)
    assert isinstance(failures[0], TransitionNotAllowed) and failures[0].guard == "state"
    appeal.refresh_from_db()
    assert appeal.decided_by == results[0].decided_by
    assert refreshed(appeal.case).state == (
        "certified" if appeal.state == "overturned" else "suspended"
    )
    assert (
        TransitionEvent.objects.filter(
            case=appeal.case, transition__in=["appeal_uphold", "appeal_overturn"]
        ).count()
        == 1
    )


def test_an_overturn_is_refused_while_the_agency_has_another_open_case(world):
    appeal = lodged(world, "refused")
    second = world.open()  # the refused case is closed: the agency may begin again

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(world, appeal, "overturned")

    assert refused.value.guard == "one_open_case"
    assert f"has another open case ({second.pk}, " in str(refused.value)
    assert refreshed(appeal.case).state == "refused"
    assert Appeal.objects.get(pk=appeal.pk).state == "lodged"
    services.case_cancel(actor=world.agency_member, case=second)
    decide(world, appeal, "overturned")
    assert refreshed(appeal.case).state == "in_review"


def test_case_overturn_itself_checks_the_appeal_and_who_answers(world):
    appeal = lodged(world, "suspended")

    with pytest.raises(PermissionDenied, match="took the decision appealed"):
        services.case_overturn(
            actor=world.reviewer, case=appeal.case, rationale=ANSWER, appeal=appeal
        )
    decide(world, appeal, "upheld")
    with pytest.raises(TransitionNotAllowed, match="already answered"):
        services.case_overturn(
            actor=world.appeal_reviewer, case=appeal.case, rationale=ANSWER, appeal=appeal
        )
    assert refreshed(appeal.case).state == "suspended"
