"""The invitation's e-mail, in the language of the administrator who sent it (the
invited person has chosen none yet)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from recruiters.dates import day
from recruiters.models import Invitation
from recruiters.organisation.keys import invitation_key

logger = logging.getLogger(__name__)


def deliver_invitation(invitation_id: int) -> int:
    invitation = (
        Invitation.objects.select_related("agency", "employer", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return 0
    link = f"{settings.PUBLIC_BASE_URL}/join/invitation/?key={invitation_key(invitation)}"
    with translation.override(invitation.language):
        subject = gettext("You are invited to join %(organisation)s on fairrecruit") % {
            "organisation": invitation.organisation.name
        }
        inviter = invitation.invited_by.get_full_name() or invitation.invited_by.email
        body = gettext(
            "%(person)s invites you to join %(organisation)s on fairrecruit as %(role)s. "
            "Open this link to accept; it can be used once, until %(day)s:\n\n%(link)s\n\n"
            "If you do not know this organisation, you need do nothing."
        ) % {
            "person": inviter,
            "organisation": invitation.organisation.name,
            "role": gettext("an administrator")
            if invitation.as_administrator
            else gettext("a member"),
            "day": day(timezone.localtime(invitation.expires_at).date()),
            "link": link,
        }
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except Exception:
        logger.exception("the invitation %s could not be sent", invitation_id)
        return 0
    return 1
