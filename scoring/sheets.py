"""Answer sheets and findings sheets: the JSON files `score_answers` and `score_findings` read
(format in docs/scoring.md). Only the shape is checked here; the engine checks every value
against the catalogue. Pure Python: no Django."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

MAX_SHEET_BYTES = 5 * 1024 * 1024


class SheetError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class AnswerSheet:
    standard: str
    version: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class FindingsSheet:
    standard: str
    version: str
    findings: dict[str, Any]
    self_assessment: AnswerSheet | None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = {}
    for key, value in pairs:
        if key in result:
            raise SheetError([f"duplicate key {key!r}"])
        result[key] = value
    return result


def read_sheet(path: str | Path) -> Any:
    """The JSON in a file, numbers with decimals kept exact."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SHEET_BYTES:
            raise SheetError([f"{path}: larger than {MAX_SHEET_BYTES // (1024 * 1024)} MB"])
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SheetError([f"{path}: cannot be read ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise SheetError([f"{path}: not UTF-8 text"]) from None
    try:
        return json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise SheetError(
            [f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]
        ) from None


def _header(data: Any, body: str, path: str, errors: list[str]) -> tuple[str, str, Any] | None:
    if not isinstance(data, dict):
        errors.append(f"{path or 'file'}: must be an object with standard, version and {body}")
        return None
    prefix = f"{path}." if path else ""
    allowed = {"standard", "version", body} | ({"self_assessment"} if body == "findings" else set())
    for key in data:
        if key not in allowed:
            errors.append(f"{prefix}{key}: unknown field")
    values = []
    for key in ("standard", "version"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            errors.append(f"{prefix}{key}: {'required' if key not in data else 'must be a text'}")
        values.append(value)
    content = data.get(body)
    if not isinstance(content, dict):
        errors.append(
            f"{prefix}{body}: {'required' if body not in data else 'must be an object keyed by code'}"
        )
    return values[0], values[1], content


def parse_answer_sheet(data: Any, path: str = "") -> AnswerSheet:
    errors: list[str] = []
    header = _header(data, "answers", path, errors)
    if errors:
        raise SheetError(errors)
    return AnswerSheet(*header)


def parse_findings_sheet(data: Any) -> FindingsSheet:
    errors: list[str] = []
    header = _header(data, "findings", "", errors)
    self_assessment = None
    if isinstance(data, dict) and data.get("self_assessment") is not None:
        try:
            self_assessment = parse_answer_sheet(data["self_assessment"], "self_assessment")
        except SheetError as error:
            errors.extend(error.errors)
    if errors:
        raise SheetError(errors)
    return FindingsSheet(*header, self_assessment)
