"""What a person chooses for themselves (their language) and the invitations an
organisation's administrator sends to colleagues."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recruiters.models.parties import Agency, Employer


class Preferences(models.Model):
    """A person's own choices. Notices follow the recipient's language; a person who chose
    none reads those of a case in the case's language, as before."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    # An employer's members are e-mailed when a watched agency's public status changes,
    # unless they turn it off.
    status_alerts = models.BooleanField(
        _("e-mail me when a watched agency's status changes"), default=True
    )
    # An IANA name ("Asia/Kathmandu"); empty: the scheme's time (recruiters/time_zones.py).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"


class Invitation(models.Model):
    """A colleague invited by e-mail into an agency or an employer, with a role. The link is
    signed (recruiters/organisation.py), so nothing secret is stored; the invitation is used
    once and expires (INVITATION_DAYS)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    as_administrator = models.BooleanField(_("as an administrator"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, employer__isnull=True)
                | Q(agency__isnull=True, employer__isnull=False),
                name="invitation_into_one_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def organisation(self):
        return self.agency or self.employer

    def is_open(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class MembershipEvent(models.Model):
    """What an organisation's administrator did to a membership, and when: the log of
    invitations accepted, roles changed, members deactivated and reactivated."""

    class What(models.TextChoices):
        JOINED = "joined", _("joined by invitation")
        MADE_ADMINISTRATOR = "made_administrator", _("made an administrator")
        MADE_MEMBER = "made_member", _("made a member")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")

    membership = models.ForeignKey(
        "recruiters.Membership", on_delete=models.CASCADE, related_name="events"
    )
    what = models.CharField(_("what"), max_length=24, choices=What.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.what}"
