"""The engine's building blocks: the catalogue it scores against, statuses, and the exact
arithmetic of scores (DOMAIN.md §6). Pure Python: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

ENGINE_VERSION = "1.1.0"  # 1.1: reasons as a code and parameters

# Status of a question, a criterion or a principle.
COMPLIANT = "compliant"
NON_COMPLIANT = "non_compliant"
NOT_APPLICABLE = "not_applicable"
UNANSWERED = "unanswered"
NOT_SCORED = "not_scored"  # a text answer: context for the auditor, never scored

NOT_APPLICABLE_ANSWER = "not_applicable"
DEFAULT_READINESS_THRESHOLD = 80


class InvalidInput(ValueError):
    """Answers, cost items or findings that cannot be scored; `errors` names each problem.
    Where the input came from a person (worker costs), `problems` holds the same ones as
    (path, Explanation), for wording in the reader's language."""

    def __init__(self, errors: Iterable[str], problems: Iterable[tuple[str, Any]] = ()):
        self.errors = tuple(errors)
        self.problems = tuple(problems)
        super().__init__("\n".join(self.errors))


# --- reasons ----------------------------------------------------------------------------

# The engine's own English for each reason code: what the command line and the API show as
# `text`. People read the Django layer's wording in their language (scoring/explanations.py).
_ENGLISH = {
    # a question's rule
    "rule_expected": "expected '{answer}'",
    "rule_choices": "compliant choices: {choices}",
    "rule_between": "between {low} and {high}",
    "rule_at_least": "at least {low}",
    "rule_at_most": "at most {high}",
    "rule_no_worker_cost": "no cost borne by a worker",
    "rule_not_scored": "not scored",
    # what a failing answer does
    "effect_zero_tolerance_breach": (
        "non-compliant: zero-tolerance criterion {criterion} is breached; "
        "certification is blocked whatever the score"
    ),
    "effect_not_compliant": "non-compliant: criterion {criterion} is not compliant",
    "effect_required_unanswered": (
        "unanswered: a required question; the self-assessment cannot be ready"
    ),
    "effect_optional_unanswered": "unanswered: optional, not counted",
    # why a self-assessment is not ready, or an audit not certifiable
    "zero_tolerance_breached": "zero-tolerance criteria breached: {criteria}",
    "required_unanswered": "{count} required question(s) unanswered",
    "nothing_applies": "no criterion applies",
    "score_below_threshold": "overall score {score} is below {threshold}",
    "open_majors": "open major non-conformities: {criteria}",
    "criteria_without_finding": "criteria without a finding: {criteria}",
    # a worker-costs answer that breaches
    "worker_bore": "{items}",
    # a worker-cost item that cannot be checked
    "cost_not_a_list": "must be a list of cost items",
    "cost_not_an_item": "must be a cost item with {fields}",
    "cost_unknown_field": "unknown field",
    "cost_required": "required",
    "cost_unknown_category": "unknown category {value!r} (one of {choices})",
    "cost_unknown_currency": "unknown currency {value!r}",
    "cost_not_one_of": "must be one of {choices}",
    "cost_worker_only_route": "a cost {route} is borne by the worker, not the {bearer}",
    "cost_amount_not_a_number": "must be a number of 0 or more",
    "cost_amount_places": "at most {places} decimal places",
    "cost_amount_too_large": "must be less than {limit:,}",
}


# The parameters that are lists of codes; any other value is shown as it is (a value that
# came from input in repr, by its message's !r).
_LISTS = frozenset({"choices", "fields", "criteria"})
# "a cost taken as a loan is borne by the worker"
_ROUTE_IN_A_SENTENCE = {"loan": "taken as a loan", "paid_to_sub_agent": "paid to a sub-agent"}


def _english_item(item: Mapping[str, Any]) -> str:
    route = item["route"].replace("_", " ")
    return (
        f"worker bore {item['amount']} {item['currency']} "
        f"({item['category']}, {route}; item {item['item']})"
    )


