"""Reads of complaints: the complainant's follow-up, the reviewers' queue."""

import re
import secrets

from django.db.models import Count

from monitoring import crypto
from monitoring.models import Complaint, ComplaintMessage, Direction
from monitoring.services import follow_up_hash
from recruiters.permissions import is_reviewer

COMPLAINT_NUMBER = re.compile(r"CP-\d{4}-\d{6,}")
_DUMMY_HASH = follow_up_hash("not a code")


def complaint_follow(number: str, code: str) -> Complaint | None:
    """The complaint when number and code match, else None, the same whichever is wrong;
    the hashes are compared even when the number is unknown, so that timing tells nothing."""
    number = (number or "").strip().upper()
    complaint = (
        Complaint.objects.filter(number=number).first()
        if COMPLAINT_NUMBER.fullmatch(number)
        else None
    )
    expected = complaint.follow_up_hash if complaint else _DUMMY_HASH
    given = follow_up_hash((code or "").strip())
    if not secrets.compare_digest(given, expected) or complaint is None:
        return None
    return complaint


def complaint_messages_for_complainant(complaint: Complaint) -> list[tuple[ComplaintMessage, str]]:
    """What the scheme wrote to the complainant, newest last, decrypted."""
    messages = complaint.messages.filter(direction=Direction.TO_COMPLAINANT).order_by(
        "created_at", "id"
    )
    return [(m, crypto.decrypt(m.body_encrypted)) for m in messages]


def complaint_review_list(actor):
    """Reviewers' queue: zero-tolerance first, newest first; contents not decrypted. Nobody
    else has one (an empty queryset; the pages answer 404)."""
    if not is_reviewer(actor):
        return Complaint.objects.none()
    return (
        Complaint.objects.select_related("agency")
        .annotate(file_count=Count("files", distinct=True))
        .order_by("-zero_tolerance", "-created_at", "-id")
    )


def complaint_review_get(actor, number: str) -> Complaint | None:
    if not is_reviewer(actor):
        return None
    return (
        Complaint.objects.select_related("agency", "case")
        .prefetch_related("messages", "files")
        .filter(number=number)
        .first()
    )
