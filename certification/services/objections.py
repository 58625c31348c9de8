"""Objections from anyone to an application during its public window (DOMAIN.md §10,
APPLICATION_OBJECTION_DAYS; off by default). An objection never decides: it is read by the
reviewer beside the link check, as a complaint would be."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from certification.models import ApplicationObjection
from certification.tasks import send_objection_notice
from monitoring import crypto
from recruiters.applying.services import objection_window_closes
from recruiters.models import OPEN_APPLICATION_STATES, Application

REASON_MIN, REASON_MAX, CONTACT_MAX = 20, 4000, 200


def objection_make(
    application: Application, *, reason: str, contact: str = "", now=None
) -> ApplicationObjection:
    now = now or timezone.now()
    reason, contact = (reason or "").strip(), (contact or "").strip()
    closes = objection_window_closes(application)
    if closes is None or closes <= now or application.state not in OPEN_APPLICATION_STATES:
        raise ValidationError(
            {"application": gettext("This application is not open to objections any more.")}
        )
    errors = {}
    if len(reason) < REASON_MIN:
        errors["reason"] = gettext(
            "Say what you know in at least %(count)s characters: the reviewer reads it."
        ) % {"count": REASON_MIN}
    elif len(reason) > REASON_MAX:
        errors["reason"] = gettext("Keep it under %(count)s characters.") % {"count": REASON_MAX}
    if len(contact) > CONTACT_MAX:
        errors["contact"] = gettext("Keep it under %(count)s characters.") % {"count": CONTACT_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        objection = ApplicationObjection.objects.create(
            application=application,
            reason=reason,
            contact_encrypted=crypto.encrypt(contact) if contact else "",
            created_at=now,
        )
        transaction.on_commit(lambda: send_objection_notice(objection.pk))
    return objection


def objections_of(application: Application) -> list[dict]:
    """For the reviewer: each objection with its contact decrypted."""
    return [
        {
            "id": objection.pk,
            "reason": objection.reason,
            "contact": crypto.decrypt(objection.contact_encrypted)
            if objection.contact_encrypted
            else "",
            "created_at": objection.created_at,
        }
        for objection in application.objections.all()
    ]
