"""Secrets that stand for a person or an employer: personal tokens and employer API keys,
kept only as their SHA-256."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recruiters.models.parties import Employer


class _SecretKey(models.Model):
    """A secret shown once and kept only as its SHA-256: the secrets are 256 random bits,
    so a fast hash is safe and every request costs one indexed look-up."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("The start of the key, to recognise it.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PersonalToken(_SecretKey):
    """A person's token for API clients (`Authorization: Bearer …`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # Issued after a second factor: whoever must sign in with two factors uses only such
    # tokens (recruiters/authentication.py); older ones are refused for them.
    two_factor = models.BooleanField(_("issued with a second factor"), default=False)

    class Meta(_SecretKey.Meta):
        verbose_name = _("personal token")
        verbose_name_plural = _("personal tokens")


class EmployerAPIKey(_SecretKey):
    """An employer's key for the supplier-status API (`Authorization: Api-Key …`)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(_SecretKey.Meta):
        verbose_name = _("employer API key")
        verbose_name_plural = _("employer API keys")
