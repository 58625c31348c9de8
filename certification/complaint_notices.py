"""E-mail notices about complaints, sent by the background worker once the transaction
commits (certification/tasks.py). None carries the complaint's content: not the words, not
the contact, not the agency, not the category. The reviewers are told a number, whether it
is a zero-tolerance complaint, and a link; a complainant who left an e-mail address is told
only that there is news and where to read it, in words that do not say it is a complaint."""

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
from recruiters.languages import by_language
from recruiters.models import Role

logger = logging.getLogger(__name__)

RECEIVED, REMINDER, OVERDUE, STATE = "received", "reminder", "overdue", "state"


def reviewers_by_language() -> dict[str, list[str]]:
    """The reviewers' e-mails by the language each reads (theirs, else the site's)."""
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role=Role.REVIEWER, memberships__is_active=True
        )
        .exclude(email="")
        .values_list("email", "preferences__language")
        .distinct()
    )
    return by_language(rows, settings.LANGUAGE_CODE)


def _send(subject: str, body: str, to: list[str], complaint: Complaint, kind: str) -> int:
    if not to:
        return 0
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception as error:
        # Without the traceback: a refused recipient's error names the address, which may
        # be the complainant's.
        logger.error(
            "notice %s of complaint %s could not be sent (%s)",
            kind,
            complaint.pk,
            type(error).__name__,
        )
        return 0
    return len(to)


def _to_reviewers(complaint: Complaint, kind: str, deadline: str) -> int:
    return sum(
        _to_reviewers_in(complaint, kind, deadline, language, to)
        for language, to in reviewers_by_language().items()
    )


def _to_reviewers_in(complaint: Complaint, kind: str, deadline: str, language, to) -> int:
    with translation.override(language):
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
    return _send(subject, body, to, complaint, kind)


def _to_complainant(complaint: Complaint) -> int:
    contact = crypto.decrypt(complaint.contact_encrypted)
    try:
        validate_email(contact)
    except ValidationError:
        return 0  # a phone number, or nothing: no e-mail to write to
    # Neutral words: a worker's phone or inbox may be shared, or held by the agency.
    # Neither the number nor the word "complaint": only that there is news, and where.
    with translation.override(complaint.answer_language):
        subject = gettext("[fairrecruit] A message for you")
        body = gettext(
            "There is news for you on fairrecruit. Read it on %(url)s with the number and "
            "the code you kept.\n\nThis e-mail holds nothing else, on purpose."
        ) % {"url": f"{settings.PUBLIC_BASE_URL}/news/"}
    return _send(subject, body, [contact], complaint, STATE)


def deliver(complaint_id: int, kind: str, deadline: str = "") -> int:
    """Run by the worker; returns the number of people written to."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    if kind == STATE:
        return _to_complainant(complaint)
    return _to_reviewers(complaint, kind, deadline)
