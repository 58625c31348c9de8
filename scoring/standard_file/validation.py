"""Checking a parsed standard file completely before building its specification: every
problem is reported with its place, such as ``principles[2].criteria[0].weight: must be
greater than 0``. Pure Python: no Django."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from scoring.engine.vocabulary import (
    ANSWER_TYPES,
    FORCED_LABOUR_INDICATORS,
    PRINCIPLE_KINDS,
    STANDARD_STATUSES,
    YES_NO,
)
from scoring.standard_file.checking import (
    CODE,
    Checker,
    CodeRegistry,
    StandardFileError,
    join,
)
from scoring.standard_file.spec import (
    Choice,
    CriterionSpec,
    PrincipleSpec,
    QuestionSpec,
    StandardSpec,
)
from scoring.standard_file.survey import validate_worker_survey

STANDARD_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")

WEIGHT_MAX = Decimal(1000)
WEIGHT_PLACES = 2
BOUND_PLACES = 4
BOUND_MAX = Decimal(10) ** 9


def validate_standard(data: Any) -> StandardSpec:
    """Check a parsed file completely, then build the specification, or raise every error."""
    checker = Checker()
    top = checker.fields(
        data,
        "",
        ("code", "version", "title", "status", "principles"),
        ("worker_survey", "extends"),
    )
    if top is None:
        raise StandardFileError(checker.problems)
    if "extends" in top:  # read_standard_file resolves it, knowing the file's folder
        checker.problem("extends", "extends_needs_folder")
    code = checker.string(top, "code", "", STANDARD_CODE, invalid="invalid_standard_code")
    version = checker.string(top, "version", "", VERSION)
    title = checker.text(top, "title", "")
    status = checker.choice(top, "status", "", STANDARD_STATUSES)
    principles_data = checker.sequence(top, "principles", "")
    registries = {
        "principle": CodeRegistry(checker, "duplicate_principle_code"),
        "criterion": CodeRegistry(checker, "duplicate_criterion_code"),
        "question": CodeRegistry(checker, "duplicate_question_code"),
    }
    worker_costs_at: list[str] = []
    principles = []
    if principles_data is not None:
        if not principles_data:
            checker.problem("principles", "empty")
        for index, item in enumerate(principles_data):
            principles.append(
                _principle(checker, registries, worker_costs_at, item, join("principles", index))
            )
    for extra in worker_costs_at[1:]:
        checker.problem(join(extra, "answer_type"), "second_worker_costs", first=worker_costs_at[0])
    worker_survey = None
    if "worker_survey" in top:
        criteria = set(registries["criterion"].first_seen)
        worker_survey = validate_worker_survey(checker, top["worker_survey"], criteria)
    if checker.problems:
        raise StandardFileError(checker.problems)
    return StandardSpec(code, version, title, status, tuple(principles), worker_survey)


def _principle(checker, registries, worker_costs_at, data, path):
    fields = checker.fields(data, path, ("code", "kind", "title", "criteria"))
    if fields is None:
        return None
    code = checker.string(fields, "code", path, CODE)
    registries["principle"].claim(code, path)
    kind = checker.choice(fields, "kind", path, PRINCIPLE_KINDS)
    title = checker.text(fields, "title", path)
    criteria_data = checker.sequence(fields, "criteria", path)
    criteria = []
    if criteria_data is not None:
        if not criteria_data:
            checker.problem(join(path, "criteria"), "empty")
        for index, item in enumerate(criteria_data):
            where = join(join(path, "criteria"), index)
            criteria.append(_criterion(checker, registries, worker_costs_at, item, where))
    return PrincipleSpec(code, kind, title, tuple(criteria))


def _criterion(checker, registries, worker_costs_at, data, path):
    fields = checker.fields(
        data,
        path,
        ("code", "text", "weight", "questions"),
        ("zero_tolerance", "forced_labour_indicators"),
    )
    if fields is None:
        return None
    code = checker.string(fields, "code", path, CODE)
    registries["criterion"].claim(code, path)
    text = checker.text(fields, "text", path)
    weight = checker.number(fields, "weight", path, WEIGHT_PLACES, WEIGHT_MAX)
    if weight is not None and weight <= 0:
        checker.problem(join(path, "weight"), "not_positive")
    zero_tolerance = checker.boolean(fields, "zero_tolerance", path, default=False)
    indicators = checker.sequence(fields, "forced_labour_indicators", path, default=[])
    if indicators is not None:
        for index, indicator in enumerate(indicators):
            if indicator not in FORCED_LABOUR_INDICATORS:
                checker.problem(
                    join(join(path, "forced_labour_indicators"), index),
                    "unknown_indicator",
                    value=indicator,
                    choices=FORCED_LABOUR_INDICATORS,
                )
        if len(set(map(str, indicators))) != len(indicators):
            checker.problem(join(path, "forced_labour_indicators"), "indicator_twice")
    questions_data = checker.sequence(fields, "questions", path)
    questions = []
    if questions_data is not None:
        if not questions_data:
            checker.problem(join(path, "questions"), "empty")
        for index, item in enumerate(questions_data):
            where = join(join(path, "questions"), index)
            questions.append(_question(checker, registries, worker_costs_at, item, where))
    return CriterionSpec(
        code, text, weight, zero_tolerance, tuple(indicators or ()), tuple(questions)
    )


def _question(checker, registries, worker_costs_at, data, path):
    fields = checker.fields(
        data,
        path,
        ("code", "text", "answer_type"),
        ("help", "required", "allow_not_applicable", "choices", "rule"),
    )
    if fields is None:
        return None
    code = checker.string(fields, "code", path, CODE)
    registries["question"].claim(code, path)
    text = checker.text(fields, "text", path)
    help_text = checker.text(fields, "help", path)
    answer_type = checker.choice(fields, "answer_type", path, ANSWER_TYPES)
    required = checker.boolean(fields, "required", path, default=True)
    allow_not_applicable = checker.boolean(fields, "allow_not_applicable", path, default=False)
    spec = {}
    if answer_type == "worker_costs":
        worker_costs_at.append(path)
    if answer_type is not None:
        spec = _rule(checker, fields, path, answer_type)
    return QuestionSpec(code, text, help_text, answer_type, required, allow_not_applicable, **spec)


def _rule(checker: Checker, fields: dict, path: str, answer_type: str) -> dict[str, Any]:
    rule_path = join(path, "rule")
    if answer_type != "choice" and "choices" in fields:
        checker.problem(join(path, "choices"), "choices_not_allowed")
    if answer_type == "worker_costs":
        if "rule" in fields:
            checker.problem(rule_path, "rule_on_worker_costs")
        return {}
    if answer_type == "text":
        if "rule" in fields:
            checker.problem(rule_path, "rule_on_text")
        return {}
    if "rule" not in fields:
        checker.problem(rule_path, "required_for_answer_type", answer_type=answer_type)
        return {}
    if answer_type == "yes_no":
        rule = checker.fields(fields["rule"], rule_path, ("expected",))
        if rule is None:
            return {}
        return {"expected": checker.choice(rule, "expected", rule_path, YES_NO)}
    if answer_type == "number":
        rule = checker.fields(fields["rule"], rule_path, (), ("min", "max"))
        if rule is None:
            return {}
        minimum = checker.number(rule, "min", rule_path, BOUND_PLACES, BOUND_MAX)
        maximum = checker.number(rule, "max", rule_path, BOUND_PLACES, BOUND_MAX)
        if "min" not in rule and "max" not in rule:
            checker.problem(rule_path, "no_bounds")
        if minimum is not None and maximum is not None and minimum > maximum:
            checker.problem(join(rule_path, "min"), "min_above_max")
        return {"minimum": minimum, "maximum": maximum}
    # choice
    choices = _choices(checker, fields, path)
    rule = checker.fields(fields["rule"], rule_path, ("compliant_choices",))
    if rule is None:
        return {"choices": choices}
    compliant = checker.sequence(rule, "compliant_choices", rule_path)
    if compliant is None:
        return {"choices": choices}
    compliant_path = join(rule_path, "compliant_choices")
    if not compliant:
        checker.problem(compliant_path, "empty")
    known = {choice.code for choice in choices}
    for index, value in enumerate(compliant):
        if choices and value not in known:
            checker.problem(join(compliant_path, index), "not_a_choice", value=value)
    if len(set(map(str, compliant))) != len(compliant):
        checker.problem(compliant_path, "choice_twice")
    return {"choices": choices, "compliant_choices": tuple(compliant)}


def _choices(checker: Checker, fields: dict, path: str) -> tuple[Choice, ...]:
    choices_path = join(path, "choices")
    items = checker.sequence(fields, "choices", path)
    if "choices" not in fields:
        checker.problem(choices_path, "required_for_answer_type", answer_type="choice")
        return ()
    if items is None:
        return ()
    if len(items) < 2:
        checker.problem(choices_path, "too_few_choices")
    result, seen = [], set()
    for index, item in enumerate(items):
        where = join(choices_path, index)
        choice = checker.fields(item, where, ("code", "label"))
        if choice is None:
            continue
        code = checker.string(choice, "code", where, CODE)
        label = checker.text(choice, "label", where)
        if code is not None and code in seen:
            checker.problem(join(where, "code"), "duplicate_choice", code=code)
        seen.add(code)
        result.append(Choice(code, label))
    return tuple(result)
