"""The checks every part of a standard file shares: fields, strings, numbers, texts and
unique codes, each problem recorded with its place, such as
``principles[2].criteria[0].weight: must be greater than 0``. Pure Python: no Django."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.engine.vocabulary import LANGUAGES
from scoring.standard_file.spec import Text

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
CODE_HINT = "letters, digits, dots, dashes, underscores"


class StandardFileError(Exception):
    """A standard file that cannot be loaded; `errors` lists every problem with its place."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Checker:
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
                self.error(join(path, str(key)), "unknown field")
        for key in required:
            if key not in value:
                self.error(join(path, key), "required")
        return value

    def string(
        self, data: dict, key: str, path: str, pattern: re.Pattern | None = None, hint: str = ""
    ):
        if key not in data:
            return None
        value, where = data[key], join(path, key)
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
            self.error(join(path, key), f"must be one of {', '.join(allowed)}")
            return None
        return value

    def boolean(self, data: dict, key: str, path: str, default: bool | None = None):
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error(join(path, key), "must be true or false")
            return None
        return value

    def text(self, data: dict, key: str, path: str):
        if key not in data:
            return None
        where = join(path, key)
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
        value, where = data[key], join(path, key)
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
            self.error(join(path, key), "must be a list")
            return None
        return value


class CodeRegistry:
    """Codes are unique in a standard, each kind among its own."""

    def __init__(self, checker: Checker, kind: str) -> None:
        self.checker, self.kind, self.first_seen = checker, kind, {}

    def claim(self, code: str | None, path: str) -> None:
        if code is None:
            return
        if code in self.first_seen:
            self.checker.error(
                join(path, "code"),
                f"duplicate {self.kind} code {code!r} (first at {self.first_seen[code]})",
            )
        else:
            self.first_seen[code] = path
