"""Applications to join the scheme (issue 18 §1): an agency or an employer applies by
itself; its e-mail is confirmed by a link before anything else happens; a reviewer accepts
it (the organisation and its first member are made then), asks for more information, or
rejects it with a reason. Each step is a transition of a protected state field, logged."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition

from recruiters.append_only import AppendOnly
from recruiters.models.parties import Agency, Employer, SizeBand


class ApplicationKind(models.TextChoices):
    AGENCY = "agency", _("Recruitment agency")
    EMPLOYER = "employer", _("Employer")


class ApplicationState(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting the e-mail's confirmation")
    SUBMITTED = "submitted", _("Submitted, awaiting a reviewer")
    INFORMATION_REQUESTED = "information_requested", _("More information asked")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


OPEN_APPLICATION_STATES = (ApplicationState.SUBMITTED, ApplicationState.INFORMATION_REQUESTED)


class Application(models.Model):
    """What an organisation applying says of itself and of its first member. The first
        member's password is kept hashed, as Django keeps passwords, until the account is made
        on acceptance. The applicant confirms and follows it with signed links
    (recruiters/applying/services.py), so that no secret of theirs is stored."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ApplicationKind.choices)
    state = FSMField(
        _("state"),
        default=ApplicationState.AWAITING_CONFIRMATION,
        choices=ApplicationState.choices,
        protected=True,
    )
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=100)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("organisation's e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    corridors = models.JSONField(_("corridors"), default=list, blank=True)  # ["NP-QA", ...]
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    size_band = models.CharField(
        _("workers placed a year"), max_length=16, choices=SizeBand.choices, blank=True
    )
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail"))
    password = models.CharField(max_length=128, editable=False)  # make_password
    language = models.CharField(_("language"), max_length=10, default="en")
    question = models.TextField(_("question of the reviewer"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    reason = models.TextField(_("reason of the rejection"), blank=True)
    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    employer = models.OneToOneField(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["state", "created_at"], name="application_queue")]
        # One application under way per e-mail and per registration number: checked at
        # confirmation with a clear message, and held here when two confirm at once.
        constraints = [
            models.UniqueConstraint(
                Lower("contact_email"),
                condition=Q(state__in=OPEN_APPLICATION_STATES),
                name="application_one_under_way_per_email",
            ),
            models.UniqueConstraint(
                "kind",
                "country",
                Upper("registration_number"),
                condition=Q(state__in=OPEN_APPLICATION_STATES),
                name="application_one_under_way_per_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @transition(
        field=state,
        source=ApplicationState.AWAITING_CONFIRMATION,
        target=ApplicationState.SUBMITTED,
    )
    def confirm(self, at):
        self.confirmed_at = at

    @transition(
        field=state,
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.INFORMATION_REQUESTED,
    )
    def ask(self, question: str):
        self.question, self.answer = question, ""

    @transition(
        field=state,
        source=ApplicationState.INFORMATION_REQUESTED,
        target=ApplicationState.SUBMITTED,
    )
    def reply(self, answer: str):
        self.answer = answer

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.ACCEPTED)
    def accept(self, at):
        self.decided_at = at

    @transition(
        field=state,
        source=[ApplicationState.SUBMITTED, ApplicationState.INFORMATION_REQUESTED],
        target=ApplicationState.REJECTED,
    )
    def reject(self, why: str, at):
        self.reason, self.decided_at = why, at


class ApplicationEvent(AppendOnly):
    """Append-only: each step of an application, who (None: the applicant), when, from
    where to where, why."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    transition = models.CharField(_("step"), max_length=20)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["application_id", "created_at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application} {self.transition}"
