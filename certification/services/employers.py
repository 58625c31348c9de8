"""What an employer changes: its watchlist and its webhooks. The caller has established
that it acts for the employer (an employer API key, or a signed-in member of the employer)."""

import secrets
from functools import partial

from django.db import transaction

from certification.models import StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from certification.tasks import deliver_webhook
from certification.webhooks import validate_webhook_url
from recruiters.models import Agency, Employer


def watch_add(*, employer: Employer, agency: Agency) -> WatchedAgency:
    """Watch a supplier; watching it again changes nothing."""
    watch, _created = WatchedAgency.objects.get_or_create(employer=employer, agency=agency)
    return watch


def watch_remove(*, employer: Employer, agency_public_id) -> bool:
    """Stop watching a supplier; False when it was not watched."""
    deleted, _ = WatchedAgency.objects.filter(
        employer=employer, agency__public_id=agency_public_id
    ).delete()
    return bool(deleted)


def webhook_create(*, employer: Employer, url: str, secret: str = "") -> Webhook:
    """A new webhook; its URL must be public HTTPS (no private or local address). A signing
    secret is made when none is given; the caller shows it once."""
    validate_webhook_url(url)
    return Webhook.objects.create(
        employer=employer, url=url, secret=secret or secrets.token_urlsafe(32)
    )


def webhook_delete(*, employer: Employer, webhook_id: int) -> bool:
    with transaction.atomic():
        deleted, _ = Webhook.objects.filter(employer=employer, pk=webhook_id).delete()
    return bool(deleted)


TEST_EVENT_TYPE = "certification.test"


def webhook_test(*, employer: Employer, webhook_id: int) -> WebhookDelivery | None:
    """A test event for one webhook, signed and delivered as a real one is (and retried),
    so that the receiver can be checked; it names no agency. None for another employer's."""
    webhook = Webhook.objects.filter(employer=employer, pk=webhook_id).first()
    if webhook is None:
        return None
    with transaction.atomic():
        event = StatusEvent(is_test=True, old_status="", new_status="")
        event.payload = {
            "id": str(event.id),
            "type": TEST_EVENT_TYPE,
            "occurred_at": event.occurred_at.isoformat(),
            "message": "A test event asked for by the employer: no agency's status changed.",
        }
        event.save()
        delivery = WebhookDelivery.objects.create(event=event, webhook=webhook)
        transaction.on_commit(partial(deliver_webhook.enqueue, delivery.pk))
    return delivery
