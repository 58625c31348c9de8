"""Reads of complaints: the complainant's follow-up, the reviewers' queue."""

import re
import secrets
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from monitoring import crypto
from monitoring.models import (
    DEADLINE_OPEN_STATES,
    OPEN_STATES,
    Complaint,
    ComplaintMessage,
    Deadline,
    Direction,
    State,
    deadline_days,
)
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


def _overdue_on(today: date) -> Q:
    """Complaints with a deadline passed on `today` (Complaint.overdue_on, in SQL): received
    before the start of the day `days` days ago and still in a state the deadline is for."""
    tz = timezone.get_current_timezone()
    overdue = Q(pk__in=[])
    for deadline in Deadline.values:
        received_before = datetime.combine(
            today - timedelta(days=deadline_days(deadline)), time.min, tzinfo=tz
        )
        overdue |= Q(state__in=DEADLINE_OPEN_STATES[deadline], created_at__lt=received_before)
    return overdue


def complaint_review_list(actor, *, today: date | None = None):
    """Reviewers' queue: open before closed, overdue first, zero tolerance first, then by age
    (oldest first); contents not decrypted. Nobody else has one (an empty queryset; the
    pages and routes answer 404)."""
    if not is_reviewer(actor):
        return Complaint.objects.none()
    today = today or timezone.localdate()
    return (
        Complaint.objects.select_related("agency", "case")
        .annotate(
            file_count=Count("files", distinct=True),
            is_overdue=ExpressionWrapper(_overdue_on(today), output_field=BooleanField()),
            still_open=ExpressionWrapper(Q(state__in=OPEN_STATES), output_field=BooleanField()),
        )
        .order_by("-still_open", "-is_overdue", "-zero_tolerance", "created_at", "id")
    )


# What an audit is shown: complaints a reviewer has taken up, not those only received (not
# yet read) nor those withdrawn (perhaps under pressure).
SHOWN_TO_AUDIT = (
    State.ACKNOWLEDGED,
    State.INVESTIGATING,
    State.SUBSTANTIATED,
    State.NOT_SUBSTANTIATED,
    State.REFERRED,
)


def complaints_of_agency(agency_id: int, *, reviewer: bool = False):
    """An agency's complaints as the reviewers of its case (all of them) or its auditor (those
    a reviewer has taken up) see them: category, state and what a reviewer chose to share;
    never the complainant's words. Pages show an auditor the month received, not the day: a
    date and a category together could point to one worker."""
    complaints = Complaint.objects.filter(agency_id=agency_id)
    if not reviewer:
        complaints = complaints.filter(state__in=SHOWN_TO_AUDIT)
    return complaints.only(
        "number",
        "categories",
        "zero_tolerance",
        "state",
        "created_at",
        "shared_summary",
        "case_id",
        "agency_id",
    ).order_by("-created_at", "-id")


def complaint_review_get(actor, number: str) -> Complaint | None:
    if not is_reviewer(actor):
        return None
    return (
        Complaint.objects.select_related("agency", "case")
        .prefetch_related("messages", "files")
        .filter(number=number)
        .first()
    )


def complaints_overdue_count(today: date | None = None) -> int:
    """How many complaints have a deadline passed: the reviewers' dashboard's number."""
    return Complaint.objects.filter(_overdue_on(today or timezone.localdate())).count()
