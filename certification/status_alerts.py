"""E-mail alerts beside webhooks: the members of each employer watching an agency are told
when its public status changes, each in their language, unless they turned it off
(Preferences.status_alerts)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from certification.labels import label
from certification.models import StatusEvent, WatchedAgency
from recruiters.languages import by_language
from recruiters.models import Role

logger = logging.getLogger(__name__)


def recipients_by_language(event: StatusEvent) -> dict[str, list[str]]:
    """The active members of the employers watching the agency who keep the alerts on,
    by the language each reads (theirs, else the site's). One query."""
    watching = WatchedAgency.objects.filter(agency_id=event.agency_id).values("employer_id")
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.EMPLOYER_MEMBER,
            memberships__is_active=True,
            memberships__employer_id__in=watching,
        )
        .exclude(email="")
        .exclude(preferences__status_alerts=False)
        .values_list("email", "preferences__language")
        .distinct()
    )
    return by_language(rows, settings.LANGUAGE_CODE)


def deliver(event_id) -> int:
    event = StatusEvent.objects.select_related("agency").filter(pk=event_id).first()
    if event is None or event.is_test:
        return 0
    agency = event.agency
    sent = 0
    for language, to in recipients_by_language(event).items():
        with translation.override(language):
            words = {
                "agency": agency.name,
                "old": label("status", event.old_status),
                "new": label("status", event.new_status),
            }
            subject = gettext("[fairrecruit] %(agency)s: %(old)s → %(new)s") % words
            body = gettext(
                "The public status of %(agency)s (%(country)s) changed from %(old)s to "
                "%(new)s on %(day)s.\n\nSee the agency: %(url)s\n\nYou receive this because "
                "your organisation watches this agency. To stop these e-mails, untick them "
                "on your account page: %(settings)s"
            ) % {
                **words,
                "country": agency.country.name,
                "day": date_format(timezone.localtime(event.occurred_at).date(), "DATE_FORMAT"),
                "url": f"{settings.PUBLIC_BASE_URL}/agencies/{agency.public_id}/",
                "settings": f"{settings.PUBLIC_BASE_URL}/accounts/settings/",
            }
        # One message per person: the watchers of a supplier never learn of each other.
        for address in to:
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            except Exception:
                logger.exception("status alert of event %s could not be sent", event_id)
                continue
            sent += 1
    return sent
