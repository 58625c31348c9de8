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

from monitoring import crypto
from monitoring.models import (
    ZERO_TOLERANCE,
    AnswerLanguage,
    Category,
    Complaint,
    ComplaintFile,
    ComplaintMessage,
    ComplaintReading,
    Direction,
)
from recruiters.models import Agency
from recruiters.permissions import is_reviewer

DESCRIPTION_MAX_LENGTH = 10_000
CONTACT_MAX_LENGTH = 200


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
