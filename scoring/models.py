"""The standard agencies are assessed against, as versioned data.

A standard version is loaded from a file (`manage.py load_standard`); a published version
is never edited in place: a change is a new version, and cases keep the version they began
with. Criteria and questions carry their standard too, so that codes are unique per version
in the database and a whole catalogue is read with one query per table. The worker survey
(questions put to placed workers, never scored) is part of the version in the same way.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.engine.vocabulary import (
    ANSWER_TYPES,
    PRINCIPLE_KINDS,
    STANDARD_STATUSES,
    SURVEY_ANSWER_TYPES,
    WORKER_COST_CATEGORIES,
)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ")) for value in values]


class Standard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_fr = models.CharField(_("title (French)"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    # The worker survey's languages, in order; empty: the version has no worker survey.
    survey_languages = models.JSONField(_("worker survey languages"), default=list, blank=True)
    content_sha256 = models.CharField(
        _("content fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the canonical content: equal fingerprints, equal standards."),
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code", "loaded_at", "id"]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=STANDARD_STATUSES), name="standard_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Principle(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="principles")
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=_choices(PRINCIPLE_KINDS))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_fr = models.CharField(_("title (French)"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["standard_id", "position"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="principle_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=32)
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    zero_tolerance = models.BooleanField(
        _("zero tolerance"),
        default=False,
        help_text=_("Any non-conformity is major and blocks certification, whatever the score."),
    )
    forced_labour_indicators = models.JSONField(_("forced-labour indicators covered"), default=list)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["standard_id", "principle__position", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.code


class Question(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=32)
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"))
    help_en = models.TextField(_("help (English)"), blank=True)
    help_fr = models.TextField(_("help (French)"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=16, choices=_choices(ANSWER_TYPES))
    required = models.BooleanField(_("required"), default=True)
    allow_not_applicable = models.BooleanField(_("may be answered 'not applicable'"), default=False)
    # The rule deciding compliance, by answer type.
    expected_answer = models.CharField(_("expected answer (yes/no)"), max_length=3, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    compliant_choices = models.JSONField(_("compliant choices"), default=list, blank=True)
    minimum = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = [
            "standard_id",
            "criterion__principle__position",
            "criterion__position",
            "position",
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="question_code_unique"),
            models.CheckConstraint(
                condition=Q(answer_type__in=ANSWER_TYPES), name="question_answer_type_valid"
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="yes_no") | Q(expected_answer__in=("yes", "no")),
                name="question_yes_no_has_expected_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SurveyQuestion(models.Model):
    """A question of the anonymous worker survey; its texts in each of the survey's languages
    (`Standard.survey_languages`), as {language: text}."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="survey_questions"
    )
    # The criterion its answers are evidence for; none for a personal question (age, gender).
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="survey_questions",
        null=True,
        blank=True,
    )
    code = models.CharField(_("code"), max_length=32)
    answer_type = models.CharField(
        _("answer type"), max_length=16, choices=_choices(SURVEY_ANSWER_TYPES)
    )
    text = models.JSONField(_("text"))
    help = models.JSONField(_("help"), null=True, blank=True)
    # Asked only after this answer to an earlier question of the same survey.
    ask_if_question = models.CharField(_("asked if question"), max_length=32, blank=True)
    ask_if_answer = models.CharField(_("asked if answer"), max_length=32, blank=True)
    signal_answers = models.JSONField(
        _("answers raising a signal"),
        default=list,
        blank=True,
        help_text=_("Answers the auditor must check; a signal is never by itself a breach."),
    )
    optional_personal = models.BooleanField(
        _("personal question"),
        default=False,
        help_text=_("About the worker (age band, gender), not about the agency."),
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["standard_id", "position"]
        verbose_name = _("worker survey question")
        verbose_name_plural = _("worker survey questions")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "code"], name="survey_question_code_unique"
            ),
            models.UniqueConstraint(
                fields=["standard", "position"], name="survey_question_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(answer_type__in=SURVEY_ANSWER_TYPES),
                name="survey_question_answer_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(ask_if_question="", ask_if_answer="")
                | (~Q(ask_if_question="") & ~Q(ask_if_answer="")),
                name="survey_question_ask_if_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SurveyChoice(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=32)
    label = models.JSONField(_("label"))
    fee_category = models.CharField(
        _("fee category"), max_length=32, blank=True, choices=_choices(WORKER_COST_CATEGORIES)
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["question_id", "position"]
        verbose_name = _("worker survey choice")
        verbose_name_plural = _("worker survey choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="survey_choice_code_unique"),
            models.CheckConstraint(
                condition=Q(fee_category="") | Q(fee_category__in=WORKER_COST_CATEGORIES),
                name="survey_choice_fee_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} {self.code}"
