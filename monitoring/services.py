"""Every action on a complaint (DESIGN.md §7): filing it, adding to it, reading it.

Nothing of who filed it is taken: these functions receive no request, no address and no
user for the complainant. Contents are encrypted before they reach the database, and
decrypted only in `complaint_read` / `complaint_file_read`, which log the reader.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed

from monitoring import crypto
from monitoring.models import (
    OPEN_STATES,
    ZERO_TOLERANCE,
    AnswerLanguage,
    Category,
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    ComplaintMessage,
    ComplaintReading,
    ComplaintReminder,
    Direction,
)
from recruiters.models import Agency
from recruiters.permissions import is_reviewer

DESCRIPTION_MAX_LENGTH = 10_000
CONTACT_MAX_LENGTH = 200
REFERRAL_MAX_LENGTH = 200
SHARED_SUMMARY_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ComplaintTransition:
    """A step of a complaint's life a reviewer takes (the FSM method of the same name)."""

    name: str
    action: object  # its button
    verb: object  # in a sentence: "cannot acknowledge: ..."


COMPLAINT_TRANSITIONS: dict[str, ComplaintTransition] = {
    t.name: t
    for t in (
        ComplaintTransition(
            "acknowledge", gettext_lazy("Acknowledge"), gettext_lazy("acknowledge")
        ),
        ComplaintTransition(
            "investigate", gettext_lazy("Investigate"), gettext_lazy("investigate")
        ),
        ComplaintTransition(
            "substantiate",
            gettext_lazy("Substantiated: close as found true"),
            gettext_lazy("substantiate"),
        ),
        ComplaintTransition(
            "not_substantiate",
            gettext_lazy("Not substantiated: close"),
            gettext_lazy("close as not substantiated"),
        ),
        ComplaintTransition(
            "refer",
            gettext_lazy("Refer to an authority or a support service"),
            gettext_lazy("refer"),
        ),
        ComplaintTransition(
            "withdraw",
            gettext_lazy("Withdrawn at the complainant's request"),
            gettext_lazy("record the withdrawal"),
        ),
    )
}


@dataclass(frozen=True)
class CheckedFile:
    """A file whose content was judged an allowed type (by the intake, see
    certification/complaint_intake.py): what it is and its bytes."""

    content_type: str
    data: bytes


@dataclass(frozen=True)
class ComplaintContents:
    """What a reviewer reads: the decrypted words and contact, and the messages."""

    description: str
    contact: str
    messages: list[tuple[ComplaintMessage, str]]


def follow_up_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def new_follow_up_code() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


