"""The standard as a data file: parse, validate and write it back. Pure Python: no Django.

A file is YAML (JSON is accepted too, being YAML). `parse_standard` returns an immutable
`StandardSpec` or raises `StandardFileError` listing every problem with its place in the
file, such as ``principles[2].criteria[0].weight: must be greater than 0``. The format is
described in docs/standard-format.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from scoring.vocabulary import (
    ANSWER_TYPES,
    FORCED_LABOUR_INDICATORS,
    LANGUAGES,
    PRINCIPLE_KINDS,
    STANDARD_STATUSES,
    YES_NO,
)

MAX_FILE_BYTES = 5 * 1024 * 1024

STANDARD_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

WEIGHT_MAX = Decimal(1000)
WEIGHT_PLACES = 2
BOUND_PLACES = 4
BOUND_MAX = Decimal(10) ** 9


class StandardFileError(Exception):
    """A standard file that cannot be loaded; `errors` lists every problem with its place."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- the immutable specification -------------------------------------------------------


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "fr": self.fr}


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: Text
    help: Text | None
    answer_type: str
    required: bool
    allow_not_applicable: bool
    expected: str | None = None  # yes_no: the compliant answer
    choices: tuple[Choice, ...] = ()  # choice: the possible answers
    compliant_choices: tuple[str, ...] = ()  # choice: the compliant ones
    minimum: Decimal | None = None  # number: compliant when minimum <= answer
    maximum: Decimal | None = None  # number: compliant when answer <= maximum

    def rule_dict(self) -> dict[str, Any] | None:
        if self.answer_type == "yes_no":
            return {"expected": self.expected}
        if self.answer_type == "choice":
            return {"compliant_choices": list(self.compliant_choices)}
        if self.answer_type == "number":
            rule = {}
            if self.minimum is not None:
                rule["min"] = _plain_number(self.minimum)
            if self.maximum is not None:
                rule["max"] = _plain_number(self.maximum)
            return rule
        return None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "text": self.text.to_dict()}
        if self.help is not None:
            data["help"] = self.help.to_dict()
        data["answer_type"] = self.answer_type
        data["required"] = self.required
        data["allow_not_applicable"] = self.allow_not_applicable
        if self.answer_type == "choice":
            data["choices"] = [{"code": c.code, "label": c.label.to_dict()} for c in self.choices]
        rule = self.rule_dict()
        if rule is not None:
            data["rule"] = rule
        return data


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    text: Text
    weight: Decimal
    zero_tolerance: bool
    forced_labour_indicators: tuple[str, ...]
    questions: tuple[QuestionSpec, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text.to_dict(),
            "weight": _plain_number(self.weight),
            "zero_tolerance": self.zero_tolerance,
            "forced_labour_indicators": list(self.forced_labour_indicators),
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True)
class PrincipleSpec:
    code: str
    kind: str
    title: Text
    criteria: tuple[CriterionSpec, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "title": self.title.to_dict(),
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True)
class StandardSpec:
    code: str
    version: str
    title: Text
    status: str
    principles: tuple[PrincipleSpec, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "version": self.version,
            "title": self.title.to_dict(),
            "status": self.status,
            "principles": [p.to_dict() for p in self.principles],
        }

    def criteria(self) -> Iterator[CriterionSpec]:
        for principle in self.principles:
            yield from principle.criteria

    def questions(self) -> Iterator[QuestionSpec]:
        for criterion in self.criteria():
            yield from criterion.questions

    @property
    def content_sha256(self) -> str:
        """Fingerprint of the content, the same however the file was laid out."""
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- reading ---------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML with two traps removed: duplicate keys are errors, and only true/false are
    booleans (YAML 1.2), so that `expected: yes` means the answer "yes", not True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _DuplicateKeyError(yaml.YAMLError):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key; reported when the mapping is checked
            continue
        if duplicate:
            mark = key_node.start_mark
            raise _DuplicateKeyError(
                f"line {mark.line + 1}, column {mark.column + 1}: duplicate key {key!r}"
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_standard_file(path: str | Path) -> StandardSpec:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise StandardFileError([f"{path}: cannot be read ({error.strerror})"]) from None
    if size > MAX_FILE_BYTES:
        raise StandardFileError([f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StandardFileError([f"{path}: not UTF-8 text"]) from None
    return parse_standard(text)


def parse_standard(text: str) -> StandardSpec:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _DuplicateKeyError as error:
        raise StandardFileError([str(error)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise StandardFileError([f"{where}: not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:
        raise StandardFileError([f"file: not valid YAML ({error})"]) from None
    return validate_standard(data)


# --- validation ------------------------------------------------------------------------


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path or 'file'}: {message}")

    def fields(
        self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ):
        """The mapping at `path`, after reporting missing and unknown fields; None if not a mapping."""
        if not isinstance(value, dict):
            self.error(path, "must be a mapping of fields")
            return None
        allowed = set(required) | set(optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                self.error(_join(path, str(key)), "unknown field")
        for key in required:
            if key not in value:
                self.error(_join(path, key), "required")
        return value

    def string(
        self, data: dict, key: str, path: str, pattern: re.Pattern | None = None, hint: str = ""
    ):
        if key not in data:
            return None
        value, where = data[key], _join(path, key)
        if not isinstance(value, str):
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            extra = f' (quote it: "{value}")' if is_number else ""
            self.error(where, f"must be a string{extra}")
            return None
        if not value.strip():
            self.error(where, "must not be empty")
            return None
        if pattern is not None and not pattern.match(value):
            self.error(where, f"{value!r} is not a valid code ({hint})")
            return None
        return value

    def choice(self, data: dict, key: str, path: str, allowed: tuple[str, ...]):
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or value not in allowed:
            self.error(_join(path, key), f"must be one of {', '.join(allowed)}")
            return None
        return value

    def boolean(self, data: dict, key: str, path: str, default: bool | None = None):
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error(_join(path, key), "must be true or false")
            return None
        return value

    def text(self, data: dict, key: str, path: str):
        if key not in data:
            return None
        where = _join(path, key)
        mapping = self.fields(data[key], where, LANGUAGES)
        if mapping is None:
            return None
        values = [self.string(mapping, language, where) for language in LANGUAGES]
        if any(value is None for value in values):
            return None
        return Text(*(value.strip() for value in values))

    def number(self, data: dict, key: str, path: str, places: int, limit: Decimal):
        if key not in data:
            return None
        value, where = data[key], _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(where, "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(where, "must be a number")
            return None
        if not number.is_finite() or abs(number) >= limit:
            self.error(where, f"must be a number below {limit}")
            return None
        if number.as_tuple().exponent < -places:
            self.error(where, f"must have at most {places} decimal places")
            return None
        return number

    def sequence(self, data: dict, key: str, path: str, default: list | None = None):
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, list):
            self.error(_join(path, key), "must be a list")
            return None
        return value


class _CodeRegistry:
    """Codes are unique in a standard, each kind among its own."""

    def __init__(self, checker: _Checker, kind: str) -> None:
        self.checker, self.kind, self.first_seen = checker, kind, {}

    def claim(self, code: str | None, path: str) -> None:
        if code is None:
            return
        if code in self.first_seen:
            self.checker.error(
                _join(path, "code"),
                f"duplicate {self.kind} code {code!r} (first at {self.first_seen[code]})",
            )
        else:
            self.first_seen[code] = path


def validate_standard(data: Any) -> StandardSpec:
    """Check a parsed file completely, then build the specification, or raise every error."""
    checker = _Checker()
    top = checker.fields(data, "", ("code", "version", "title", "status", "principles"))
    if top is None:
        raise StandardFileError(checker.errors)
    code = checker.string(top, "code", "", STANDARD_CODE, "lower-case letters, digits and dashes")
    version = checker.string(
        top, "version", "", VERSION, "letters, digits, dots, dashes, underscores"
    )
    title = checker.text(top, "title", "")
    status = checker.choice(top, "status", "", STANDARD_STATUSES)
    principles_data = checker.sequence(top, "principles", "")
    registries = {
        kind: _CodeRegistry(checker, kind) for kind in ("principle", "criterion", "question")
    }
    worker_costs_at: list[str] = []
    principles = []
    if principles_data is not None:
        if not principles_data:
            checker.error("principles", "must not be empty")
        for index, item in enumerate(principles_data):
            principles.append(
                _principle(checker, registries, worker_costs_at, item, _join("principles", index))
            )
    for extra in worker_costs_at[1:]:
        checker.error(
            _join(extra, "answer_type"),
            f"only one worker_costs question per standard (first at {worker_costs_at[0]})",
        )
    if checker.errors:
        raise StandardFileError(checker.errors)
    return StandardSpec(code, version, title, status, tuple(principles))


def _principle(checker, registries, worker_costs_at, data, path):
    fields = checker.fields(data, path, ("code", "kind", "title", "criteria"))
    if fields is None:
        return None
    code = checker.string(fields, "code", path, CODE, "letters, digits, dots, dashes, underscores")
    registries["principle"].claim(code, path)
    kind = checker.choice(fields, "kind", path, PRINCIPLE_KINDS)
    title = checker.text(fields, "title", path)
    criteria_data = checker.sequence(fields, "criteria", path)
    criteria = []
    if criteria_data is not None:
        if not criteria_data:
            checker.error(_join(path, "criteria"), "must not be empty")
        for index, item in enumerate(criteria_data):
            where = _join(_join(path, "criteria"), index)
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
    code = checker.string(fields, "code", path, CODE, "letters, digits, dots, dashes, underscores")
    registries["criterion"].claim(code, path)
    text = checker.text(fields, "text", path)
    weight = checker.number(fields, "weight", path, WEIGHT_PLACES, WEIGHT_MAX)
    if weight is not None and weight <= 0:
        checker.error(_join(path, "weight"), "must be greater than 0")
    zero_tolerance = checker.boolean(fields, "zero_tolerance", path, default=False)
    indicators = checker.sequence(fields, "forced_labour_indicators", path, default=[])
    if indicators is not None:
        for index, indicator in enumerate(indicators):
            if indicator not in FORCED_LABOUR_INDICATORS:
                checker.error(
                    _join(_join(path, "forced_labour_indicators"), index),
                    f"{indicator!r} is not a forced-labour indicator (one of {', '.join(FORCED_LABOUR_INDICATORS)})",
                )
        if len(set(map(str, indicators))) != len(indicators):
            checker.error(_join(path, "forced_labour_indicators"), "lists an indicator twice")
    questions_data = checker.sequence(fields, "questions", path)
    questions = []
    if questions_data is not None:
        if not questions_data:
            checker.error(_join(path, "questions"), "must not be empty")
        for index, item in enumerate(questions_data):
            where = _join(_join(path, "questions"), index)
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
    code = checker.string(fields, "code", path, CODE, "letters, digits, dots, dashes, underscores")
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


def _rule(checker: _Checker, fields: dict, path: str, answer_type: str) -> dict[str, Any]:
    rule_path = _join(path, "rule")
    if answer_type != "choice" and "choices" in fields:
        checker.error(_join(path, "choices"), "only a choice question has choices")
    if answer_type in ("worker_costs", "text"):
        if "rule" in fields:
            reason = (
                "worker costs are compliant only when no worker bore any cost"
                if answer_type == "worker_costs"
                else "text answers are not scored"
            )
            checker.error(rule_path, f"a {answer_type} question takes no rule ({reason})")
        return {}
    if "rule" not in fields:
        checker.error(rule_path, f"required for a {answer_type} question")
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
            checker.error(rule_path, "give min, max or both")
        if minimum is not None and maximum is not None and minimum > maximum:
            checker.error(_join(rule_path, "min"), "must not be greater than max")
        return {"minimum": minimum, "maximum": maximum}
    # choice
    choices = _choices(checker, fields, path)
    rule = checker.fields(fields["rule"], rule_path, ("compliant_choices",))
    if rule is None:
        return {"choices": choices}
    compliant = checker.sequence(rule, "compliant_choices", rule_path)
    if compliant is None:
        return {"choices": choices}
    compliant_path = _join(rule_path, "compliant_choices")
    if not compliant:
        checker.error(compliant_path, "must not be empty")
    known = {choice.code for choice in choices}
    for index, value in enumerate(compliant):
        if choices and value not in known:
            checker.error(
                _join(compliant_path, index), f"{value!r} is not one of the question's choices"
            )
    if len(set(map(str, compliant))) != len(compliant):
        checker.error(compliant_path, "lists a choice twice")
    return {"choices": choices, "compliant_choices": tuple(compliant)}


def _choices(checker: _Checker, fields: dict, path: str) -> tuple[Choice, ...]:
    choices_path = _join(path, "choices")
    items = checker.sequence(fields, "choices", path)
    if "choices" not in fields:
        checker.error(choices_path, "required for a choice question")
        return ()
    if items is None:
        return ()
    if len(items) < 2:
        checker.error(choices_path, "must offer at least 2 choices")
    result, seen = [], set()
    for index, item in enumerate(items):
        where = _join(choices_path, index)
        choice = checker.fields(item, where, ("code", "label"))
        if choice is None:
            continue
        code = checker.string(
            choice, "code", where, CODE, "letters, digits, dots, dashes, underscores"
        )
        label = checker.text(choice, "label", where)
        if code is not None and code in seen:
            checker.error(_join(where, "code"), f"duplicate choice {code!r}")
        seen.add(code)
        result.append(Choice(code, label))
    return tuple(result)


# --- writing ---------------------------------------------------------------------------


def dump_yaml(spec: StandardSpec) -> str:
    return yaml.dump(
        spec.to_dict(), Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100
    )


def dump_json(spec: StandardSpec) -> str:
    return json.dumps(spec.to_dict(), indent=2, ensure_ascii=False) + "\n"
