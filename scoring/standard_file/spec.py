"""A standard version as immutable data, and writing it back as YAML or JSON. Pure Python:
no Django."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml


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


# --- writing ---------------------------------------------------------------------------


def dump_yaml(spec: StandardSpec) -> str:
    return yaml.dump(
        spec.to_dict(), Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100
    )


def dump_json(spec: StandardSpec) -> str:
    return json.dumps(spec.to_dict(), indent=2, ensure_ascii=False) + "\n"
