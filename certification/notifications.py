"""E-mail notices to the people an event concerns (who: `certification/transitions.py`),
sent by the background worker after the transaction commits."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from certification import transitions
from certification.labels import label, state_words
from certification.models import CertificationCase
from recruiters.languages import by_language
from recruiters.models import Role

logger = logging.getLogger(__name__)

IDENTITY_CHANGE = "identity_change_"  # the events of a change of the agency's identity
APPEAL = "appeal_"  # an appeal's events and reminders (certification/services/appeals.py)


def _people(case, audience: set[str]):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    found = users.none()
    if "agency" in audience:
        found |= users.filter(
            memberships__agency=case.agency_id,
            memberships__role=Role.AGENCY_MEMBER,
            memberships__is_active=True,
        )
    if "auditor" in audience and case.assigned_auditor_id:
        found |= users.filter(memberships=case.assigned_auditor_id)
    if "reviewers" in audience:
        found |= users.filter(memberships__role=Role.REVIEWER, memberships__is_active=True)
    return found


def recipients(case, audience: set[str]) -> list[str]:
    return sorted(
        {email for group in recipients_by_language(case, audience).values() for email in group}
    )


def recipients_by_language(case, audience: set[str]) -> dict[str, list[str]]:
    """The people to write to, grouped by the language each reads: their own choice
    (Preferences), else the case's language. One query."""
    rows = _people(case, audience).values_list("email", "preferences__language").distinct()
    return by_language(rows, case.language or settings.LANGUAGE_CODE)


def deliver(case_id: int, name: str, target: str, reason: str = "") -> int:
    """Run by the background worker (certification/tasks.py) once the transaction that
    recorded the event committed: a failure is logged, never lost silently, and never undoes
    the change. Each person reads it in their language (the case's when they chose none);
    returns the number of people written to."""
    case = CertificationCase.objects.select_related("agency").filter(pk=case_id).first()
    entry = transitions.about(name)
    groups = (
        recipients_by_language(case, entry.audience if entry else {transitions.AGENCY})
        if case
        else {}
    )
    sent = 0
    for language, to in groups.items():
        with translation.override(language):
            subject, body = _compose(case, name, target, reason)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:
            logger.exception("notice of %s for case %s could not be sent", name, case.pk)
            continue
        sent += len(to)
    return sent


def _compose(case, name: str, target: str, reason: str) -> tuple[str, str]:
    """The notice's subject and body, in the active language."""
    subject = gettext("[fairrecruit] %(agency)s: case %(case)s — %(what)s") % {
        "agency": case.agency.name,
        "case": case.pk,
        # What happened, in words: "suspended", "corrective action verified".
        "what": transitions.done(name),
    }
    if name.startswith(IDENTITY_CHANGE):
        # Not a state of the case: the request's, read on the agency's profile.
        body = gettext("A change of the identity of %(agency)s is %(state)s.") % {
            "agency": case.agency.name,
            "state": label("identity_change_state", target).lower(),
        }
        link = gettext("See the request: %(url)s") % {
            "url": f"{settings.PUBLIC_BASE_URL}/agencies/{case.agency.public_id}/profile/"
        }
    elif name.startswith(APPEAL):
        # Not a state of the case: the appeal's, read on its page.
        body = gettext("An appeal on case %(case)s of %(agency)s: %(what)s.") % {
            "case": case.pk,
            "agency": case.agency.name,
            "what": transitions.verb(name),
        }
        link = gettext("See the appeals: %(url)s") % {
            "url": f"{settings.PUBLIC_BASE_URL}/cases/{case.pk}/appeals/"
        }
    else:
        body = gettext("Case %(case)s of %(agency)s is now %(state)s.") % {
            "case": case.pk,
            "agency": case.agency.name,
            "state": state_words(target),
        }
        link = gettext("See the case: %(url)s") % {
            "url": f"{settings.PUBLIC_BASE_URL}/cases/{case.pk}/"
        }
    if reason:
        body += "\n\n" + gettext("Reason: %(reason)s") % {"reason": reason}
    body += "\n\n" + link
    return subject, body
