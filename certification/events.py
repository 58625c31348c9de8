"""Events for employers: a change of an agency's public status, recorded with one
delivery per webhook watching it, and handed to the background worker once the
transaction commits. The status itself comes from `certification/status.py` alone."""

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
from certification.tasks import deliver_webhook

EVENT_TYPE = "certification.status_changed"


def status_changed(case: CertificationCase, old_status: str) -> StatusEvent | None:
    """After a transition of `case`: when the agency's public status is no longer
    `old_status`, record the event and its deliveries (sent once the transaction commits,
    never if it rolls back). None when the status did not change."""
    new_status, certificate = public_status(case.agency_id)
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
    watching = WatchedAgency.objects.filter(agency=agency).values("employer_id")
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, webhook=webhook)
        for webhook in Webhook.objects.filter(employer_id__in=watching)
    )
    for delivery in deliveries:
        transaction.on_commit(partial(deliver_webhook.enqueue, delivery.pk))
    return event
