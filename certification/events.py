"""Events for employers: a change of an agency's public status, recorded with one
delivery per webhook watching it, and handed to the background worker once the
transaction commits. The status itself comes from `certification/status.py` alone.

A change is measured against what employers were last told (the agency's latest event),
not against the status a moment before: a status that moved with the date alone (a
certificate past its end, waiting for the scheduler's expiry) is still announced when the
transition makes it final."""

from datetime import date
from functools import partial

from django.db import transaction

from certification.models import (
    CertificationCase,
    StatusEvent,
    WatchedAgency,
    Webhook,
    WebhookDelivery,
)
from certification.status import certificate_summary, public_status
from certification.tasks import deliver_webhook, send_status_alert
from recruiters.models import Agency

EVENT_TYPE = "certification.status_changed"


def status_before(case: CertificationCase, today: date | None = None) -> str:
    """Before a transition that may change the agency's public status: what employers were
    last told of it, or, before any event, its status now. The agency's row is locked, so
    that two of its cases changing at once (an old case expiring, its renewal certified)
    are announced one after the other."""
    Agency.objects.select_for_update().only("pk").get(pk=case.agency_id)
    told = (
        StatusEvent.objects.filter(agency_id=case.agency_id)
        .order_by("-occurred_at")
        .values_list("new_status", flat=True)
        .first()
    )
    return told if told is not None else public_status(case.agency_id, today)[0]


def status_changed(
    case: CertificationCase, old_status: str, today: date | None = None
) -> StatusEvent | None:
    """After a transition of `case`: when the agency's public status is no longer
    `old_status` (from `status_before`), record the event and its deliveries (sent once
    the transaction commits, never if it rolls back). None when the status did not change."""
    new_status, certificate = public_status(case.agency_id, today)
    if new_status == old_status:
        return None
    agency = case.agency
    event = StatusEvent(agency=agency, case=case, old_status=old_status, new_status=new_status)
    event.payload = {
        "id": str(event.id),
        "type": EVENT_TYPE,
        "occurred_at": event.occurred_at.isoformat(),
        "agency": {
            "id": str(agency.public_id),
            "name": agency.name,
            "country": agency.country.code,
        },
        "old_status": old_status,
        "new_status": new_status,
        "certificate": certificate_summary(certificate) if certificate else None,
    }
    event.save()
    watching = list(
        WatchedAgency.objects.filter(agency=agency).values_list("employer_id", flat=True)
    )
    if not watching:
        return event
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, webhook=webhook)
        for webhook in Webhook.objects.filter(employer_id__in=watching)
    )
    for delivery in deliveries:
        transaction.on_commit(partial(deliver_webhook.enqueue, delivery.pk))
    # Beside the webhooks, the watching employers' members by e-mail.
    transaction.on_commit(partial(send_status_alert, event.id))
    return event
