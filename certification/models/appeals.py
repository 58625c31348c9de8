"""Appeals (issue 14 §3, DOMAIN.md §7): an agency's member appeals a refusal, a suspension
or a withdrawal of its case within APPEAL_PERIOD_DAYS of the decision; a reviewer who
neither took the decision nor audited the case answers within APPEAL_ANSWER_DAYS. The
decision stays in force meanwhile; overturning it is the case's own transition `overturn`
(certification/services/appeals.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from audits.models import private_storage
from certification.models.cases import CertificationCase, TransitionEvent

# The case events an agency may appeal, and the states they leave the case in.
APPEALABLE_DECISIONS = frozenset({"refuse", "suspend", "withdraw"})


class AppealState(models.TextChoices):
    LODGED = "lodged", _("Lodged")  # waits for a reviewer's answer; the decision stays in force
    UPHELD = "upheld", _("Upheld")  # the decision stands
    OVERTURNED = "overturned", _("Overturned")  # the state before the decision is restored


class AppealOutcome(models.TextChoices):
    """What a reviewer may answer: the appeal's final states."""

    UPHELD = AppealState.UPHELD.value, _("Uphold the decision")
    OVERTURNED = AppealState.OVERTURNED.value, _("Overturn the decision")


class Appeal(ConcurrentTransitionMixin, models.Model):
    """One appeal per decision: `decision` is the case event that refused, suspended or
    withdrew (unique). Reminders to the reviewers are recorded here, so that each is sent
    once however often the scheduler runs."""

    case = models.ForeignKey(CertificationCase, on_delete=models.PROTECT, related_name="appeals")
    # No foreign-key constraint in the database: the event log is append-only there (its
    # triggers refuse DELETE and TRUNCATE), so the event cannot go; and a constraint would
    # answer a TRUNCATE of the log before its trigger does (tests/certification/test_events.py).
    decision = models.OneToOneField(
        TransitionEvent,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="appeal",
        verbose_name=_("decision appealed"),
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds"))
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now)
    due_by = models.DateField(_("to be answered by"))
    state = FSMField(
        _("state"), default=AppealState.LODGED, choices=AppealState.choices, protected=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rationale = models.TextField(_("rationale of the answer"), blank=True)
    reminded_at = models.DateTimeField(_("reviewers reminded at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(
        _("reviewers told it is overdue at"), null=True, blank=True
    )

    class Meta:
        ordering = ["due_by", "lodged_at", "id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=AppealState.LODGED) | ~models.Q(rationale=""),
                name="appeal_answer_has_a_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} of case {self.case_id} ({self.state})"

    def _decide(self, by, rationale: str, at) -> None:
        self.decided_by = by
        self.rationale = rationale
        self.decided_at = at or timezone.now()

    # lodged -> upheld: a reviewer not involved in the decision; the decision stands.
    @transition(field=state, source=AppealState.LODGED, target=AppealState.UPHELD)
    def uphold(self, *, by, rationale: str, at=None) -> None:
        self._decide(by, rationale, at)

    # lodged -> overturned: the same reviewer; the case is restored by its `overturn`.
    @transition(field=state, source=AppealState.LODGED, target=AppealState.OVERTURNED)
    def overturn(self, *, by, rationale: str, at=None) -> None:
        self._decide(by, rationale, at)


def appeal_file_path(instance: "AppealFile", filename: str) -> str:
    # The stored name reveals nothing of the original; that is kept in `original_name`.
    return f"appeals/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class AppealFile(models.Model):
    """A file joined to an appeal, judged by its content as evidence is (PDF, JPEG, PNG,
    XLSX, DOCX, at most EVIDENCE_MAX_BYTES), kept in private storage."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(storage=private_storage, upload_to=appeal_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("appeal file")
        verbose_name_plural = _("appeal files")

    def __str__(self) -> str:
        return self.original_name
