"""Reads of the stored standard."""

from collections import defaultdict

from scoring.models import Criterion, Principle, Question, Standard
from scoring.standard_file import (
    Choice,
    CriterionSpec,
    PrincipleSpec,
    QuestionSpec,
    StandardSpec,
    Text,
)


def standard_get(*, code: str, version: str) -> Standard:
    return Standard.objects.get(code=code, version=version)


def standard_spec_get(*, standard: Standard) -> StandardSpec:
    """The stored version as a specification, the same as the file it was loaded from.

    Three queries, whatever the size of the standard.
    """
    questions_by_criterion = defaultdict(list)
    for q in Question.objects.filter(standard=standard).order_by("criterion_id", "position"):
        questions_by_criterion[q.criterion_id].append(
            QuestionSpec(
                code=q.code,
                text=Text(q.text_en, q.text_fr),
                help=Text(q.help_en, q.help_fr) if q.help_en or q.help_fr else None,
                answer_type=q.answer_type,
                required=q.required,
                allow_not_applicable=q.allow_not_applicable,
                expected=q.expected_answer or None,
                choices=tuple(
                    Choice(c["code"], Text(c["label"]["en"], c["label"]["fr"])) for c in q.choices
                ),
                compliant_choices=tuple(q.compliant_choices),
                minimum=q.minimum,
                maximum=q.maximum,
            )
        )
    criteria_by_principle = defaultdict(list)
    for c in Criterion.objects.filter(standard=standard).order_by("principle_id", "position"):
        criteria_by_principle[c.principle_id].append(
            CriterionSpec(
                code=c.code,
                text=Text(c.text_en, c.text_fr),
                weight=c.weight,
                zero_tolerance=c.zero_tolerance,
                forced_labour_indicators=tuple(c.forced_labour_indicators),
                questions=tuple(questions_by_criterion[c.pk]),
            )
        )
    principles = tuple(
        PrincipleSpec(
            code=p.code,
            kind=p.kind,
            title=Text(p.title_en, p.title_fr),
            criteria=tuple(criteria_by_principle[p.pk]),
        )
        for p in Principle.objects.filter(standard=standard).order_by("position")
    )
    return StandardSpec(
        code=standard.code,
        version=standard.version,
        title=Text(standard.title_en, standard.title_fr),
        status=standard.status,
        principles=principles,
    )
