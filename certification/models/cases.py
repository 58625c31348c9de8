"""The certification case and what it leaves behind: decisions, certificates and an
append-only log of every transition (DESIGN.md §2).

Transitions are fired only by `certification.services`, which checks roles and guards,
locks the row and writes the `TransitionEvent`. The state field is protected: assigning
it directly raises.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from certification.transitions import event_names
from recruiters.append_only import AppendOnly


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")  # the agency fills in its self-assessment
    SUBMITTED = "submitted", _("Submitted")  # self-assessment submitted; scheme screening
    AUDIT_PLANNED = "audit_planned", _("Audit planned")  # accredited auditor assigned, dates set
    AUDITING = "auditing", _("Auditing")  # audit under way; the auditor records findings
    CORRECTIVE_ACTION = (
        "corrective_action",
        _("Corrective action"),
    )  # non-conformities being answered
    IN_REVIEW = "in_review", _("In review")  # ready for the independent decision
    CERTIFIED = "certified", _("Certified")  # certificate issued; surveillance audits happen here
    SUSPENDED = "suspended", _("Suspended")  # certificate suspended pending corrective action
    REFUSED = "refused", _("Refused")  # terminal: negative decision or a missed deadline
    WITHDRAWN = "withdrawn", _("Withdrawn")  # terminal: certificate withdrawn
    EXPIRED = "expired", _("Expired")  # terminal: validity ended
    CANCELLED = "cancelled", _("Cancelled")  # terminal: the agency withdrew before the decision


TERMINAL_STATES = frozenset(
    {CaseState.REFUSED, CaseState.WITHDRAWN, CaseState.EXPIRED, CaseState.CANCELLED}
)


class CaseKind(models.TextChoices):
    INITIAL = "initial", _("Initial certification")
    RENEWAL = "renewal", _("Renewal")


class CertificationCase(ConcurrentTransitionMixin, models.Model):
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    agency = models.ForeignKey("recruiters.Agency", on_delete=models.PROTECT, related_name="cases")
    standard = models.ForeignKey("scoring.Standard", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(
        _("kind"), max_length=16, choices=CaseKind.choices, default=CaseKind.INITIAL
    )
    state = FSMField(_("state"), default=CaseState.DRAFT, choices=CaseState.choices, protected=True)
    assigned_auditor = models.ForeignKey(
        "recruiters.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    previous_case = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    language = models.CharField(
        _("language of its documents"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certification case")
        verbose_name_plural = _("certification cases")

    def __str__(self) -> str:
        return f"case {self.pk} ({self.get_kind_display()}) of {self.agency.name}"

    # draft -> submitted: an agency member; every required question answered.
    @transition(field=state, source=CaseState.DRAFT, target=CaseState.SUBMITTED)
    def submit(self) -> None:
        pass

    # submitted -> draft: a reviewer sends it back, with a reason.
    @transition(field=state, source=CaseState.SUBMITTED, target=CaseState.DRAFT)
    def return_to_agency(self) -> None:
        pass

    # submitted -> audit_planned: a reviewer assigns an accredited auditor without conflict.
    @transition(field=state, source=CaseState.SUBMITTED, target=CaseState.AUDIT_PLANNED)
    def plan_audit(self) -> None:
        pass

    # audit_planned -> auditing: the assigned auditor begins.
    @transition(field=state, source=CaseState.AUDIT_PLANNED, target=CaseState.AUDITING)
    def start_audit(self) -> None:
        pass

    # auditing -> corrective_action (non-conformities) or in_review (none): the auditor.
    @transition(
        field=state,
        source=CaseState.AUDITING,
        target=RETURN_VALUE(CaseState.CORRECTIVE_ACTION, CaseState.IN_REVIEW),
    )
    def complete_audit(self, *, non_conformities: bool) -> str:
        return CaseState.CORRECTIVE_ACTION if non_conformities else CaseState.IN_REVIEW

    # corrective_action -> in_review: majors verified closed, minors with accepted plans.
    @transition(field=state, source=CaseState.CORRECTIVE_ACTION, target=CaseState.IN_REVIEW)
    def close_corrective_actions(self) -> None:
        pass

    # in_review -> certified: a reviewer who did not audit the case; no open major.
    @transition(field=state, source=CaseState.IN_REVIEW, target=CaseState.CERTIFIED)
    def certify(self) -> None:
        pass

    # in_review or corrective_action -> refused: a reviewer, or the scheduler on a missed deadline.
    @transition(
        field=state,
        source=[CaseState.IN_REVIEW, CaseState.CORRECTIVE_ACTION],
        target=CaseState.REFUSED,
    )
    def refuse(self) -> None:
        pass

    # certified -> suspended: a reviewer with a reason, a surveillance major, or an overdue surveillance.
    @transition(field=state, source=CaseState.CERTIFIED, target=CaseState.SUSPENDED)
    def suspend(self, *, at=None) -> None:
        self.suspended_at = at or timezone.now()

    # suspended -> certified: a reviewer, once the suspension's corrective actions are verified.
    @transition(field=state, source=CaseState.SUSPENDED, target=CaseState.CERTIFIED)
    def reinstate(self) -> None:
        self.suspended_at = None

    # certified or suspended -> withdrawn: a reviewer with a reason, or a suspension past its limit.
    @transition(
        field=state, source=[CaseState.CERTIFIED, CaseState.SUSPENDED], target=CaseState.WITHDRAWN
    )
    def withdraw(self) -> None:
        pass

    # certified or suspended -> expired: the scheduler, when the validity has ended.
    @transition(
        field=state, source=[CaseState.CERTIFIED, CaseState.SUSPENDED], target=CaseState.EXPIRED
    )
    def expire(self) -> None:
        pass

    # refused -> in_review, suspended -> certified, withdrawn -> certified or suspended (the
    # state before the withdrawal): a reviewer overturns the decision on appeal. One
    # transition whose target is its return value, like complete_audit, so that the log has
    # one name for "the decision was overturned"; `restore` is worked out by the use case
    # (certification/services/appeals.py) from the decision's event. Its condition keeps
    # it to the deciding of an appeal: it is never offered, nor fired, otherwise.
    @transition(
        field=state,
        source=[CaseState.REFUSED, CaseState.SUSPENDED, CaseState.WITHDRAWN],
        target=RETURN_VALUE(CaseState.IN_REVIEW, CaseState.CERTIFIED, CaseState.SUSPENDED),
        conditions=[lambda case: getattr(case, "appeal_being_decided", None) is not None],
    )
    def overturn(self, *, restore: str, at=None) -> str:
        # Restored to suspended, the suspension counts afresh from the overturn (else the
        # scheduler would withdraw it again at once); restored to certified, it is lifted.
        self.suspended_at = (at or timezone.now()) if restore == CaseState.SUSPENDED else None
        return restore

    # draft, submitted or audit_planned -> cancelled: the agency withdraws before the audit.
    @transition(
        field=state,
        source=[CaseState.DRAFT, CaseState.SUBMITTED, CaseState.AUDIT_PLANNED],
        target=CaseState.CANCELLED,
    )
    def cancel(self) -> None:
        pass


class DecisionOutcome(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    REFUSED = "refused", _("Refused")


class Decision(models.Model):
    """The independent certification decision; `reviewer` is empty for the scheduler."""

    case = models.ForeignKey(CertificationCase, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    rationale = models.TextField(_("rationale"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"


def new_verification_code() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


def certificate_status(case_state: str, valid_from, valid_until, day) -> str:
    """A certificate's status on `day`, from its case's state and its dates: the one rule,
    for objects (Certificate.status_on) and for rows read as values (the registry, exports)."""
    if case_state == CaseState.SUSPENDED:
        return CertificateStatus.SUSPENDED
    if case_state == CaseState.WITHDRAWN:
        return CertificateStatus.WITHDRAWN
    if case_state == CaseState.EXPIRED or day > valid_until:
        return CertificateStatus.EXPIRED
    if day < valid_from:
        return CertificateStatus.NOT_YET_VALID
    return CertificateStatus.VALID


class Certificate(models.Model):
    """Issued when a case is certified. Its status is derived from its case, never stored.
    The agency's identity is recorded at issue: the certificate names the agency that was
    audited, whatever the agency's profile says later."""

    case = models.OneToOneField(
        CertificationCase, on_delete=models.PROTECT, related_name="certificate"
    )
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=20, unique=True, blank=True)
    # Reissued under a new identity (certification/services/identity.py): same number and
    # verification code, the next revision; the superseded ones are CertificateRevision rows.
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    agency_name = models.CharField(_("agency's name"), max_length=200)
    agency_legal_name = models.CharField(_("agency's legal name"), max_length=255)
    agency_registration_number = models.CharField(_("agency's registration number"), max_length=100)
    agency_licence_number = models.CharField(
        _("agency's licence number"), max_length=100, blank=True
    )
    agency_country = CountryField(_("agency's country"))
    verification_code = models.CharField(
        _("verification code"),
        max_length=64,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    standard = models.ForeignKey("scoring.Standard", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    countries = models.JSONField(_("countries"), default=list)
    corridors = models.JSONField(_("corridors"), default=list)
    sectors = models.JSONField(_("sectors"), default=list)
    # Kept by the services in the transaction that changes them (certification/status.py),
    # so that the registry reads each agency's current certificate as a plain row filter:
    # the day the agency's next certificate takes over (None: none does), and the name
    # before an approved rename (the latest superseded revision's, when it differs).
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True, editable=False)
    former_name = models.CharField(
        _("former name"), max_length=200, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            # The registry's orders, whole or in one country: by name (web page) and newest
            # first (API cursor).
            models.Index(fields=["agency_name", "id"], name="certificate_by_name"),
            models.Index(
                fields=["agency_country", "agency_name", "id"], name="certificate_by_country"
            ),
            models.Index(fields=["agency_country", "id"], name="certificate_by_country_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="certificate_validity_period",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day) -> str:
        return certificate_status(self.case.state, self.valid_from, self.valid_until, day)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())


class TransitionEvent(AppendOnly):
    """Append-only log: who fired which transition of what, when, from where to where, why,
    with the figures that justified it. `subject_type` is `case` for the case's own state."""

    class Subject(models.TextChoices):
        CASE = "case", _("Case")
        AUDIT = "audit", _("Audit")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
        IDENTITY_CHANGE = "identity_change", _("Change of the agency's identity")
        APPEAL = "appeal", _("Appeal")

    case = models.ForeignKey(CertificationCase, on_delete=models.PROTECT, related_name="events")
    subject_type = models.CharField(max_length=20, choices=Subject.choices, default=Subject.CASE)
    subject_id = models.BigIntegerField(null=True, blank=True)
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    snapshot = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("transition event")
        verbose_name_plural = _("transition events")

    def __str__(self) -> str:
        return f"{self.transition}: {self.source} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        # A closed vocabulary (certification/transitions.py), checked here rather than by a
        # database constraint so that a new transition needs no migration.
        if self._state.adding and self.transition not in event_names():
            raise ValueError(f"unknown event {self.transition!r}: declare it in transitions.py")
        super().save(*args, **kwargs)


class RenewalReminder(models.Model):
    """A reminder sent before expiry, recorded so that it is sent once."""

    case = models.ForeignKey(
        CertificationCase, on_delete=models.PROTECT, related_name="renewal_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "days_before"], name="renewal_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for case {self.case_id}"
