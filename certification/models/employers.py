"""What employers keep with the scheme: the agencies they watch, their webhooks, and the
status events sent to them with each delivery."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models.cases import CertificationCase


class WatchedAgency(models.Model):
    """An agency on an employer's watchlist: its status changes reach the employer's webhooks."""

    employer = models.ForeignKey(
        "recruiters.Employer", on_delete=models.CASCADE, related_name="watchlist"
    )
    agency = models.ForeignKey(
        "recruiters.Agency", on_delete=models.CASCADE, related_name="watchers"
    )
    created_at = models.DateTimeField(_("watched since"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("watched agency")
        verbose_name_plural = _("watched agencies")
        constraints = [
            models.UniqueConstraint(fields=["employer", "agency"], name="watched_agency_once")
        ]

    def __str__(self) -> str:
        return f"{self.employer} watches {self.agency}"


class Webhook(models.Model):
    """An employer's HTTPS endpoint for status changes, signed with its secret."""

    employer = models.ForeignKey(
        "recruiters.Employer", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class StatusEvent(models.Model):
    """A change of an agency's public status; its id is stable across retries so that
    receivers can drop duplicates, and its payload is the exact body sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Null only for a test event, sent to one webhook when its employer asks (is_test).
    agency = models.ForeignKey(
        "recruiters.Agency",
        on_delete=models.PROTECT,
        related_name="status_events",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        CertificationCase,
        on_delete=models.PROTECT,
        related_name="status_events",
        null=True,
        blank=True,
    )
    is_test = models.BooleanField(default=False)
    old_status = models.CharField(max_length=20)
    new_status = models.CharField(max_length=20)
    occurred_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()

    class Meta:
        ordering = ["occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_test=True)
                | models.Q(agency__isnull=False, case__isnull=False),
                name="status_event_of_an_agency_unless_a_test",
            )
        ]

    def __str__(self) -> str:
        if self.is_test:
            return f"test event {self.id}"
        return f"{self.agency}: {self.old_status} → {self.new_status}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for its next attempt
    DELIVERED = "delivered", _("Delivered")  # the receiver answered 2xx
    FAILED = "failed", _("Failed")  # retried for the whole retry period without success


class WebhookDelivery(models.Model):
    event = models.ForeignKey(StatusEvent, on_delete=models.CASCADE, related_name="deliveries")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "webhook"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.webhook_id}: {self.state}"
