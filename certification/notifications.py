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
from recruiters.models import Role

logger = logging.getLogger(__name__)

IDENTITY_CHANGE = "identity_change_"  # the events of a change of the agency's identity
APPEAL = "appeal_"  # an appeal's events and reminders (certification/services/appeals.py)


def recipients(case, audience: set[str]) -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails: set[str] = set()
    if "agency" in audience:
        emails |= set(
            users.filter(
                memberships__agency=case.agency_id,
                memberships__role=Role.AGENCY_MEMBER,
                memberships__is_active=True,
            ).values_list("email", flat=True)
        )
    if "auditor" in audience and case.assigned_auditor_id:
        emails |= set(
            users.filter(memberships=case.assigned_auditor_id).values_list("email", flat=True)
        )
    if "reviewers" in audience:
        emails |= set(
            users.filter(memberships__role=Role.REVIEWER, memberships__is_active=True).values_list(
                "email", flat=True
            )
        )
    return sorted(emails)


def deliver(case_id: int, name: str, target: str, reason: str = "") -> int:
    """Run by the background worker (certification/tasks.py) once the transaction that
    recorded the event committed: a failure is logged, never lost silently, and never undoes
    the change. Written in the case's language; returns the number of people written to."""
    case = CertificationCase.objects.select_related("agency").filter(pk=case_id).first()
    entry = transitions.about(name)
    to = recipients(case, entry.audience if entry else {transitions.AGENCY}) if case else []
    if not to:
        return 0
    with translation.override(case.language or settings.LANGUAGE_CODE):
        subject = gettext("[fairrecruit] %(agency)s: case %(case)s — %(what)s") % {
            "agency": case.agency.name,
            "case": case.pk,
            "what": transitions.verb(name),
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
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        logger.exception("notice of %s for case %s could not be sent", name, case.pk)
        return 0
    return len(to)
