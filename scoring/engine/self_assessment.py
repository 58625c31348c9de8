"""Scoring a self-assessment: the agency's answers against the catalogue (DOMAIN.md §6).
Pure Python: no Django. The loop over questions is the hot path: see `make bench`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from scoring.engine.core import (
    _CHOICE,
    _NUMBER,
    _TEXT,
    _WORKER_COSTS,
    _YES_NO,
    COMPLIANT,
    DEFAULT_READINESS_THRESHOLD,
    ENGINE_VERSION,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    NOT_APPLICABLE_ANSWER,
    NOT_SCORED,
    STATUS_BY_FLAGS,
    UNANSWERED,
    Catalogue,
    CriterionResult,
    Explanation,
    InvalidInput,
    PrincipleResult,
    explanation,
    plain_decimal,
    score_of,
    weight_number,
)
from scoring.engine.worker_costs import WorkerCostsResult, check_worker_costs

# What no database keeps in a text, nor UTF-8 encodes: NUL, and JSON's lone surrogates.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Answer:
    """An agency's answer to one question: "yes"/"no", a choice code, a number,
    "not_applicable", a text, or (worker costs) a list of cost items."""

    question: str
    value: Any


class Reason(NamedTuple):
    criterion: str
    question: str
    answer: str | Explanation | None  # the answer given; a worker-costs breach explained
    rule: Explanation
    effect: Explanation

    def to_dict(self) -> dict[str, Any]:
        answer = self.answer.to_dict() if isinstance(self.answer, Explanation) else self.answer
        return {
            "criterion": self.criterion,
            "question": self.question,
            "answer": answer,
            "rule": self.rule.to_dict(),
            "effect": self.effect.to_dict(),
        }


class Gap(NamedTuple):
    criterion: str
    principle: str
    status: str
    zero_tolerance: bool
    weight: int | float
    questions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "questions": list(self.questions)}


@dataclass(frozen=True, slots=True)
class SelfAssessmentResult:
    standard_code: str
    standard_version: str
    question_statuses: Mapping[str, str]  # question code -> status
    criteria: tuple[CriterionResult, ...]
    principles: tuple[PrincipleResult, ...]
    overall_score: float | None
    ready: bool
    readiness_threshold: int | float
    readiness_reasons: tuple[Explanation, ...]
    unanswered_required: tuple[str, ...]
    zero_tolerance_breaches: tuple[str, ...]
    gaps: tuple[Gap, ...]
    reasons: tuple[Reason, ...]
    worker_costs: WorkerCostsResult | None
    engine_version: str = ENGINE_VERSION

    @property
    def readiness(self) -> str:
        return "ready" if self.ready else "not_ready"

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "standard": {"code": self.standard_code, "version": self.standard_version},
            "readiness": self.readiness,
            "readiness_threshold": self.readiness_threshold,
            "readiness_reasons": [reason.to_dict() for reason in self.readiness_reasons],
            "overall_score": self.overall_score,
            "zero_tolerance_breaches": list(self.zero_tolerance_breaches),
            "unanswered_required": list(self.unanswered_required),
            "gaps": [gap.to_dict() for gap in self.gaps],
            "reasons": [reason.to_dict() for reason in self.reasons],
            "principles": [p.to_dict() for p in self.principles],
            "criteria": [c.to_dict() for c in self.criteria],
            "questions": [
                {"code": code, "status": status} for code, status in self.question_statuses.items()
            ],
            "worker_costs": self.worker_costs.to_dict() if self.worker_costs else None,
        }


def _answers_from_list(answers: Iterable[Answer]) -> tuple[dict[str, Any], list[str]]:
    mapping, errors = {}, []
    for answer in answers:
        if answer.question in mapping:
            errors.append(f"answers.{answer.question}: answered twice")
        mapping[answer.question] = answer.value
    return mapping, errors


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else repr(value)


_INFINITIES = (float("inf"), float("-inf"))
_UNANSWERED_REQUIRED = explanation("effect_required_unanswered")
_UNANSWERED_OPTIONAL = explanation("effect_optional_unanswered")


def score_self_assessment(
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Iterable[Answer],
    *,
    readiness_threshold: int | float = DEFAULT_READINESS_THRESHOLD,
) -> SelfAssessmentResult:
    """Score an agency's answers (DOMAIN.md §6). Raises InvalidInput naming every bad answer.

    `answers` maps question codes to values, or lists `Answer`s; a missing answer or None
    is unanswered.
    """
    if type(answers) is dict or isinstance(answers, Mapping):
        values, errors = answers, []
    else:
        values, errors = _answers_from_list(answers)
    problems: list = []  # the worker-cost problems, as (path, Explanation)
    plan = catalogue._plan
    flags = [0] * len(catalogue.criteria)  # status bits per criterion: see STATUS_BY_FLAGS
    statuses: dict[str, str] = {}
    failing: list[
        tuple[int, int, Any]
    ] = []  # (question index, criterion index, value); None: unanswered
    unanswered_required: list[str] = []
    worker_costs = None
    answered = 0
    get = values.get
    for index, (code, ci, kind, a, b, required, allow_na) in enumerate(plan.questions):
        value = get(code)
        if value is None:
            statuses[code] = UNANSWERED
            if required:
                unanswered_required.append(code)
                if kind != _TEXT:
                    flags[ci] |= 2
            failing.append((index, ci, None))
            continue
        answered += 1
        # Each branch settles a valid answer and continues; anything else falls through.
        if kind == _YES_NO:
            if value == a:
                statuses[code] = COMPLIANT
                flags[ci] |= 1
                continue
            if value == b:
                statuses[code] = NON_COMPLIANT
                flags[ci] |= 4
                failing.append((index, ci, value))
                continue
        elif kind == _CHOICE:
            if type(value) is str:
                if value in a:
                    statuses[code] = COMPLIANT
                    flags[ci] |= 1
                    continue
                if value in b:
                    statuses[code] = NON_COMPLIANT
                    flags[ci] |= 4
                    failing.append((index, ci, value))
                    continue
        elif kind == _NUMBER:
            kind_of = type(value)
            if (
                kind_of is int
                or kind_of is Decimal
                or (kind_of is float and value == value and value not in _INFINITIES)
            ):
                if (a is not None and value < a) or (b is not None and value > b):
                    statuses[code] = NON_COMPLIANT
                    flags[ci] |= 4
                    failing.append((index, ci, value))
                else:
                    statuses[code] = COMPLIANT
                    flags[ci] |= 1
                continue
        elif kind == _WORKER_COSTS:
            if type(value) is not str:
                try:
                    worker_costs = check_worker_costs(value, path=f"answers.{code}")
                except InvalidInput as invalid:
                    errors.extend(invalid.errors)
                    problems.extend(invalid.problems)
                    continue
                if worker_costs.breach:
                    statuses[code] = NON_COMPLIANT
                    flags[ci] |= 4
                    failing.append((index, ci, value))
                else:
                    statuses[code] = COMPLIANT
                    flags[ci] |= 1
                continue
        elif type(value) is str:  # text
            if _UNSTORABLE.search(value):
                errors.append(
                    f"answers.{code}: a text cannot contain NUL characters or lone surrogates"
                )
            else:
                statuses[code] = NOT_SCORED
            continue
        if value == NOT_APPLICABLE_ANSWER and type(value) is str:
            if allow_na:
                statuses[code] = NOT_APPLICABLE
            else:
                errors.append(f"answers.{code}: this question cannot be answered not_applicable")
            continue
        errors.append(_invalid_answer(catalogue, code, kind, value))
    if answered != len(values):
        errors.extend(
            f"answers.{code}: unknown question"
            for code in values
            if code not in plan.question_index
        )
    if errors:
        raise InvalidInput(errors, problems)
    return _result(
        catalogue, statuses, flags, failing, unanswered_required, worker_costs, readiness_threshold
    )


def _invalid_answer(catalogue: Catalogue, code: str, kind: int, value: Any) -> str:
    if kind == _YES_NO:
        expected = "yes or no"
    elif kind == _CHOICE:
        expected = f"one of {', '.join(catalogue.question(code).choices)}"
    elif kind == _NUMBER:
        expected = "a number"
    elif kind == _WORKER_COSTS:
        return f"answers.{code}: must be a list of cost items"
    else:
        expected = "a text"
    return f"answers.{code}: must be {expected}, not {value!r}"


def _result(catalogue, statuses, flags, failing, unanswered_required, worker_costs, threshold):
    plan = catalogue._plan
    criterion_results = tuple([plan.criterion_results[i][f] for i, f in enumerate(flags)])
    principles = []
    total_compliant = total_applicable = 0
    for principle, members in zip(catalogue.principles, plan.principle_members, strict=True):
        compliant = applicable = principle_flags = 0
        for i, weight in members:
            criterion_flags = flags[i]
            if criterion_flags:  # compliant, unanswered or non-compliant: applicable
                principle_flags |= criterion_flags
                applicable += weight
                if criterion_flags == 1:
                    compliant += weight
        total_compliant += compliant
        total_applicable += applicable
        principles.append(
            PrincipleResult(
                principle.code,
                STATUS_BY_FLAGS[principle_flags],
                score_of(compliant, applicable),
                weight_number(compliant),
                weight_number(applicable),
            )
        )
    overall = score_of(total_compliant, total_applicable)
    criteria = catalogue.criteria
    breaches = tuple([criteria[i].code for i in plan.zero_tolerance if flags[i] & 4])

    reasons = []
    gap_questions: dict[int, list[str]] = {}
    for index, ci, value in failing:
        question = catalogue.questions[index]
        criterion = criteria[ci]
        if value is None:
            if not question.required:
                reasons.append(
                    Reason(
                        criterion.code, question.code, None, plan.rules[index], _UNANSWERED_OPTIONAL
                    )
                )
                continue
            effect, answer = _UNANSWERED_REQUIRED, None
        else:
            effect = plan.breach_effects[ci]
            answer = (
                worker_costs.describe_breach()
                if question.answer_type == "worker_costs"
                else _show(value)
            )
        if question.answer_type != "text":
            gap_questions.setdefault(ci, []).append(question.code)
        reasons.append(Reason(criterion.code, question.code, answer, plan.rules[index], effect))
    gaps = tuple(
        [
            Gap(
                criteria[i].code,
                criteria[i].principle,
                STATUS_BY_FLAGS[flags[i]],
                criteria[i].zero_tolerance,
                weight_number(plan.weights[i]),
                tuple(gap_questions.get(i, ())),
            )
            for i in plan.gap_order
            if flags[i] & 6
        ]
    )
    readiness_reasons = []
    if breaches:
        readiness_reasons.append(explanation("zero_tolerance_breached", criteria=breaches))
    if unanswered_required:
        readiness_reasons.append(explanation("required_unanswered", count=len(unanswered_required)))
    if overall is None:
        readiness_reasons.append(explanation("nothing_applies"))
    elif overall < threshold:
        readiness_reasons.append(
            explanation("score_below_threshold", score=overall, threshold=threshold)
        )
    return SelfAssessmentResult(
        standard_code=catalogue.code,
        standard_version=catalogue.version,
        question_statuses=MappingProxyType(statuses),
        criteria=criterion_results,
        principles=tuple(principles),
        overall_score=overall,
        ready=not readiness_reasons,
        readiness_threshold=threshold,
        readiness_reasons=tuple(readiness_reasons),
        unanswered_required=tuple(unanswered_required),
        zero_tolerance_breaches=breaches,
        gaps=gaps,
        reasons=tuple(reasons),
        worker_costs=worker_costs,
    )