def _validate(*, categories, description, contact, answer_language, files) -> dict:
    errors = {}
    if not categories:
        errors["categories"] = [_("Choose at least one thing that happened.")]
    else:
        unknown = [c for c in categories if c not in Category.values]
        if unknown:
            errors["categories"] = [
                _("Unknown category: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
            ]
    if not (description or "").strip():
        errors["description"] = [_("Say what happened, in your own words.")]
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            _("At most %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH}
        ]
    if len(contact or "") > CONTACT_MAX_LENGTH:
        errors["contact"] = [_("At most %(limit)s characters.") % {"limit": CONTACT_MAX_LENGTH}]
    if answer_language not in AnswerLanguage.values:
        errors["answer_language"] = [_("Choose English or French.")]
    errors.update(_files_errors(files))
    return errors


def _files_errors(files) -> dict:
    if len(files) > settings.COMPLAINT_MAX_FILES:
        return {
            "files": [
                _("At most %(count)s files at a time.") % {"count": settings.COMPLAINT_MAX_FILES}
            ]
        }
    if any(len(f.data) > settings.COMPLAINT_FILE_MAX_BYTES for f in files):
        return {
            "files": [
                _("Each file may be up to %(limit)s bytes.")
                % {"limit": settings.COMPLAINT_FILE_MAX_BYTES}
            ]
        }
    return {}


def _store_files(complaint: Complaint, message: ComplaintMessage | None, files) -> None:
    for checked in files:
        stored = ComplaintFile(
            complaint=complaint,
            message=message,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=hashlib.sha256(checked.data).hexdigest(),
            uploaded_at=timezone.now(),
        )
        # The file's bytes are encrypted too: a receipt photo may show a name.
        stored.file.save("complaint", ContentFile(crypto.encrypt_bytes(checked.data)), save=False)
        stored.save()


def complaint_file(
    *,
    agency: Agency | None,
    agency_text: str = "",
    categories: list[str],
    description: str,
    happened_when: str = "",
    happened_on: date | None = None,
    happened_where: str = "",
    contact: str = "",
    answer_language: str = AnswerLanguage.EN,
    files: list[CheckedFile] = (),
) -> tuple[Complaint, str]:
    """File a complaint; returns it and its follow-up code, which is never stored (only its
    hash): the caller shows it once."""
    categories = list(dict.fromkeys(categories or []))
    errors = _validate(
        categories=categories,
        description=description,
        contact=contact,
        answer_language=answer_language,
        files=files,
    )
    if errors:
        raise ValidationError(errors)
    code = new_follow_up_code()
    with transaction.atomic():
        complaint = Complaint(
            follow_up_hash=follow_up_hash(code),
            agency=agency,
            agency_text="" if agency else (agency_text or "").strip()[:200],
            categories=categories,
            zero_tolerance=any(c in ZERO_TOLERANCE for c in categories),
            happened_when=(happened_when or "").strip()[:100],
            happened_on=happened_on,
            happened_where=(happened_where or "").strip()[:200],
            description_encrypted=crypto.encrypt(description.strip()),
            contact_encrypted=crypto.encrypt((contact or "").strip()),
            answer_language=answer_language,
        )
        complaint.save()
        # Numbered from its row: unique without a counter to lock.
        complaint.number = f"CP-{complaint.created_at:%Y}-{complaint.pk:06d}"
        complaint.save(update_fields=["number"])
        _store_files(complaint, None, files)
    return complaint, code


def complaint_add_message(
    *, complaint: Complaint, text: str = "", files: list[CheckedFile] = ()
) -> ComplaintMessage:
    """The complainant adds information or files (they proved the code to the caller)."""
    errors = {}
    if not (text or "").strip() and not files:
        errors["text"] = [_("Write something or join a file.")]
    elif len(text or "") > DESCRIPTION_MAX_LENGTH:
        errors["text"] = [_("At most %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH}]
    errors.update(_files_errors(files))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            direction=Direction.FROM_COMPLAINANT,
            body_encrypted=crypto.encrypt((text or "").strip()),
        )
        _store_files(complaint, message, files)
    return message


def complaint_read(*, actor, complaint: Complaint) -> ComplaintContents:
    """The decrypted contents, for a scheme reviewer only; each reading leaves a row."""
    if not is_reviewer(actor):
        raise PermissionDenied
    ComplaintReading.objects.create(complaint=complaint, reader=actor)
    return ComplaintContents(
        description=crypto.decrypt(complaint.description_encrypted),
        contact=crypto.decrypt(complaint.contact_encrypted),
        messages=[(m, crypto.decrypt(m.body_encrypted)) for m in complaint.messages.all()],
    )


def complaint_file_read(*, actor, complaint_file: ComplaintFile) -> bytes:
    """A file's decrypted bytes, for a scheme reviewer only; logged like a reading."""
    if not is_reviewer(actor):
        raise PermissionDenied
    ComplaintReading.objects.create(
        complaint_id=complaint_file.complaint_id,
        reader=actor,
        what=ComplaintReading.What.FILE,
        file=complaint_file,
    )
    with complaint_file.file.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def complaint_transitions_available(complaint: Complaint) -> list[ComplaintTransition]:
    """The steps the complaint's state allows, in the order of its life."""
    return [t for t in COMPLAINT_TRANSITIONS.values() if can_proceed(getattr(complaint, t.name))]


def _message(complaint, direction, text, actor, now) -> ComplaintMessage | None:
    text = (text or "").strip()
    if not text:
        return None
    return ComplaintMessage.objects.create(
        complaint=complaint,
        direction=direction,
        body_encrypted=crypto.encrypt(text),
        author=actor,
        created_at=now,
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _shared_summary_errors(shared_summary) -> dict:
    if shared_summary is not None and len(shared_summary) > SHARED_SUMMARY_MAX_LENGTH:
        return {
            "shared_summary": [
                _("At most %(limit)s characters.") % {"limit": SHARED_SUMMARY_MAX_LENGTH}
            ]
        }
    return {}


def _require_reviewer(actor) -> None:
    if not is_reviewer(actor):
        raise PermissionDenied(_("only the scheme's reviewers handle complaints"))


def complaint_transition(
    *,
    actor,
    complaint: Complaint,
    name: str,
    message: str,
    note: str = "",
    referral: str = "",
    shared_summary: str | None = None,
    now=None,
) -> ComplaintEvent:
    """A reviewer moves a complaint on: with a message to the complainant (shown on the
    follow-up page, in their language where the reviewer wrote one) and an optional internal
    note, both encrypted; logged. `shared_summary`, when given, replaces what the audit of
    the agency may be told. Callers check who may act on the case linked (impartiality):
    certification/services/complaints.py."""
    _require_reviewer(actor)
    entry = COMPLAINT_TRANSITIONS.get(name)
    if entry is None:
        raise ValueError(f"unknown complaint transition {name!r}")
    now = now or timezone.now()
    errors = {}
    if not (message or "").strip():
        errors["message"] = [
            _("Write the message the complainant will read on the follow-up page.")
        ]
    for field, text in (("message", message), ("note", note)):
        if len(text or "") > DESCRIPTION_MAX_LENGTH and field not in errors:
            errors[field] = [_("At most %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH}]
    referral = (referral or "").strip()
    if name == "refer" and not referral:
        errors["referral"] = [_("Name the authority or the support service it is referred to.")]
    elif len(referral) > REFERRAL_MAX_LENGTH:
        errors["referral"] = [_("At most %(limit)s characters.") % {"limit": REFERRAL_MAX_LENGTH}]
    errors.update(_shared_summary_errors(shared_summary))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _lock(complaint)
        if not can_proceed(getattr(complaint, name)):
            raise TransitionNotAllowed(
                _("cannot %(step)s: the complaint is %(state)s")
                % {"step": entry.verb, "state": complaint.get_state_display().lower()}
            )
        source = complaint.state
        getattr(complaint, name)()
        complaint.state_changed_at = now
        if name == "refer":
            complaint.referral = referral
        if shared_summary is not None:
            complaint.shared_summary = shared_summary.strip()
        complaint.save()
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            name=name,
            source=source,
            target=complaint.state,
            actor=actor,
            message=_message(complaint, Direction.TO_COMPLAINANT, message, actor, now),
            note=_message(complaint, Direction.INTERNAL, note, actor, now),
            detail={"referral": referral} if referral else {},
            created_at=now,
        )
    return event


def complaint_note(
    *, actor, complaint: Complaint, name: str, note: str = "", detail=None, now=None
) -> ComplaintEvent:
    """Log a step that is not a change of state (a link to a case, a consequence ordered
    through the case's workflow), with an optional internal note."""
    _require_reviewer(actor)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint)
        return ComplaintEvent.objects.create(
            complaint=complaint,
            name=name,
            source=complaint.state,
            target=complaint.state,
            actor=actor,
            note=_message(complaint, Direction.INTERNAL, note, actor, now),
            detail=detail or {},
            created_at=now,
        )


def complaint_link(
    *, actor, complaint: Complaint, agency: Agency | None, case=None, shared_summary=None, now=None
) -> Complaint:
    """A reviewer links the complaint to the agency it concerns (one not found at intake)
    and to one of its certification cases; `case` must be that agency's."""
    _require_reviewer(actor)
    errors = _shared_summary_errors(shared_summary)
    if case is not None and agency is not None and case.agency_id != agency.pk:
        errors["case"] = [_("This case is not the agency's.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _lock(complaint)
        before = {"agency": complaint.agency_id, "case": complaint.case_id}
        complaint.agency = agency
        complaint.case = case
        if shared_summary is not None:
            complaint.shared_summary = shared_summary.strip()
        complaint.save(update_fields=["agency", "case", "shared_summary"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            name="link",
            source=complaint.state,
            target=complaint.state,
            actor=actor,
            detail={
                "before": before,
                "agency": agency.pk if agency else None,
                "case": case.pk if case else None,
            },
            created_at=now or timezone.now(),
        )
    return complaint


@dataclass(frozen=True)
class DeadlineNotice:
    """A deadline of a complaint coming (a reminder) or passed (overdue)."""

    complaint: Complaint
    deadline: str
    kind: str
    due: date
    first: bool  # not sent before: the reviewers are written to


def complaint_deadlines(today: date, now=None, notify=None) -> list[DeadlineNotice]:
    """Every deadline of an open complaint within COMPLAINT_REMINDER_DAYS or past, on
    `today`. Each reminder and each overdue notice is recorded once (a unique row) and
    `notify(notice)` called for it in the same transaction, so that the reviewers are
    written to once however often the scheduler runs, and a notice that could not be queued
    is tried again next time; what is overdue is listed every time."""
    now = now or timezone.now()
    ahead = settings.COMPLAINT_REMINDER_DAYS
    found = []
    for complaint in Complaint.objects.filter(state__in=OPEN_STATES).order_by("created_at", "id"):
        for deadline, due in complaint.deadlines_pending():
            if today > due:
                kind = ComplaintReminder.Kind.OVERDUE
            elif (due - today).days <= ahead:
                kind = ComplaintReminder.Kind.REMINDER
            else:
                continue
            with transaction.atomic():
                _, first = ComplaintReminder.objects.get_or_create(
                    complaint=complaint, deadline=deadline, kind=kind, defaults={"sent_at": now}
                )
                notice = DeadlineNotice(complaint, deadline, kind, due, first)
                if first and notify is not None:
                    notify(notice)
            found.append(notice)
    return found


def complaint_write(*, actor, complaint: Complaint, direction: str, text: str, now=None):
    """A reviewer writes to the complainant (read on the follow-up page) or adds an internal
    note, without changing the complaint's state; encrypted and logged."""
    _require_reviewer(actor)
    errors = {}
    if direction not in (Direction.TO_COMPLAINANT, Direction.INTERNAL):
        errors["direction"] = [_("Write to the complainant or an internal note.")]
    if not (text or "").strip():
        errors["text"] = [_("Write the message.")]
    elif len(text) > DESCRIPTION_MAX_LENGTH:
        errors["text"] = [_("At most %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint)
        message = _message(complaint, direction, text, actor, now)
        ComplaintEvent.objects.create(
            complaint=complaint,
            name="write" if direction == Direction.TO_COMPLAINANT else "note",
            source=complaint.state,
            target=complaint.state,
            actor=actor,
            message=message if direction == Direction.TO_COMPLAINANT else None,
            note=message if direction == Direction.INTERNAL else None,
            created_at=now,
        )
    return message
