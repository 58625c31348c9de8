"""Records of an agency's assessment: its self-assessment, the audits of a certification body,
their findings, the corrective actions and the evidence behind them (DESIGN.md §3).

A case is referred to only through a lazy foreign key; this app never looks at its state.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from recruiters.append_only import AppendOnly
from scoring.engine.vocabulary import (
    BORNE_BY,
    GRADES,
    ROUTES,
    WORKER_COST_CATEGORIES,
    WORKER_COST_FIELDS,
)
from scoring.explanations import BEARER_LABELS, COST_CATEGORY_LABELS, ROUTE_LABELS  # noqa: F401

CASE = "certification.CertificationCase"


def engine_choices(name: str, values: tuple[str, ...], labels: dict) -> type[models.TextChoices]:
    """Choices whose values are the engine's, in its order, with our labels: the engine
    alone declares the codes (a code without a label here fails at import; a label without
    a code, in tests/audits/test_vocabulary.py). Members are named by their codes in capitals
    (`Grade.NOT_APPLICABLE`)."""
    return models.TextChoices(
        name, [(value.upper(), (value, labels[value])) for value in values], module=__name__
    )


class SelfAssessment(models.Model):
    """An agency's answers for one case; `result` is the engine's result stored at submission."""

    case = models.OneToOneField(CASE, on_delete=models.PROTECT, related_name="self_assessment")
    result = models.JSONField(_("result at submission"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"self-assessment of case {self.case_id}"


class Answer(models.Model):
    """One answer; a worker-costs answer keeps its items in `worker_costs` and no value."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey("scoring.Question", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(_("value"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"


Bearer = engine_choices("Bearer", BORNE_BY, BEARER_LABELS)

Route = engine_choices("Route", ROUTES, ROUTE_LABELS)


