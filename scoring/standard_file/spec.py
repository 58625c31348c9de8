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
class SurveyText:
    """A worker-survey text in each of the survey's languages, in their order.

    `get` gives it in a language, falling back to the base language (`ne` for `ne-np`),
    then to English, which every survey has."""

    values: tuple[tuple[str, str], ...]  # (language, text)

    def get(self, language: str | None) -> str:
        texts = dict(self.values)
        wanted = (language or "").strip().lower().replace("_", "-")
        for candidate in (wanted, wanted.split("-")[0], "en"):
            if candidate in texts:
                return texts[candidate]
        return self.values[0][1]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.values)

    def to_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class SurveyChoiceSpec:
    code: str
    label: SurveyText
    fee_category: str | None = None  # one of the fee categories (DOMAIN.md §3)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "label": self.label.to_dict()}
        if self.fee_category is not None:
            data["fee_category"] = self.fee_category
        return data


@dataclass(frozen=True)
class AskIf:
    """Ask the question only when an earlier question was given this answer."""

    question: str
    answer: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "answer": self.answer}


@dataclass(frozen=True)
class SurveyQuestionSpec:
    code: str
    criterion: str | None  # the criterion the answers are evidence for; None: personal
    answer_type: str  # yes_no, choice, multi_choice, amount
    text: SurveyText
    help: SurveyText | None = None
    choices: tuple[SurveyChoiceSpec, ...] = ()  # choice and multi_choice
    ask_if: AskIf | None = None
    signal_answers: tuple[str, ...] = ()  # answers the auditor must check
    optional_personal: bool = False  # about the worker (age band, gender), not the agency

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers it can be given, amounts aside."""
        if self.answer_type == "yes_no":
            return ("yes", "no")
        return tuple(choice.code for choice in self.choices)

    def choice(self, code: str) -> SurveyChoiceSpec | None:
        return next((choice for choice in self.choices if choice.code == code), None)

    def raises_signal(self, answer: str | list[str] | tuple[str, ...] | None) -> bool:
        """Whether an answer (a list of them for multi_choice) is one the auditor must check."""
        given = (answer,) if isinstance(answer, str) else tuple(answer or ())
        return any(value in self.signal_answers for value in given)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code}
        if self.criterion is not None:
            data["criterion"] = self.criterion
        data["answer_type"] = self.answer_type
        data["text"] = self.text.to_dict()
        if self.help is not None:
            data["help"] = self.help.to_dict()
        if self.answer_type in ("choice", "multi_choice"):
            data["choices"] = [choice.to_dict() for choice in self.choices]
        if self.ask_if is not None:
            data["ask_if"] = self.ask_if.to_dict()
        if self.signal_answers:
            data["signal"] = {"answers": list(self.signal_answers)}
        data["optional_personal"] = self.optional_personal
        return data


@dataclass(frozen=True)
class WorkerSurveySpec:
    """The anonymous survey of placed workers (DOMAIN.md §8), versioned with the standard."""

    languages: tuple[str, ...]
    questions: tuple[SurveyQuestionSpec, ...]

    def question(self, code: str) -> SurveyQuestionSpec | None:
        return next((q for q in self.questions if q.code == code), None)

    def for_criterion(self, criterion: str) -> tuple[SurveyQuestionSpec, ...]:
        return tuple(q for q in self.questions if q.criterion == criterion)

    def to_dict(self) -> dict[str, Any]:
        return {
            "languages": list(self.languages),
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True)
class StandardSpec:
    code: str
    version: str
    title: Text
    status: str
    principles: tuple[PrincipleSpec, ...]
    worker_survey: WorkerSurveySpec | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {
            "code": self.code,
            "version": self.version,
            "title": self.title.to_dict(),
            "status": self.status,
            "principles": [p.to_dict() for p in self.principles],
        }
        # Absent, not empty, when there is no survey: the fingerprints of versions written
        # before the section existed stay what they were.
        if self.worker_survey is not None:
            data["worker_survey"] = self.worker_survey.to_dict()
        return data

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
