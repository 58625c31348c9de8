"""E-mail notices about complaints, sent by the background worker once the transaction
commits (certification/tasks.py). None carries the complaint's content: not the words, not
the contact, not the agency. The reviewers are told a number and a link; a complainant who
left an e-mail address is told the new state and where to read the message."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext

from monitoring import crypto
from monitoring.models import Complaint, Deadline
from recruiters.models import Role

logger = logging.getLogger(__name__)

RECEIVED, REMINDER, OVERDUE, STATE = "received", "reminder", "overdue", "state"


def _reviewers() -> list[str]:
    return sorted(
        set(
            get_user_model()
            .objects.filter(
                is_active=True, memberships__role=Role.REVIEWER, memberships__is_active=True
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _send(subject: str, body: str, to: list[str], complaint: Complaint, kind: str) -> int:
    if not to:
        return 0
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        logger.exception("notice %s of complaint %s could not be sent", kind, complaint.pk)
        return 0
    return len(to)


def _to_reviewers(complaint: Complaint, kind: str, deadline: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        if kind == RECEIVED:
            what = (
                gettext("new complaint, zero tolerance")
                if complaint.zero_tolerance
                else gettext("new complaint")
            )
        else:
            words = {"due": complaint.due_on(deadline), "what": Deadline(deadline).label.lower()}
            what = (
                gettext("overdue: %(what)s by %(due)s") % words
                if kind == OVERDUE
                else gettext("due soon: %(what)s by %(due)s") % words
            )
        subject = gettext("[fairrecruit] Complaint %(number)s — %(what)s") % {
            "number": complaint.number,
            "what": what,
        }
        body = gettext(
            "Complaint %(number)s: %(what)s.\n\nRead it on the scheme's pages (your reading is "
            "recorded): %(url)s\n\nThis e-mail holds nothing of the complaint: never forward "
            "its contents by e-mail."
        ) % {
            "number": complaint.number,
            "what": what,
            "url": f"{settings.PUBLIC_BASE_URL}/review/complaints/{complaint.number}/",
        }
    return _send(subject, body, _reviewers(), complaint, kind)


def _to_complainant(complaint: Complaint) -> int:
    contact = crypto.decrypt(complaint.contact_encrypted)
    try:
        validate_email(contact)
    except ValidationError:
        return 0  # a phone number, or nothing: no e-mail to write to
    with translation.override(complaint.answer_language):
        subject = gettext("[fairrecruit] Your complaint %(number)s") % {"number": complaint.number}
        body = gettext(
            "Your complaint %(number)s is now: %(state)s.\n\nThe scheme wrote you a message. "
            "Read it on %(url)s with your complaint number and your follow-up code.\n\n"
            "This e-mail holds nothing else, so that no one who reads your e-mail learns more."
        ) % {
            "number": complaint.number,
            "state": complaint.get_state_display().lower(),
            "url": f"{settings.PUBLIC_BASE_URL}/complaints/follow/",
        }
    return _send(subject, body, [contact], complaint, STATE)


def deliver(complaint_id: int, kind: str, deadline: str = "") -> int:
    """Run by the worker; returns the number of people written to."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    if kind == STATE:
        return _to_complainant(complaint)
    return _to_reviewers(complaint, kind, deadline)