class WorkerCost(models.Model):
    """A recruitment cost declared in the self-assessment (DOMAIN.md §3)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="worker_costs")
    position = models.PositiveSmallIntegerField()
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=[(c, c.replace("_", " ")) for c in WORKER_COST_CATEGORIES],
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    borne_by = models.CharField(_("borne by"), max_length=16, choices=Bearer.choices)
    route = models.CharField(_("how"), max_length=24, choices=Route.choices)

    class Meta:
        ordering = ["answer_id", "position"]
        verbose_name = _("worker cost")
        verbose_name_plural = _("worker costs")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="worker_cost_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["answer", "position"], name="worker_cost_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.category} ({self.borne_by})"

    def as_item(self) -> dict:
        return {name: getattr(self, name) for name in WORKER_COST_FIELDS}


class AuditKind(models.TextChoices):
    INITIAL = "initial", _("Initial")
    SURVEILLANCE = "surveillance", _("Surveillance")
    RECERTIFICATION = "recertification", _("Recertification")
    SPECIAL = "special", _("Special")


class AuditState(models.TextChoices):
    PLANNED = "planned", _("Planned")  # auditor and dates set
    IN_PROGRESS = "in_progress", _("In progress")  # findings being recorded
    COMPLETED = "completed", _("Completed")  # result stored, corrective actions opened
    CANCELLED = "cancelled", _("Cancelled")  # its case was cancelled before it began


class Audit(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="audits")
    kind = models.CharField(_("kind"), max_length=16, choices=AuditKind.choices)
    lead_auditor = models.ForeignKey(
        "recruiters.Membership", on_delete=models.PROTECT, related_name="audits_led"
    )
    stage1_date = models.DateField(_("stage 1 (documents)"))
    stage2_date = models.DateField(_("stage 2 (on site)"))
    state = FSMField(
        _("state"), default=AuditState.PLANNED, choices=AuditState.choices, protected=True
    )
    result = models.JSONField(_("result at completion"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "created_at", "id"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage2_date__gte=F("stage1_date")),
                name="audit_stage2_not_before_stage1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} audit of case {self.case_id}"

    # planned -> in_progress: the lead auditor begins.
    @transition(field=state, source=AuditState.PLANNED, target=AuditState.IN_PROGRESS)
    def start(self) -> None:
        pass

    # in_progress -> completed: every criterion has a finding.
    @transition(field=state, source=AuditState.IN_PROGRESS, target=AuditState.COMPLETED)
    def complete(self) -> None:
        pass

    # planned or in_progress -> cancelled: the case ended before the audit did.
    @transition(
        field=state,
        source=[AuditState.PLANNED, AuditState.IN_PROGRESS],
        target=AuditState.CANCELLED,
    )
    def cancel(self) -> None:
        pass


GRADE_LABELS = {
    "conforming": _("Conforming"),
    "observation": _("Observation"),
    "minor": _("Minor non-conformity"),
    "major": _("Major non-conformity"),
    "not_applicable": _("Not applicable"),
}
Grade = engine_choices("Grade", GRADES, GRADE_LABELS)


class Finding(models.Model):
    """One per criterion per audit. `effective_grade` is set by the engine at completion."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    criterion = models.ForeignKey("scoring.Criterion", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    effective_grade = models.CharField(
        _("effective grade"), max_length=16, choices=Grade.choices, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    indicators = models.JSONField(_("forced-labour indicators"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audit_id", "criterion_id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "criterion"], name="finding_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=~Q(grade=Grade.NOT_APPLICABLE) | ~Q(text=""),
                name="finding_not_applicable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.grade}"


class CorrectiveActionState(models.TextChoices):
    OPEN = "open", _("Open")  # waiting for the agency's plan
    SUBMITTED = "submitted", _("Submitted")  # plan sent, the auditor reviews it
    ACCEPTED = "accepted", _("Accepted")  # plan accepted, its closure to be verified
    REJECTED = "rejected", _("Rejected")  # sent back with a reason; the agency resubmits
    VERIFIED = "verified", _("Verified")  # closure verified by the auditor


class CorrectiveAction(ConcurrentTransitionMixin, models.Model):
    """The agency's answer to one non-conformity, with its deadlines (DOMAIN.md §5)."""

    finding = models.OneToOneField(
        Finding, on_delete=models.PROTECT, related_name="corrective_action"
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=[("minor", "minor"), ("major", "major")]
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    action = models.TextField(_("action"), blank=True)
    plan_due = models.DateField(_("plan due"))
    closure_due = models.DateField(_("closure due"), null=True, blank=True)
    state = FSMField(
        _("state"),
        default=CorrectiveActionState.OPEN,
        choices=CorrectiveActionState.choices,
        protected=True,
    )
    rejection_reason = models.TextField(_("reason of the last rejection"), blank=True)
    acceptance_note = models.TextField(_("why the plan was accepted"), blank=True)
    verification_note = models.TextField(_("what the auditor checked"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["finding_id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self) -> str:
        return f"corrective action on {self.finding}"

    # open or rejected -> submitted: the agency sends its root cause and action.
    @transition(
        field=state,
        source=[CorrectiveActionState.OPEN, CorrectiveActionState.REJECTED],
        target=CorrectiveActionState.SUBMITTED,
    )
    def submit(self) -> None:
        pass

    # submitted -> accepted: the auditor accepts the plan.
    @transition(
        field=state, source=CorrectiveActionState.SUBMITTED, target=CorrectiveActionState.ACCEPTED
    )
    def accept(self) -> None:
        pass

    # submitted -> rejected: the auditor sends it back, with a reason.
    @transition(
        field=state, source=CorrectiveActionState.SUBMITTED, target=CorrectiveActionState.REJECTED
    )
    def reject(self) -> None:
        pass

    # accepted -> verified: the auditor has verified the closure.
    @transition(
        field=state, source=CorrectiveActionState.ACCEPTED, target=CorrectiveActionState.VERIFIED
    )
    def verify(self) -> None:
        pass


def private_storage():
    return storages["private"]


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name reveals nothing of the original; that is kept in `original_name`.
    return f"evidence/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """An uploaded file behind an answer, a finding or a corrective action."""

    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    answer = models.ForeignKey(
        Answer, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    corrective_action = models.ForeignKey(
        CorrectiveAction, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(answer__isnull=False, finding__isnull=True, corrective_action__isnull=True)
                    | Q(answer__isnull=True, finding__isnull=False, corrective_action__isnull=True)
                    | Q(answer__isnull=True, finding__isnull=True, corrective_action__isnull=False)
                ),
                name="evidence_attached_to_exactly_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class EvidenceRemoval(AppendOnly):
    """Append-only: a file the agency took back from its draft self-assessment, removed or
    replaced by another; who, when, and what the file was (its name and SHA-256), since the
    file itself is gone."""

    class Kind(models.TextChoices):
        REMOVED = "removed", _("Evidence removed")
        REPLACED = "replaced", _("Evidence replaced")

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="evidence_removals")
    question_code = models.CharField(_("question"), max_length=32)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The file put in its place, by name and SHA-256 (it may be taken back in turn).
    replacement_name = models.CharField(_("replaced by"), max_length=255, blank=True)
    replacement_sha256 = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence removal")
        verbose_name_plural = _("evidence removals")

    def __str__(self) -> str:
        return f"{self.question_code}: {self.original_name} {self.kind}"
