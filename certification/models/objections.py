"""Objections from the public to an application during its public window
(APPLICATION_OBJECTION_DAYS, off by default): they reach the reviewers as complaints do,
with the objector's contact, if given, encrypted as a complainant's."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationObjection(models.Model):
    application = models.ForeignKey(
        "recruiters.Application", on_delete=models.CASCADE, related_name="objections"
    )
    reason = models.TextField(_("reason"))
    # Fernet, under the complaints' keys (monitoring/crypto.py): read by reviewers only.
    contact_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("objection to an application")
        verbose_name_plural = _("objections to applications")

    def __str__(self) -> str:
        return f"objection {self.pk} to application {self.application_id}"
