"""The life of a complaint on the scheme's side: each step by a reviewer, with a message to the
complainant and a note, logged; its consequences through the case's workflow; its deadlines."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_fsm import TransitionNotAllowed

from audits.models import AuditKind, AuditState
from certification.due_work import run_due_work
from certification.models import CaseState, TransitionEvent
from certification.services import complaints as handling
from monitoring import selectors, services
from monitoring.models import (
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintReminder,
    Direction,
    State,
)
from tests.certification.world import World, at, refreshed
from tests.factories import MembershipFactory
from tests.monitoring.helpers import CONTACT, file_complaint

pytestmark = pytest.mark.django_db

HEARD = "We received your complaint. A reviewer of the scheme reads it this week."
LOOKING = "We are looking into what you told us; an auditor will visit the agency."
FOUND = "What you told us was found true. The agency's certificate is being acted on."


@pytest.fixture
def world():
    return World()


def step(world, complaint, name, message=HEARD, **extra):
    return handling.complaint_handle(
        actor=world.reviewer, complaint=complaint, name=name, message=message, **extra
    )


def substantiated(world, case=None, **intake):
    complaint, _code = file_complaint(agency=world.agency, **intake)
    if case is not None:
        handling.complaint_link_case(
            actor=world.reviewer,
            complaint=complaint,
            case=case,
            shared_summary="Fees for visas reported by a worker placed in 2026.",
        )
    step(world, complaint, "acknowledge")
    step(world, complaint, "investigate", LOOKING)
    step(world, complaint, "substantiate", FOUND, note="Receipts match the agency's ledger.")
    return Complaint.objects.get(pk=complaint.pk)


def test_a_complaint_goes_through_its_life_each_step_logged(world):
    complaint, _code = file_complaint()

    step(world, complaint, "acknowledge", note="Zero tolerance: fee.")
    step(world, complaint, "investigate", LOOKING)
    step(world, complaint, "substantiate", FOUND)

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.state == State.SUBSTANTIATED
    events = list(complaint.events.values_list("name", "source", "target", "actor__username"))
    assert events == [
        ("acknowledge", "received", "acknowledged", "reviewer"),
        ("investigate", "acknowledged", "investigating", "reviewer"),
        ("substantiate", "investigating", "substantiated", "reviewer"),
    ]
    shown = [text for _m, text in selectors.complaint_messages_for_complainant(complaint)]
    assert shown == [HEARD, LOOKING, FOUND]  # the internal note is not among them
    notes = complaint.messages.filter(direction=Direction.INTERNAL)
    assert notes.count() == 1
    assert complaint.events.get(name="acknowledge").note_id == notes.get().pk


def test_the_words_of_each_step_are_encrypted_in_the_database(world):
    complaint, _code = file_complaint()
    step(world, complaint, "acknowledge", note="The worker sounded afraid of the sub-agent.")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body_encrypted FROM monitoring_complaintmessage WHERE complaint_id = %s",
            [complaint.pk],
        )
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "afraid" not in stored and "received your complaint" not in stored


@pytest.mark.parametrize(
    ("path", "name", "final"),
    [
        (["acknowledge"], "not_substantiate", State.NOT_SUBSTANTIATED),
        (["acknowledge", "investigate"], "not_substantiate", State.NOT_SUBSTANTIATED),
        ([], "withdraw", State.WITHDRAWN),
        (["acknowledge", "investigate"], "withdraw", State.WITHDRAWN),
        (["acknowledge"], "refer", State.REFERRED),
        (["acknowledge", "investigate", "substantiate"], "refer", State.REFERRED),
    ],
)
def test_every_way_a_complaint_ends(world, path, name, final):
    complaint, _code = file_complaint()
    for earlier in path:
        step(world, complaint, earlier)

    step(world, complaint, name, referral="Labour inspectorate of Qatar" if name == "refer" else "")

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.state == final
    assert complaint.referral == ("Labour inspectorate of Qatar" if name == "refer" else "")
    assert services.complaint_transitions_available(complaint) == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ([], "investigate"),
        ([], "substantiate"),
        ([], "refer"),
        (["acknowledge"], "acknowledge"),
        (["acknowledge"], "substantiate"),
        (["acknowledge", "not_substantiate"], "investigate"),
        (["withdraw"], "acknowledge"),
    ],
)
def test_a_step_its_state_does_not_allow_is_refused_and_changes_nothing(world, path, name):
    complaint, _code = file_complaint()
    for earlier in path:
        step(world, complaint, earlier)
    complaint = Complaint.objects.get(pk=complaint.pk)
    before = (complaint.state, complaint.events.count(), complaint.messages.count())

    with pytest.raises(TransitionNotAllowed, match="the complaint is"):
        step(world, complaint, name, referral="Police")

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.state, complaint.events.count(), complaint.messages.count()) == before


def test_a_step_needs_a_message_and_a_referral_needs_its_authority(world):
    complaint, _code = file_complaint()

    with pytest.raises(ValidationError) as no_message:
        step(world, complaint, "acknowledge", message="  ")
    step(world, complaint, "acknowledge")
    with pytest.raises(ValidationError) as no_referral:
        step(world, complaint, "refer", referral=" ")

    assert list(no_message.value.message_dict) == ["message"]
    assert list(no_referral.value.message_dict) == ["referral"]
    assert Complaint.objects.get(pk=complaint.pk).state == State.ACKNOWLEDGED


@pytest.mark.parametrize("role", ["agency_member", "assigned_auditor", "employer_member"])
def test_only_reviewers_handle_complaints(world, role):
    complaint, _code = file_complaint()

    with pytest.raises(PermissionDenied):
        handling.complaint_handle(
            actor=world.actor(role), complaint=complaint, name="acknowledge", message=HEARD
        )
    assert Complaint.objects.get(pk=complaint.pk).state == State.RECEIVED


def test_a_reviewer_who_audited_the_agency_may_not_handle_its_complaints(world):
    case = world.case_in(CaseState.CERTIFIED)
    linked, _code = file_complaint(agency=world.agency)
    handling.complaint_link_case(actor=world.reviewer, complaint=linked, case=case)
    unlinked, _code = file_complaint(agency=world.agency)
    unknown, _code = file_complaint(agency=None)
    # The auditor of the agency's case is a reviewer too.
    MembershipFactory(user=world.auditor)

    for attempt in (
        lambda: step(world_as(world, world.auditor), linked, "acknowledge"),
        lambda: step(world_as(world, world.auditor), unlinked, "acknowledge"),
        # unlinking first, to step it then, is refused too
        lambda: handling.complaint_link_case(actor=world.auditor, complaint=linked, case=None),
        # and so is linking a complaint of an unknown agency to the case they audited
        lambda: handling.complaint_link_case(actor=world.auditor, complaint=unknown, case=case),
        lambda: handling.complaint_message(
            actor=world.auditor, complaint=linked, direction="internal", text="Mine."
        ),
    ):
        with pytest.raises(PermissionDenied, match="you audited the agency"):
            attempt()

    assert {c.state for c in Complaint.objects.all()} == {State.RECEIVED}
    assert Complaint.objects.get(pk=linked.pk).case == case
    assert Complaint.objects.get(pk=unknown.pk).case is None
    assert not ComplaintEvent.objects.exclude(name="link").exists()


def world_as(world, person):
    """The same world, acting as another reviewer."""

    class As:
        reviewer = person

    return As


def test_a_case_of_another_agency_moves_a_complaint_only_when_confirmed(world):
    from tests.factories import AgencyFactory

    other = AgencyFactory(name="Dhaka Overseas")
    complaint, _code = file_complaint(agency=other)
    case = world.case_in(CaseState.CERTIFIED)

    with pytest.raises(ValidationError, match="Confirm that it is about Kathmandu Fair Jobs"):
        handling.complaint_link_case(actor=world.reviewer, complaint=complaint, case=case)
    assert Complaint.objects.get(pk=complaint.pk).agency == other

    handling.complaint_link_case(
        actor=world.reviewer, complaint=complaint, case=case, move_agency=True
    )
    assert Complaint.objects.get(pk=complaint.pk).agency == world.agency


def test_a_complaint_about_an_unknown_agency_is_linked_later(world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint, _code = file_complaint(agency=None, agency_text="Fair Jobs, Kathmandu")
    assert complaint.agency is None

    handling.complaint_link_case(
        actor=world.reviewer, complaint=complaint, case=case, shared_summary="Fees reported."
    )

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.agency, complaint.case, complaint.shared_summary) == (
        world.agency,
        case,
        "Fees reported.",
    )
    assert complaint.events.get().detail == {
        "before": {"agency": None, "case": None},
        "agency": world.agency.pk,
        "case": case.pk,
    }


# --- consequences, through the case's workflow ---------------------------------------------


def test_a_special_audit_is_ordered_on_a_substantiated_complaint(world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint = substantiated(world, case)
    today = date.today()

    audit = handling.complaint_order_special_audit(
        actor=world.reviewer,
        complaint=complaint,
        auditor=world.other_auditor_membership,
        stage1_date=today,
        stage2_date=today + timedelta(days=3),
    )

    assert (audit.kind, audit.state, audit.case) == (AuditKind.SPECIAL, AuditState.PLANNED, case)
    event = case.events.get(transition="audit_plan")
    assert event.reason == f"ordered on complaint {complaint.number}"
    assert complaint.events.last().name == "order_special_audit"
    assert complaint.events.last().detail == {"case": case.pk, "audit": audit.pk}


@pytest.mark.parametrize(
    ("service", "name", "state"),
    [
        (handling.complaint_suspend, "suspend", CaseState.SUSPENDED),
        (handling.complaint_withdraw_certificate, "withdraw", CaseState.WITHDRAWN),
    ],
)
def test_a_certificate_is_suspended_or_withdrawn_with_the_complaint_as_reason(
    world, service, name, state
):
    case = world.case_in(CaseState.CERTIFIED)
    complaint = substantiated(world, case)

    service(actor=world.reviewer, complaint=complaint, reason="fees taken from two workers")

    assert refreshed(case).state == state
    assert case.events.get(transition=name).reason == (
        f"complaint {complaint.number} substantiated: fees taken from two workers"
    )


def test_consequences_need_a_substantiated_complaint_linked_to_a_case(world):
    case = world.case_in(CaseState.CERTIFIED)
    open_complaint, _code = file_complaint(agency=world.agency)
    handling.complaint_link_case(actor=world.reviewer, complaint=open_complaint, case=case)
    unlinked = substantiated(world)

    with pytest.raises(TransitionNotAllowed, match="follows a substantiated complaint"):
        handling.complaint_suspend(actor=world.reviewer, complaint=open_complaint, reason="x")
    with pytest.raises(ValidationError, match="Link the complaint"):
        handling.complaint_suspend(actor=world.reviewer, complaint=unlinked, reason="x")
    with pytest.raises(TransitionNotAllowed, match="certified"):
        # the workflow's own guard: a special audit needs a certified case
        handling.complaint_suspend(
            actor=world.reviewer, complaint=substantiated(world, case), reason="first"
        )
        handling.complaint_order_special_audit(
            actor=world.reviewer,
            complaint=Complaint.objects.filter(case=case, state="substantiated").first(),
            auditor=world.other_auditor_membership,
            stage1_date=date.today(),
            stage2_date=date.today(),
        )
    assert refreshed(case).state == CaseState.SUSPENDED


# --- notices --------------------------------------------------------------------------------


def test_reviewers_hear_of_a_new_complaint_without_its_content(
    world, django_capture_on_commit_callbacks
):
    world.reviewer.email = "reviewer@scheme.example"
    world.reviewer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _code = handling.complaint_receive(
            agency=world.agency,
            categories=["document_kept"],
            description="They keep my passport in the office safe.",
            contact=CONTACT,
        )

    (notice,) = mail.outbox
    assert notice.to == ["reviewer@scheme.example"]
    assert complaint.number in notice.subject and "zero tolerance" in notice.subject
    for secret in ("passport", CONTACT, world.agency.name):
        assert secret not in notice.subject + notice.body


def test_a_complainant_with_an_e_mail_hears_of_each_step_in_their_language_in_neutral_words(
    world, django_capture_on_commit_callbacks
):
    complaint, _code = file_complaint(answer_language="fr")
    anonymous, _code = file_complaint(contact="")
    phone, _code = file_complaint(contact="+977 98 1234 5678")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for each in (complaint, anonymous, phone):
            step(world, each, "acknowledge", message="Nous avons bien reçu votre plainte.")

    (notice,) = mail.outbox
    assert notice.to == [CONTACT]
    assert notice.subject == "[fairrecruit] Un message pour vous"
    assert "http://127.0.0.1:8000/news/ " in notice.body  # the follow-up page, neutrally named
    # Whoever else reads the inbox learns nothing: no number, no word of a complaint.
    for telling in (complaint.number, "plainte", "complaint", "Nous avons bien reçu"):
        assert telling not in notice.subject + notice.body


def test_a_notice_that_cannot_be_sent_is_logged_without_the_address(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import smtplib

    from certification import complaint_notices

    def refuse(subject, body, sender, to):
        raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"no such user")})

    monkeypatch.setattr(complaint_notices, "send_mail", refuse)
    complaint, _code = file_complaint()

    with django_capture_on_commit_callbacks(execute=True):
        step(world, complaint, "acknowledge")

    assert [r.getMessage() for r in caplog.records if r.name == complaint_notices.__name__] == [
        f"notice state of complaint {complaint.pk} could not be sent (SMTPRecipientsRefused)"
    ]
    assert CONTACT not in caplog.text


# --- deadlines ------------------------------------------------------------------------------


def received_on(complaint, day: date) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(created_at=at(day))
    return Complaint.objects.get(pk=complaint.pk)


def test_deadlines_remind_once_and_list_what_is_overdue(world, settings):
    settings.COMPLAINT_ACKNOWLEDGE_DAYS = 7
    settings.COMPLAINT_INVESTIGATE_DAYS = 30
    settings.COMPLAINT_ANSWER_DAYS = 90
    settings.COMPLAINT_REMINDER_DAYS = 2
    world.reviewer.email = "reviewer@scheme.example"
    world.reviewer.save()
    complaint = received_on(file_complaint()[0], date(2026, 3, 2))
    mail.outbox.clear()

    assert run_due_work(now=at(date(2026, 3, 6))) == []
    assert run_due_work(now=at(date(2026, 3, 7))) == [
        f"reminded: complaint {complaint.number}, acknowledge by 2026-03-09"
    ]
    assert run_due_work(now=at(date(2026, 3, 8))) == []  # reminded once
    late = [f"overdue: complaint {complaint.number}, acknowledge by 2026-03-09 (1 days late)"]
    assert run_due_work(now=at(date(2026, 3, 10))) == late
    assert run_due_work(now=at(date(2026, 3, 10))) == late  # listed on every run
    assert [m.subject for m in mail.outbox] == [
        f"[fairrecruit] Complaint {complaint.number} — due soon: acknowledge by 2026-03-09",
        f"[fairrecruit] Complaint {complaint.number} — overdue: acknowledge by 2026-03-09",
    ]
    assert "fee" not in mail.outbox[0].body.lower()

    step(world, complaint, "acknowledge")
    assert run_due_work(now=at(date(2026, 3, 11))) == []
    assert run_due_work(now=at(date(2026, 3, 30))) == [
        f"reminded: complaint {complaint.number}, decide whether to investigate by 2026-04-01"
    ]
    step(world, complaint, "investigate", LOOKING)
    step(world, complaint, "substantiate", FOUND)
    assert run_due_work(now=at(date(2026, 6, 30))) == []  # answered: nothing due
    assert set(ComplaintReminder.objects.values_list("deadline", "kind")) == {
        ("acknowledge", "reminder"),
        ("acknowledge", "overdue"),
        ("investigate", "reminder"),
    }


def test_the_queue_puts_open_overdue_and_zero_tolerance_first_then_the_oldest(world):
    old_other = received_on(file_complaint(categories=["other"])[0], date(2026, 1, 5))
    recent_other = received_on(file_complaint(categories=["other"])[0], date(2026, 2, 20))
    recent_fee = received_on(file_complaint(categories=["fee_paid"])[0], date(2026, 2, 21))
    closed = received_on(file_complaint(categories=["fee_paid"])[0], date(2026, 2, 21))
    step(world, closed, "withdraw")

    queue = selectors.complaint_review_list(world.reviewer, today=date(2026, 2, 25))

    # old_other is overdue (received 51 days before, not acknowledged): first of all
    assert list(queue.values_list("pk", flat=True)) == [
        old_other.pk,
        recent_fee.pk,
        recent_other.pk,
        closed.pk,
    ]
    assert [c.is_overdue for c in queue] == [True, False, False, False]
    assert selectors.complaint_review_list(world.agency_member).count() == 0


def test_the_log_of_a_complaint_is_append_only(world):
    complaint, _code = file_complaint()
    event = step(world, complaint, "acknowledge")

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(pk=event.pk).update(name="x")
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(pk=event.pk).delete()
    assert ComplaintMessage.objects.filter(complaint=complaint).count() == 1
    assert not TransitionEvent.objects.exists()
