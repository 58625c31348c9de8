"""Actions that change the stored standard."""

import logging
from dataclasses import dataclass
from typing import Literal

from django.db import transaction

from scoring.models import (
    Criterion,
    Principle,
    Question,
    Standard,
    SurveyChoice,
    SurveyQuestion,
)
from scoring.standard_file import StandardSpec

logger = logging.getLogger(__name__)


class StandardRefused(Exception):
    """A standard file that is valid but may not be loaded over what is stored."""


@dataclass(frozen=True)
class StandardLoadResult:
    standard: Standard
    outcome: Literal["created", "updated", "unchanged"]


def _standard_fields(spec: StandardSpec) -> dict:
    return {
        "title_en": spec.title.en,
        "title_fr": spec.title.fr,
        "status": spec.status,
        "survey_languages": list(spec.worker_survey.languages) if spec.worker_survey else [],
        "content_sha256": spec.content_sha256,
    }


def standard_load(*, spec: StandardSpec, actor=None) -> StandardLoadResult:
    """Store a validated standard version, all or nothing.

    The same content again changes nothing. A stored draft is replaced whole. A stored
    published version is never changed: a changed published standard needs a new version.
    Other versions are never touched.
    """
    fields = _standard_fields(spec)
    with transaction.atomic():
        # Two loads of a new version at once: the second waits on the unique index, then
        # finds the first one's row here and compares fingerprints like any later load.
        standard, created = Standard.objects.get_or_create(
            code=spec.code, version=spec.version, defaults=fields
        )
        if not created:
            standard = Standard.objects.select_for_update().get(pk=standard.pk)
            if standard.content_sha256 == fields["content_sha256"]:
                return StandardLoadResult(standard, "unchanged")
            if standard.is_published:
                raise StandardRefused(
                    f"{standard} is published and already loaded with other content; "
                    f"a changed published standard needs a new version"
                )
            for name, value in fields.items():
                setattr(standard, name, value)
            standard.save()
            # a draft's content is replaced whole
            standard.survey_questions.all().delete()
            standard.principles.all().delete()
        _write_content(standard, spec)
    outcome = "created" if created else "updated"
    logger.info("standard %s %s by %s", standard, outcome, actor or "system")
    return StandardLoadResult(standard, outcome)


def _write_content(standard: Standard, spec: StandardSpec) -> None:
    principles = Principle.objects.bulk_create(
        Principle(
            standard=standard,
            code=p.code,
            kind=p.kind,
            title_en=p.title.en,
            title_fr=p.title.fr,
            position=position,
        )
        for position, p in enumerate(spec.principles)
    )
    criteria_specs = []
    criteria = []
    for principle, principle_spec in zip(principles, spec.principles, strict=True):
        for position, c in enumerate(principle_spec.criteria):
            criteria_specs.append(c)
            criteria.append(
                Criterion(
                    standard=standard,
                    principle=principle,
                    code=c.code,
                    text_en=c.text.en,
                    text_fr=c.text.fr,
                    weight=c.weight,
                    zero_tolerance=c.zero_tolerance,
                    forced_labour_indicators=list(c.forced_labour_indicators),
                    position=position,
                )
            )
    criteria = Criterion.objects.bulk_create(criteria)
    Question.objects.bulk_create(
        Question(
            standard=standard,
            criterion=criterion,
            code=q.code,
            text_en=q.text.en,
            text_fr=q.text.fr,
            help_en=q.help.en if q.help else "",
            help_fr=q.help.fr if q.help else "",
            answer_type=q.answer_type,
            required=q.required,
            allow_not_applicable=q.allow_not_applicable,
            expected_answer=q.expected or "",
            choices=[{"code": c.code, "label": c.label.to_dict()} for c in q.choices],
            compliant_choices=list(q.compliant_choices),
            minimum=q.minimum,
            maximum=q.maximum,
            position=position,
        )
        for criterion, criterion_spec in zip(criteria, criteria_specs, strict=True)
        for position, q in enumerate(criterion_spec.questions)
    )
    if spec.worker_survey is not None:
        _write_survey(standard, spec, {c.code: c for c in criteria})


def _write_survey(standard: Standard, spec: StandardSpec, criteria: dict[str, Criterion]) -> None:
    survey = spec.worker_survey
    questions = SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            standard=standard,
            criterion=criteria[q.criterion] if q.criterion is not None else None,
            code=q.code,
            answer_type=q.answer_type,
            text=q.text.to_dict(),
            help=q.help.to_dict() if q.help is not None else None,
            ask_if_question=q.ask_if.question if q.ask_if else "",
            ask_if_answer=q.ask_if.answer if q.ask_if else "",
            signal_answers=list(q.signal_answers),
            optional_personal=q.optional_personal,
            position=position,
        )
        for position, q in enumerate(survey.questions)
    )
    SurveyChoice.objects.bulk_create(
        SurveyChoice(
            question=question,
            code=choice.code,
            label=choice.label.to_dict(),
            fee_category=choice.fee_category or "",
            position=position,
        )
        for question, question_spec in zip(questions, survey.questions, strict=True)
        for position, choice in enumerate(question_spec.choices)
    )


def standard_refresh_fingerprint(*, standard: Standard) -> None:
    """After a draft was edited in place (admin), make its fingerprint match its content."""
    from scoring.selectors import standard_spec_get

    if standard.is_published:
        raise StandardRefused(f"{standard} is published and cannot change")
    fingerprint = standard_spec_get(standard=standard).content_sha256
    Standard.objects.filter(pk=standard.pk).update(content_sha256=fingerprint)
