"""Complaints from anyone, with or without an account (DESIGN.md §1, DOMAIN.md §7).

What identifies a complainant or tells their story (description, contact, messages, files)
is stored encrypted (monitoring/crypto.py) and read only through `services.complaint_read`,
which logs each reading. No address, user agent or account of the submitter is stored.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition

from recruiters.append_only import AppendOnly


class Category(models.TextChoices):
    """What happened, in plain words (DOMAIN.md §7), each mapped to the standard below."""

    FEE_PAID = "fee_paid", _("I paid a fee or a cost for the job")
    DOCUMENT_KEPT = "document_kept", _("My passport or another document was kept")
    CONTRACT_CHANGED = "contract_changed", _("My contract was changed")
    DECEIVED = "deceived", _("I was deceived about the job")
    THREATENED = "threatened", _("I was threatened or I am not free to leave")
    DATA_MISUSED = "data_misused", _("My personal data was misused")
    OTHER = "other", _("Something else")


# The criteria of the standard each category concerns.
CATEGORY_CRITERIA = {
    Category.FEE_PAID: ("C1.1",),
    Category.DOCUMENT_KEPT: ("C2.1",),
    Category.CONTRACT_CHANGED: ("C3.3",),
    Category.DECEIVED: ("C3.1", "A2"),
    Category.THREATENED: ("C2.2", "C2.3", "A2"),
    Category.DATA_MISUSED: ("C4",),
    Category.OTHER: (),
}
# Zero-tolerance categories: flagged at intake and put first in the reviewers' queue.
ZERO_TOLERANCE = frozenset(
    {
        Category.FEE_PAID,
        Category.DOCUMENT_KEPT,
        Category.CONTRACT_CHANGED,
        Category.DECEIVED,
        Category.THREATENED,
    }
)


class State(models.TextChoices):
    """The life of a complaint (docs/complaints.md); the last four are final."""

    RECEIVED = "received", _("Received")  # filed, not yet seen by the scheme
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # a reviewer confirmed receipt
    INVESTIGATING = "investigating", _("Being investigated")  # the scheme decided to look
    SUBSTANTIATED = "substantiated", _("Substantiated")  # what was said was found true
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")  # not found true
    WITHDRAWN = "withdrawn", _("Withdrawn")  # by the complainant
    REFERRED = "referred", _("Referred")  # to an authority or a support service, named


OPEN_STATES = (State.RECEIVED, State.ACKNOWLEDGED, State.INVESTIGATING)
FINAL_STATES = (State.SUBSTANTIATED, State.NOT_SUBSTANTIATED, State.WITHDRAWN, State.REFERRED)


class Deadline(models.TextChoices):
    """What the scheme owes a complainant, and by when (settings, DOMAIN.md §7): met when the
    complaint has left the states listed in `DEADLINE_OPEN_STATES`."""

    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    INVESTIGATE = "investigate", _("Decide whether to investigate")
    ANSWER = "answer", _("Give the final answer")


DEADLINE_OPEN_STATES = {
    Deadline.ACKNOWLEDGE: (State.RECEIVED,),
    Deadline.INVESTIGATE: (State.RECEIVED, State.ACKNOWLEDGED),
    Deadline.ANSWER: OPEN_STATES,
}
DEADLINE_SETTINGS = {
    Deadline.ACKNOWLEDGE: "COMPLAINT_ACKNOWLEDGE_DAYS",
    Deadline.INVESTIGATE: "COMPLAINT_INVESTIGATE_DAYS",
    Deadline.ANSWER: "COMPLAINT_ANSWER_DAYS",
}


def deadline_days(deadline: str) -> int:
    return getattr(settings, DEADLINE_SETTINGS[deadline])


class AnswerLanguage(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class Complaint(models.Model):
    """One complaint. `number` and the follow-up code (kept only as its SHA-256) let the
    complainant follow it without an account."""

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    follow_up_hash = models.CharField(max_length=64, editable=False)
    agency = models.ForeignKey(
        "recruiters.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("agency"),
    )
    # What the complainant wrote of the agency when it was not found (or not known).
    agency_text = models.CharField(_("agency as described"), max_length=200, blank=True)
    case = models.ForeignKey(
        "certification.CertificationCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("certification case"),
    )
    categories = models.JSONField(_("categories"), default=list)
    zero_tolerance = models.BooleanField(_("zero tolerance"), default=False)
    happened_when = models.CharField(_("when"), max_length=100, blank=True)
    happened_on = models.DateField(_("on"), null=True, blank=True)
    happened_where = models.CharField(_("where"), max_length=200, blank=True)
    description_encrypted = models.TextField(editable=False)
    contact_encrypted = models.TextField(editable=False, blank=True)
    answer_language = models.CharField(
        _("language for the answer"),
        max_length=8,
        choices=AnswerLanguage.choices,
        default=AnswerLanguage.EN,
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    state = FSMField(
        _("state"), default=State.RECEIVED, choices=State.choices, protected=True, max_length=20
    )
    # The authority or support service a referred complaint went to.
    referral = models.CharField(_("referred to"), max_length=200, blank=True)
    # What a reviewer chose to tell the agency's auditors and reviewers of the case, in their
    # own words: never the complainant's words, nothing that identifies them. Not encrypted,
    # because it is written to be shown.
    shared_summary = models.TextField(_("what the audit may be told"), blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)

    class Meta:
        ordering = ["-zero_tolerance", "-created_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["-zero_tolerance", "-created_at"])]

    def __str__(self) -> str:
        return self.number or f"complaint {self.pk}"

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories if c in Category.values]

    @property
    def criteria(self) -> list[str]:
        found = []
        for category in self.categories:
            found += [c for c in CATEGORY_CRITERIA.get(category, ()) if c not in found]
        return found

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def due_on(self, deadline: str) -> date:
        return timezone.localdate(self.created_at) + timedelta(days=deadline_days(deadline))

    def deadlines_pending(self) -> list[tuple[str, date]]:
        """The deadlines not yet met, with their dates, earliest first."""
        return [
            (deadline, self.due_on(deadline))
            for deadline in Deadline.values
            if self.state in DEADLINE_OPEN_STATES[deadline]
        ]

    def deadline_rows(self) -> list[dict]:
        """The deadlines not yet met, in words, for a page."""
        today = timezone.localdate()
        return [
            {"label": Deadline(deadline).label, "due": due, "overdue": due < today}
            for deadline, due in self.deadlines_pending()
        ]

    def overdue_on(self, day) -> list[str]:
        return [deadline for deadline, due in self.deadlines_pending() if due < day]

    # The transitions (monitoring/services.py fires them, one reviewer at a time, logged).
    @transition(field=state, source=State.RECEIVED, target=State.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        """A reviewer confirms receipt to the complainant."""

    @transition(field=state, source=State.ACKNOWLEDGED, target=State.INVESTIGATING)
    def investigate(self) -> None:
        """The scheme decides to look into it."""

    @transition(field=state, source=State.INVESTIGATING, target=State.SUBSTANTIATED)
    def substantiate(self) -> None:
        """What was said was found true; consequences go through the case's workflow."""

    # Also straight from acknowledged: the decision not to investigate, with its reasons.
    @transition(
        field=state,
        source=[State.ACKNOWLEDGED, State.INVESTIGATING],
        target=State.NOT_SUBSTANTIATED,
    )
    def not_substantiate(self) -> None:
        """Not found true (or not investigated, with the reason)."""

    # Recorded by a reviewer when the complainant asks (a follow-up message): the scheme
    # can then see whether the request sounds free, which a button for anyone with the code
    # would not.
    @transition(field=state, source=list(OPEN_STATES), target=State.WITHDRAWN)
    def withdraw(self) -> None:
        """Withdrawn by the complainant."""

    @transition(
        field=state,
        source=[State.ACKNOWLEDGED, State.INVESTIGATING, State.SUBSTANTIATED],
        target=State.REFERRED,
    )
    def refer(self) -> None:
        """Sent to an authority or a support service, named in `referral`."""


