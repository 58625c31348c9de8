"""The checks every part of a standard file shares: fields, strings, numbers, texts and
unique codes, each problem recorded with its place, such as
``principles[2].criteria[0].weight: must be greater than 0``. Pure Python: no Django.

A problem is a code and its parameters (`Problem`), so that the Django layer can word it in
the reader's language (scoring/loader_messages.py); `ENGLISH` is the package's own wording,
what `StandardFileError.errors` shows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, NamedTuple

from scoring.engine.vocabulary import LANGUAGES
from scoring.standard_file.spec import Text

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

# Every problem code and its English (str.format; `!r` quotes a value as the file gave it).
# A tuple parameter is a list of codes, shown joined with ", ".
ENGLISH = {
    # any field
    "not_a_mapping": "must be a mapping of fields",
    "unknown_field": "unknown field",
    "required": "required",
    "not_a_string": "must be a string",
    "number_not_a_string": 'must be a string (quote it: "{value}")',
    "empty": "must not be empty",
    "invalid_code": "{value!r} is not a valid code (letters, digits, dots, dashes, underscores)",
    "invalid_standard_code": (
        "{value!r} is not a valid code (lower-case letters, digits and dashes)"
    ),
    "not_one_of": "must be one of {choices}",
    "not_a_boolean": "must be true or false",
    "not_a_number": "must be a number",
    "number_too_large": "must be a number below {limit}",
    "too_many_places": "must have at most {places} decimal places",
    "not_a_list": "must be a list",
    "duplicate_principle_code": "duplicate principle code {code!r} (first at {first})",
    "duplicate_criterion_code": "duplicate criterion code {code!r} (first at {first})",
    "duplicate_question_code": "duplicate question code {code!r} (first at {first})",
    "duplicate_survey_question_code": (
        "duplicate survey question code {code!r} (first at {first})"
    ),
    # principles, criteria and questions
    "extends_needs_folder": "only a standard file read from its folder can extend another",
    "second_worker_costs": "only one worker_costs question per standard (first at {first})",
    "not_positive": "must be greater than 0",
    "unknown_indicator": "{value!r} is not a forced-labour indicator (one of {choices})",
    "indicator_twice": "lists an indicator twice",
    "choices_not_allowed": "only a choice question has choices",
    "rule_on_worker_costs": (
        "a worker_costs question takes no rule "
        "(worker costs are compliant only when no worker bore any cost)"
    ),
    "rule_on_text": "a text question takes no rule (text answers are not scored)",
    "required_for_answer_type": "required for a {answer_type} question",
    "no_bounds": "give min, max or both",
    "min_above_max": "must not be greater than max",
    "not_a_choice": "{value!r} is not one of the question's choices",
    "choice_twice": "lists a choice twice",
    "too_few_choices": "must offer at least 2 choices",
    "duplicate_choice": "duplicate choice {code!r}",
    # the worker survey
    "not_a_language_code": "{value!r} is not a language code (lower case, such as en, ne or pt-br)",
    "language_twice": "lists {value!r} twice",
    "missing_languages": "must include {languages}",  # "en and fr"
    "criterion_required": "required (only a personal question, optional_personal: true, has none)",
    "unknown_criterion": "{value!r} is not a criterion of this standard",
    "not_a_text_mapping": "must be a mapping of language to text",
    "not_a_survey_language": "not one of the survey's languages",
    "survey_choices_not_allowed": "only a choice or multi_choice question has choices",
    "later_question": "{question!r} must be an earlier question of the survey",
    "unknown_question": "{question!r} is not a question of the survey",
    "condition_on_amount": "{question!r} asks for an amount, not an answer",
    "not_an_answer_of": "{answer!r} is not an answer of {question!r} ({answers})",
    "signal_on_amount": "an amount raises no signal (the question it follows does)",
    "signal_needs_criterion": "a signal needs the question's criterion: the auditor checks it there",
    "not_an_answer": "{value!r} is not one of the question's answers ({answers})",
    "answer_twice": "lists an answer twice",
    # the file itself
    "unreadable": "cannot be read ({reason})",
    "too_large": "larger than {megabytes} MB",
    "not_utf8": "not UTF-8 text",
    "invalid_yaml": "not valid YAML ({problem})",
    "duplicate_key": "duplicate key {key!r}",
    "extends_not_same_folder": (
        "must name a standard file in the same folder (such as fairrecruit-reference-1.0.yaml)"
    ),
    "extends_cycle": "{file} leads back to this file",
    "extends_too_deep": "more than {limit} files extend each other",
    "in_extended_file": "{file}: {problem}",  # problem: a Problem of the extended file
    "same_version_as_extended": "{version!r} is the version of {file}; give this one its own",
}


class Problem(NamedTuple):
    """One problem of a file: its place, a code of `ENGLISH` and the code's parameters.

    `path` is a field's place, such as ``principles[0].code``, or a file's path; "" is the
    file as a whole, shown as "file", or as its line and column when the parameters have
    them (a YAML syntax problem)."""

    path: str
    code: str
    params: Mapping[str, Any] = MappingProxyType({})

    @property
    def place(self) -> str:
        if self.path:
            return self.path
        if "line" in self.params:
            return f"line {self.params['line']}, column {self.params['column']}"
        return "file"

    @property
    def message(self) -> str:
        shown = {}
        for key, value in self.params.items():
            if isinstance(value, Problem):
                value = value.text
            elif isinstance(value, tuple):
                value = [str(item) for item in value]  # a choice whose code was wrong is None
                if key == "languages" and len(value) > 1:
                    value = f"{', '.join(value[:-1])} and {value[-1]}"
                else:
                    value = ", ".join(value)
            shown[key] = value
        return ENGLISH[self.code].format(**shown)

    @property
    def text(self) -> str:
        return f"{self.place}: {self.message}"

    def __str__(self) -> str:
        return self.text


def problem(path: str, code: str, /, **params: Any) -> Problem:
    return Problem(path, code, MappingProxyType(params))


class StandardFileError(Exception):
    """A standard file that cannot be loaded: `problems` lists every problem with its place,
    `errors` the same ones in English, in the same order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        self.errors = [item.text for item in self.problems]
        super().__init__("\n".join(self.errors))


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, code: str, /, **params: Any) -> None:
        self.problems.append(Problem(path, code, MappingProxyType(params)))

    def fields(
        self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ):
        """The mapping at `path`, after reporting missing and unknown fields; None if not a mapping."""
        if not isinstance(value, dict):
            self.problem(path, "not_a_mapping")
            return None
        allowed = set(required) | set(optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                self.problem(join(path, str(key)), "unknown_field")
        for key in required:
            if key not in value:
                self.problem(join(path, key), "required")
        return value

    def string(
        self,
        data: dict,
        key: str,
        path: str,
        pattern: re.Pattern | None = None,
        invalid: str = "invalid_code",
    ):
        """The string at `key`; `invalid` is the problem code when it does not match `pattern`."""
        if key not in data:
            return None
        value, where = data[key], join(path, key)
        if not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.problem(where, "number_not_a_string", value=value)
            else:
                self.problem(where, "not_a_string")
            return None
        if not value.strip():
            self.problem(where, "empty")
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(where, invalid, value=value)
            return None
        return value

    def choice(self, data: dict, key: str, path: str, allowed: tuple[str, ...]):
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or value not in allowed:
            self.problem(join(path, key), "not_one_of", choices=tuple(allowed))
            return None
        return value

    def boolean(self, data: dict, key: str, path: str, default: bool | None = None):
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.problem(join(path, key), "not_a_boolean")
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
            self.problem(where, "not_a_number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(where, "not_a_number")
            return None
        if not number.is_finite() or abs(number) >= limit:
            self.problem(where, "number_too_large", limit=str(limit))
            return None
        if number.as_tuple().exponent < -places:
            self.problem(where, "too_many_places", places=places)
            return None
        return number

    def sequence(self, data: dict, key: str, path: str, default: list | None = None):
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, list):
            self.problem(join(path, key), "not_a_list")
            return None
        return value


class CodeRegistry:
    """Codes are unique in a standard, each kind among its own; `duplicate` is the problem
    code of a second one."""

    def __init__(self, checker: Checker, duplicate: str) -> None:
        self.checker, self.duplicate, self.first_seen = checker, duplicate, {}

    def claim(self, code: str | None, path: str) -> None:
        if code is None:
            return
        if code in self.first_seen:
            self.checker.problem(
                join(path, "code"), self.duplicate, code=code, first=self.first_seen[code]
            )
        else:
            self.first_seen[code] = path
