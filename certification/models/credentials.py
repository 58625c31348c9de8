"""Certificates as signed credentials (docs/credentials.md): the issuers' public keys, the
status lists and each credential issued. No private key is ever stored here."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models.cases import Certificate


class IssuerKey(models.Model):
    """A certification body's signing key, by its public half; the private half lives in a
    file or the environment (settings.CREDENTIAL_KEY_DIR). A retired key signs nothing
    more, but stays in the body's DID document for what it signed before."""

    certification_body = models.ForeignKey(
        "recruiters.CertificationBody", on_delete=models.PROTECT, related_name="issuer_keys"
    )
    name = models.SlugField(_("name"), max_length=40)
    public_jwk = models.JSONField(_("public key (JWK)"))
    development = models.BooleanField(_("development key"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["certification_body_id", "created_at", "id"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        constraints = [
            models.UniqueConstraint(
                fields=["certification_body", "name"], name="issuer_key_name_unique"
            ),
            models.UniqueConstraint(
                fields=["certification_body"],
                condition=Q(retired_at__isnull=True),
                name="issuer_key_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification_body.slug}#{self.name}"


class StatusList(models.Model):
    """A pair of Bitstring Status Lists of one body (revocation and suspension, the same
    size, the same index for one credential). The bits are not stored: they are read from
    the credentials' rows when the list is served, so a transition changes one row only."""

    certification_body = models.ForeignKey(
        "recruiters.CertificationBody", on_delete=models.PROTECT, related_name="status_lists"
    )
    number = models.PositiveIntegerField(_("number"))
    size = models.PositiveIntegerField(_("entries"))
    next_index = models.PositiveIntegerField(_("next free entry"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["certification_body_id", "number"]
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [
            models.UniqueConstraint(
                fields=["certification_body", "number"], name="status_list_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(next_index__lte=models.F("size")), name="status_list_not_overfull"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification_body.slug}/{self.number}"


class Credential(models.Model):
    """One signed credential of one revision of a certificate. Its status follows the case
    in the transaction of each transition (certification/credentials.py): `suspended`
    while the case is suspended, `revoked_at` once it is withdrawn, never cleared; a
    withdrawal overturned on appeal gets a new credential with entries of its own."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="credentials"
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField(_("status list entry"))
    token = models.TextField(_("signed credential (vc+jwt)"))
    # The certificate's PDF as it was on issue, byte for byte: the credential carries its
    # SHA-256 and a link to it (the PDF downloaded later shows the status of its day).
    pdf = models.BinaryField(_("the PDF as issued"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF as issued"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    suspended = models.BooleanField(_("suspended"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["certificate_id", "id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_entry_unique"
            ),
        ]
        indexes = [
            # The bits of a list, read when it is served: only the set ones.
            models.Index(
                fields=["status_list", "status_index"],
                condition=Q(suspended=True),
                name="credential_suspended",
            ),
            models.Index(
                fields=["status_list", "status_index"],
                condition=Q(revoked_at__isnull=False),
                name="credential_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number} r{self.revision}"