class Direction(models.TextChoices):
    FROM_COMPLAINANT = "from_complainant", _("From the complainant")
    TO_COMPLAINANT = "to_complainant", _("To the complainant")
    INTERNAL = "internal", _("Internal note")


class ComplaintMessage(models.Model):
    """What was added after the complaint: by the complainant, to them, or a reviewers' note.
    The text is encrypted like the description."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    body_encrypted = models.TextField(editable=False, blank=True)
    # A reviewer's message (issue 14 §2); never set for the complainant's own.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")

    def __str__(self) -> str:
        return f"{self.complaint} · {self.get_direction_display()}"


def private_storage():
    return storages["private"]


def complaint_file_path(instance: "ComplaintFile", filename: str) -> str:
    # Nothing of the original name: it may name the complainant.
    return f"complaints/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class ComplaintFile(models.Model):
    """A file joined to a complaint or a later message, stored encrypted in private storage.
    Its type was judged by its content at intake; its original name is not kept."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="files")
    message = models.ForeignKey(
        ComplaintMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    file = models.FileField(storage=private_storage, upload_to=complaint_file_path, max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("complaint file")
        verbose_name_plural = _("complaint files")

    def __str__(self) -> str:
        return f"{self.complaint} · {self.content_type}"


class ComplaintReading(AppendOnly):
    """Append-only: who read a complaint's decrypted contents, when, and what."""

    class What(models.TextChoices):
        COMPLAINT = "complaint", _("The complaint and its messages")
        FILE = "file", _("A file")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="readings")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=20, choices=What.choices, default=What.COMPLAINT)
    file = models.ForeignKey(
        ComplaintFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = _("reading of a complaint")
        verbose_name_plural = _("readings of complaints")

    def __str__(self) -> str:
        return f"{self.complaint} · {self.read_at:%Y-%m-%d %H:%M}"


# What each event of a complaint's log says on a page.
EVENT_LABELS = {
    "acknowledge": _("Acknowledged"),
    "investigate": _("Investigation opened"),
    "substantiate": _("Closed as substantiated"),
    "not_substantiate": _("Closed as not substantiated"),
    "withdraw": _("Withdrawn by the complainant"),
    "refer": _("Referred"),
    "write": _("Message to the complainant"),
    "note": _("Internal note"),
    "link": _("Linked to a case"),
    "order_special_audit": _("Special audit ordered"),
    "suspend": _("Certificate suspended"),
    "withdraw_certificate": _("Certificate withdrawn"),
}


class ComplaintEvent(AppendOnly):
    """Append-only log of a complaint: who did what, when, from which state to which. What was
    written (the message to the complainant, the internal note) is in the encrypted
    messages the event points to; `detail` holds only references (a case, an audit)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    name = models.CharField(_("what"), max_length=40)
    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        ComplaintMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.ForeignKey(
        ComplaintMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint} · {self.name}: {self.source} → {self.target}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.name, self.name)

    @property
    def target_label(self) -> str:
        return State(self.target).label if self.target in State.values else self.target


class ComplaintReminder(models.Model):
    """A deadline's reminder or overdue notice sent to the reviewers: each once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        OVERDUE = "overdue", _("Overdue")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="reminders")
    deadline = models.CharField(max_length=20, choices=Deadline.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "kind"], name="complaint_reminder_once"
            )
        ]
        verbose_name = _("complaint reminder")
        verbose_name_plural = _("complaint reminders")

    def __str__(self) -> str:
        return f"{self.complaint} · {self.deadline} · {self.kind}"