class Explanation(NamedTuple):
    """A reason as a code and its parameters (texts, numbers, tuples of codes), so that
    whoever shows it can word it in the reader's language; `text` is the engine's English."""

    code: str
    params: Mapping[str, Any] = MappingProxyType({})

    @property
    def text(self) -> str:
        shown = {}
        for key, value in self.params.items():
            if key == "items":
                shown[key] = "; ".join(_english_item(item) for item in value)
            elif key in _LISTS:
                shown[key] = ", ".join(str(part) for part in value)
            elif key == "route":
                shown[key] = _ROUTE_IN_A_SENTENCE.get(value, str(value).replace("_", " "))
            else:
                shown[key] = value
        return _ENGLISH[self.code].format(**shown)

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        params = {}
        for key, value in self.params.items():
            if key == "items":
                value = [dict(item) for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            params[key] = value
        return {"code": self.code, "params": params, "text": self.text}


def explanation(code: str, **params: Any) -> Explanation:
    return Explanation(code, MappingProxyType(params))


# --- the catalogue ----------------------------------------------------------------------

_YES_NO, _CHOICE, _NUMBER, _WORKER_COSTS, _TEXT = range(5)
_KINDS = {
    "yes_no": _YES_NO,
    "choice": _CHOICE,
    "number": _NUMBER,
    "worker_costs": _WORKER_COSTS,
    "text": _TEXT,
}


@dataclass(frozen=True, slots=True)
class CataloguePrinciple:
    code: str
    kind: str = "specific"


@dataclass(frozen=True, slots=True)
class CatalogueCriterion:
    code: str
    principle: str
    weight: Decimal
    zero_tolerance: bool = False
    forced_labour_indicators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogueQuestion:
    """A question and the rule that decides whether its answer is compliant."""

    code: str
    criterion: str
    answer_type: str
    required: bool = True
    allow_not_applicable: bool = False
    expected: str | None = None  # yes_no
    choices: tuple[str, ...] = ()  # choice
    compliant_choices: frozenset[str] = frozenset()  # choice
    minimum: Decimal | None = None  # number
    maximum: Decimal | None = None  # number

    def compliant_example(self):
        """An answer this question's rule finds compliant (for demos, examples and tests)."""
        if self.answer_type == "yes_no":
            return self.expected
        if self.answer_type == "choice":
            return next(c for c in self.choices if c in self.compliant_choices)
        if self.answer_type == "number":
            return self.minimum if self.minimum is not None else self.maximum
        if self.answer_type == "worker_costs":
            return []
        return "Context for the auditor."

    @property
    def rule(self) -> Explanation:
        """The rule as reasons show it."""
        if self.answer_type == "yes_no":
            return explanation("rule_expected", answer=self.expected)
        if self.answer_type == "choice":
            allowed = tuple(c for c in self.choices if c in self.compliant_choices)
            return explanation("rule_choices", choices=allowed)
        if self.answer_type == "number":
            low, high = plain_decimal(self.minimum), plain_decimal(self.maximum)
            if low is not None and high is not None:
                return explanation("rule_between", low=low, high=high)
            if low is not None:
                return explanation("rule_at_least", low=low)
            return explanation("rule_at_most", high=high)
        if self.answer_type == "worker_costs":
            return explanation("rule_no_worker_cost")
        return explanation("rule_not_scored")


def plain_decimal(value: Decimal | None) -> str | None:
    """'80', '0.5': the same text whether the number came from a file or a database column."""
    if value is None:
        return None
    return format(value.normalize(), "f")


class CriterionResult(NamedTuple):
    code: str
    principle: str
    status: str
    weight: int | float
    zero_tolerance: bool

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


# A criterion's or principle's status from the bits of its parts' statuses:
# 1 compliant, 2 unanswered, 4 non-compliant; none of them: not applicable.
STATUS_BY_FLAGS = (
    NOT_APPLICABLE,
    COMPLIANT,
    UNANSWERED,
    UNANSWERED,
    NON_COMPLIANT,
    NON_COMPLIANT,
    NON_COMPLIANT,
    NON_COMPLIANT,
)


class _Plan(NamedTuple):
    """What scoring needs, computed once per catalogue so that scoring itself does little."""

    questions: tuple  # (code, criterion index, kind, a, b, required, allow n/a) per question
    rules: tuple[Explanation, ...]  # the rule, per question
    criterion_index: Mapping[str, int]
    question_index: Mapping[str, int]
    weights: tuple[int, ...]  # hundredths, exact
    principle_criteria: tuple[tuple[int, ...], ...]
    principle_members: tuple[tuple[tuple[int, int], ...], ...]  # (criterion index, weight)
    criterion_results: tuple[tuple[CriterionResult, ...], ...]  # per criterion, by status flags
    zero_tolerance: tuple[int, ...]
    breach_effects: tuple[Explanation, ...]  # per criterion, what a non-compliant answer does
    gap_order: tuple[int, ...]  # zero tolerance first, then heaviest, then catalogue order


@dataclass(frozen=True)
class Catalogue:
    """A standard version as the engine sees it: codes, weights, flags and rules, no texts."""

    code: str
    version: str
    principles: tuple[CataloguePrinciple, ...]
    criteria: tuple[CatalogueCriterion, ...]
    questions: tuple[CatalogueQuestion, ...]
    _plan: _Plan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        principle_index = {p.code: i for i, p in enumerate(self.principles)}
        criterion_index = {c.code: i for i, c in enumerate(self.criteria)}
        question_index = {q.code: i for i, q in enumerate(self.questions)}
        problems = []
        for kind, codes, index in (
            ("principle", self.principles, principle_index),
            ("criterion", self.criteria, criterion_index),
            ("question", self.questions, question_index),
        ):
            if len(index) != len(codes):
                problems.append(f"a {kind} code is used twice")
        weights = []
        for criterion in self.criteria:
            if criterion.principle not in principle_index:
                problems.append(
                    f"criterion {criterion.code}: unknown principle {criterion.principle!r}"
                )
            if not criterion.weight > 0 or criterion.weight != round(criterion.weight, 2):
                problems.append(
                    f"criterion {criterion.code}: weight must be above 0 with at most 2 decimals"
                )
            weights.append(int(criterion.weight * 100))
        plan = []
        for q in self.questions:
            kind = _KINDS.get(q.answer_type)
            if q.criterion not in criterion_index or kind is None:
                problems.append(f"question {q.code}: unknown criterion or answer type")
                continue
            a = b = None
            if kind == _YES_NO:
                if q.expected not in ("yes", "no"):
                    problems.append(f"question {q.code}: expected answer must be yes or no")
                a, b = q.expected, "no" if q.expected == "yes" else "yes"
            elif kind == _CHOICE:
                a, b = frozenset(q.compliant_choices), frozenset(q.choices)
            elif kind == _NUMBER:
                a, b = q.minimum, q.maximum
            plan.append(
                (
                    q.code,
                    criterion_index[q.criterion],
                    kind,
                    a,
                    b,
                    q.required,
                    q.allow_not_applicable,
                )
            )
        if problems:
            raise ValueError("invalid catalogue: " + "; ".join(problems))
        principle_criteria = tuple(
            tuple(i for i, c in enumerate(self.criteria) if c.principle == p.code)
            for p in self.principles
        )
        object.__setattr__(
            self,
            "_plan",
            _Plan(
                questions=tuple(plan),
                rules=tuple(q.rule for q in self.questions),
                criterion_index=MappingProxyType(criterion_index),
                question_index=MappingProxyType(question_index),
                weights=tuple(weights),
                principle_criteria=principle_criteria,
                principle_members=tuple(
                    tuple((i, weights[i]) for i in members) for members in principle_criteria
                ),
                criterion_results=tuple(
                    tuple(
                        CriterionResult(
                            c.code, c.principle, status, weight_number(weights[i]), c.zero_tolerance
                        )
                        for status in STATUS_BY_FLAGS
                    )
                    for i, c in enumerate(self.criteria)
                ),
                zero_tolerance=tuple(i for i, c in enumerate(self.criteria) if c.zero_tolerance),
                breach_effects=tuple(
                    explanation(
                        "effect_zero_tolerance_breach"
                        if c.zero_tolerance
                        else "effect_not_compliant",
                        criterion=c.code,
                    )
                    for c in self.criteria
                ),
                gap_order=tuple(
                    sorted(
                        range(len(self.criteria)),
                        key=lambda i: (not self.criteria[i].zero_tolerance, -weights[i], i),
                    )
                ),
            ),
        )

    def question(self, code: str) -> CatalogueQuestion:
        return self.questions[self._plan.question_index[code]]

    def criterion(self, code: str) -> CatalogueCriterion:
        return self.criteria[self._plan.criterion_index[code]]


# --- arithmetic -------------------------------------------------------------------------


def score_of(compliant: int, applicable: int) -> float | None:
    """100 * compliant / applicable, rounded half up to one decimal; None if nothing applies."""
    if applicable == 0:
        return None
    tenths, remainder = divmod(1000 * compliant, applicable)
    if 2 * remainder >= applicable:
        tenths += 1
    return tenths / 10


def weight_number(hundredths: int) -> int | float:
    return hundredths // 100 if hundredths % 100 == 0 else hundredths / 100


class PrincipleResult(NamedTuple):
    code: str
    status: str
    score: float | None
    compliant_weight: int | float
    applicable_weight: int | float

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()
