"""The certified identity of an agency (issue 13 §3): a change of its name, legal name,
registration number, licence number or country while it is under certification is a
request a reviewer decides; the agency's history logs every change of its profile; a
certificate reissued under a new identity keeps each superseded revision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from certification.models.cases import Certificate
from recruiters.append_only import AppendOnly

# The agency's fields that its certificate records (`Certificate.agency_<field>`).
IDENTITY_FIELDS = ("name", "legal_name", "registration_number", "licence_number", "country")


class IdentityChangeState(models.TextChoices):
    PENDING = "pending", _("Pending")  # requested; waits for a reviewer
    APPROVED = "approved", _("Approved")  # applied to the agency (and its certificate)
    REJECTED = "rejected", _("Rejected")  # not applied; the reason says why


class IdentityChange(ConcurrentTransitionMixin, models.Model):
    """A change of the agency's identity, saved as requested and applied only when a
    reviewer approves it. `requested` and `before` hold the changed fields only
    ({"name": "New name"}, {"name": "Old name"}); a country is its two-letter code."""

    agency = models.ForeignKey(
        "recruiters.Agency", on_delete=models.PROTECT, related_name="identity_changes"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested = models.JSONField(_("requested values"))
    before = models.JSONField(_("values before"))
    state = FSMField(
        _("state"),
        default=IdentityChangeState.PENDING,
        choices=IdentityChangeState.choices,
        protected=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("identity change")
        verbose_name_plural = _("identity changes")
        constraints = [
            # One request at a time: a second would be decided against a stale "before".
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(state=IdentityChangeState.PENDING),
                name="identity_change_one_pending_per_agency",
            ),
            models.CheckConstraint(
                condition=~Q(state=IdentityChangeState.REJECTED) | ~Q(decision_reason=""),
                name="identity_change_rejection_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"identity change {self.pk} of agency {self.agency_id} ({self.state})"

    def _decide(self, by, reason: str, at) -> None:
        self.decided_by = by
        self.decision_reason = reason
        self.decided_at = at or timezone.now()

    # pending -> approved: a reviewer; the requested values are applied to the agency.
    @transition(
        field=state, source=IdentityChangeState.PENDING, target=IdentityChangeState.APPROVED
    )
    def approve(self, *, by, reason: str = "", at=None) -> None:
        self._decide(by, reason, at)

    # pending -> rejected: a reviewer, with a reason; nothing is applied.
    @transition(
        field=state, source=IdentityChangeState.PENDING, target=IdentityChangeState.REJECTED
    )
    def reject(self, *, by, reason: str, at=None) -> None:
        self._decide(by, reason, at)


class AgencyEvent(AppendOnly):
    """Append-only history of an agency's profile: who changed what, when, and why.
    `changes` is {field: {"before": ..., "after": ...}} (for a request: what it asks)."""

    class Kind(models.TextChoices):
        PROFILE_EDIT = "profile_edit", _("Profile edited")
        IDENTITY_CHANGE_REQUEST = "identity_change_request", _("Change of identity requested")
        IDENTITY_CHANGE_APPROVE = "identity_change_approve", _("Change of identity approved")
        IDENTITY_CHANGE_REJECT = "identity_change_reject", _("Change of identity rejected")

    agency = models.ForeignKey("recruiters.Agency", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_change = models.ForeignKey(
        IdentityChange, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("agency event")
        verbose_name_plural = _("agency events")

    def __str__(self) -> str:
        return f"{self.kind} of agency {self.agency_id}"


class CertificateRevision(models.Model):
    """A superseded revision of a certificate: the identity it recorded and when it was
    issued, kept when an approved identity change reissued the certificate (same number,
    same verification code, the next revision)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    agency_name = models.CharField(_("agency's name"), max_length=200)
    agency_legal_name = models.CharField(_("agency's legal name"), max_length=255)
    agency_registration_number = models.CharField(_("agency's registration number"), max_length=100)
    agency_licence_number = models.CharField(
        _("agency's licence number"), max_length=100, blank=True
    )
    agency_country = CountryField(_("agency's country"))
    issued_on = models.DateField(_("issued on"))
    superseded_at = models.DateTimeField(_("superseded at"), default=timezone.now)
    superseded_by = models.ForeignKey(
        IdentityChange, on_delete=models.PROTECT, related_name="superseded_revisions"
    )

    class Meta:
        ordering = ["certificate", "revision"]
        verbose_name = _("certificate revision")
        verbose_name_plural = _("certificate revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "revision"], name="certificate_revision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} revision {self.revision}"