# --- Worker survey -------------------------------------------------------------------------
# Anonymous answers of placed workers (issue 15, DOMAIN.md §8), on the questions of the
# standard version's `worker_survey`. One-time codes printed on cards are handed out by
# auditors or partner organisations, never by the agency. A response keeps its batch (hence
# agency, corridor and standard), its language, the date (never a time) and the answers: no
# code, address, device or account, and nothing that links it to the code that opened it.
# Actions: monitoring/surveys.py; reads: monitoring/survey_selectors.py.


class SurveyBatch(models.Model):
    """A batch of survey codes issued at once for an agency, optionally for one of its
    corridors, on the survey of one standard version. The corridor is kept as its two
    countries rather than a link to `recruiters.Corridor`: an agency's corridors are
    replaced whole when its profile is edited, and answers must outlive that."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    agency = models.ForeignKey(
        "recruiters.Agency",
        on_delete=models.PROTECT,
        related_name="survey_batches",
        verbose_name=_("agency"),
    )
    origin = CountryField(_("country of origin"), blank=True)
    destination = CountryField(_("country of destination"), blank=True)
    standard = models.ForeignKey(
        "scoring.Standard",
        on_delete=models.PROTECT,
        related_name="survey_batches",
        verbose_name=_("standard version"),
    )
    count = models.PositiveIntegerField(_("number of codes"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("codes valid until"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("worker survey batch")
        verbose_name_plural = _("worker survey batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origin="", destination="")
                | (~models.Q(origin="") & ~models.Q(destination="")),
                name="survey_batch_corridor_whole_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="survey_batch_count_positive"
            ),
        ]
        indexes = [models.Index(fields=["agency", "origin", "destination"])]

    def __str__(self) -> str:
        corridor = f" {self.corridor_label}" if self.has_corridor else ""
        return f"{self.agency}{corridor} · {self.count} · {self.issued_at:%Y-%m-%d}"

    @property
    def has_corridor(self) -> bool:
        return bool(self.origin)

    @property
    def corridor_label(self) -> str:
        return f"{self.origin.code} → {self.destination.code}" if self.has_corridor else ""

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class SurveyCode(models.Model):
    """One code of a batch. Looked up by its SHA-256 (`code_hash`); kept encrypted as well
    (monitoring/crypto.py) only so that a reviewer or the issuer can print the cards again.
    `used` is all that is known of its use: never when, by whom or which response."""

    batch = models.ForeignKey(SurveyBatch, on_delete=models.PROTECT, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_encrypted = models.TextField(editable=False)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        ordering = ["batch_id", "id"]
        verbose_name = _("worker survey code")
        verbose_name_plural = _("worker survey codes")

    def __str__(self) -> str:
        return f"{self.batch} · {'used' if self.used else 'unused'}"


class SurveyResponse(models.Model):
    """One worker's answers: which batch, in which language, on which day. Nothing else."""

    batch = models.ForeignKey(SurveyBatch, on_delete=models.PROTECT, related_name="responses")
    language = models.CharField(_("language"), max_length=16)
    answered_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["batch_id", "id"]
        verbose_name = _("worker survey response")
        verbose_name_plural = _("worker survey responses")

    def __str__(self) -> str:
        return f"{self.batch.agency} · {self.answered_on}"


class SurveyAnswer(models.Model):
    """The answer to one question of a response; a skipped question has no row. `value` is
    "yes"/"no" (yes_no), a choice code (choice), a list of choice codes (multi_choice) or
    {"amount": "250.50", "currency": "USD"} (amount, the amount as an exact decimal text).
    The question is named by its code in the batch's standard version, not linked to the
    stored question: a draft standard's questions are replaced when it is loaded again."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question_code = models.CharField(_("question"), max_length=32)
    value = models.JSONField(_("answer"))

    class Meta:
        ordering = ["response_id", "id"]
        verbose_name = _("worker survey answer")
        verbose_name_plural = _("worker survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_code"], name="survey_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_code}"
