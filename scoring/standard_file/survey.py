"""Checking the `worker_survey` section of a standard file: the questions of the anonymous
survey of placed workers (DOMAIN.md §8), each problem reported with its place, such as
``worker_survey.questions[3].choices[1].label.ne: required``. Pure Python: no Django.

The survey is evidence for the auditor, never scored: a question names the criterion its
answers bear on and the answers that raise a signal the auditor must check.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scoring.engine.vocabulary import (
    SURVEY_ANSWER_TYPES,
    SURVEY_REQUIRED_LANGUAGES,
    WORKER_COST_CATEGORIES,
)
from scoring.standard_file.checking import CODE, Checker, CodeRegistry, join
from scoring.standard_file.spec import (
    AskIf,
    SurveyChoiceSpec,
    SurveyQuestionSpec,
    SurveyText,
    WorkerSurveySpec,
)

SECTION = "worker_survey"
# A language tag as Django writes it: `ne`, `fil`, `pt-br`, `zh-hans`.
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
CHOICE_TYPES = ("choice", "multi_choice")


def validate_worker_survey(
    checker: Checker, data: Any, criteria: set[str]
) -> WorkerSurveySpec | None:
    """The survey, with every problem recorded on `checker`; `criteria`: the standard's codes."""
    fields = checker.fields(data, SECTION, ("languages", "questions"))
    if fields is None:
        return None
    languages = _languages(checker, fields)
    items = checker.sequence(fields, "questions", SECTION)
    questions: list[SurveyQuestionSpec | None] = []
    if items is not None:
        where = join(SECTION, "questions")
        if not items:
            checker.problem(where, "empty")
        codes = [item.get("code") if isinstance(item, dict) else None for item in items]
        survey = _Survey(checker, languages or SURVEY_REQUIRED_LANGUAGES, criteria, codes)
        for index, item in enumerate(items):
            questions.append(survey.question(item, join(where, index)))
    return WorkerSurveySpec(tuple(languages), tuple(questions))


def _languages(checker: Checker, fields: dict) -> tuple[str, ...]:
    items = checker.sequence(fields, "languages", SECTION)
    if items is None:
        return ()
    where = join(SECTION, "languages")
    valid: list[str] = []
    for index, language in enumerate(items):
        if not isinstance(language, str) or not LANGUAGE.match(language):
            checker.problem(join(where, index), "not_a_language_code", value=language)
        elif language in valid:
            checker.problem(join(where, index), "language_twice", value=language)
        else:
            valid.append(language)
    missing = [language for language in SURVEY_REQUIRED_LANGUAGES if language not in valid]
    if missing:
        checker.problem(where, "missing_languages", languages=tuple(missing))
    return tuple(valid)


class _Survey:
    """The questions read so far, for conditions that point back to them."""

    def __init__(
        self, checker: Checker, languages: tuple[str, ...], criteria: set[str], codes: list
    ):
        self.checker, self.languages, self.criteria = checker, languages, criteria
        self.codes = codes  # every question's code, in order, to tell "later" from "unknown"
        self.registry = CodeRegistry(checker, "duplicate_survey_question_code")
        self.earlier: dict[str, SurveyQuestionSpec | None] = {}

    def question(self, data: Any, path: str) -> SurveyQuestionSpec | None:
        checker = self.checker
        fields = checker.fields(
            data,
            path,
            ("code", "answer_type", "text"),
            ("criterion", "help", "choices", "ask_if", "signal", "optional_personal"),
        )
        if fields is None:
            return None
        code = checker.string(fields, "code", path, CODE)
        self.registry.claim(code, path)
        personal = checker.boolean(fields, "optional_personal", path, default=False)
        criterion = self._criterion(fields, path, personal)
        answer_type = checker.choice(fields, "answer_type", path, SURVEY_ANSWER_TYPES)
        text = self.texts(fields, "text", path)
        help_text = self.texts(fields, "help", path)
        choices: tuple[SurveyChoiceSpec, ...] = ()
        if answer_type in CHOICE_TYPES:
            choices = self._choices(fields, path)
        elif answer_type is not None and "choices" in fields:
            checker.problem(join(path, "choices"), "survey_choices_not_allowed")
        ask_if = self._ask_if(fields, path, code)
        spec = SurveyQuestionSpec(
            code=code,
            criterion=criterion,
            answer_type=answer_type,
            text=text,
            help=help_text,
            choices=choices,
            ask_if=ask_if,
            optional_personal=bool(personal),
        )
        signal = self._signal(fields, path, spec)
        spec = replace(spec, signal_answers=signal)
        if code is not None and code not in self.earlier:
            broken = None in (answer_type, text) or (answer_type in CHOICE_TYPES and not choices)
            self.earlier[code] = None if broken else spec
        return spec

    def _criterion(self, fields: dict, path: str, personal: bool | None) -> str | None:
        where = join(path, "criterion")
        if "criterion" not in fields:
            if personal is False:
                self.checker.problem(where, "criterion_required")
            return None
        criterion = self.checker.string(fields, "criterion", path)
        if criterion is not None and criterion not in self.criteria:
            self.checker.problem(where, "unknown_criterion", value=criterion)
            return None
        return criterion

    def texts(self, data: dict, key: str, path: str) -> SurveyText | None:
        """A text in every language of the survey, none empty, no other language."""
        if key not in data:
            return None
        where, value = join(path, key), data[key]
        if not isinstance(value, dict):
            self.checker.problem(where, "not_a_text_mapping")
            return None
        for language in value:
            if language not in self.languages:
                self.checker.problem(join(where, str(language)), "not_a_survey_language")
        texts = []
        for language in self.languages:
            if language not in value:
                self.checker.problem(join(where, language), "required")
                continue
            text = self.checker.string(value, language, where)
            if text is not None:
                texts.append((language, text.strip()))
        if len(texts) != len(self.languages):
            return None
        return SurveyText(tuple(texts))

    def _choices(self, fields: dict, path: str) -> tuple[SurveyChoiceSpec, ...]:
        checker, where = self.checker, join(path, "choices")
        if "choices" not in fields:
            checker.problem(where, "required_for_answer_type", answer_type=fields["answer_type"])
            return ()
        items = checker.sequence(fields, "choices", path)
        if items is None:
            return ()
        if len(items) < 2:
            checker.problem(where, "too_few_choices")
        result, seen = [], set()
        for index, item in enumerate(items):
            at = join(where, index)
            choice = checker.fields(item, at, ("code", "label"), ("fee_category",))
            if choice is None:
                continue
            code = checker.string(choice, "code", at, CODE)
            if code is not None and code in seen:
                checker.problem(join(at, "code"), "duplicate_choice", code=code)
            seen.add(code)
            label = self.texts(choice, "label", at)
            category = checker.choice(choice, "fee_category", at, WORKER_COST_CATEGORIES)
            result.append(SurveyChoiceSpec(code, label, category))
        return tuple(result)

    def _ask_if(self, fields: dict, path: str, code: str | None) -> AskIf | None:
        if "ask_if" not in fields:
            return None
        checker, where = self.checker, join(path, "ask_if")
        condition = checker.fields(fields["ask_if"], where, ("question", "answer"))
        if condition is None:
            return None
        question = checker.string(condition, "question", where)
        answer = checker.string(condition, "answer", where)
        if question is None:
            return None
        if question not in self.earlier:
            if question in self.codes:
                checker.problem(join(where, "question"), "later_question", question=question)
            else:
                checker.problem(join(where, "question"), "unknown_question", question=question)
            return None
        target = self.earlier[question]
        if target is not None and target.answer_type == "amount":
            checker.problem(join(where, "question"), "condition_on_amount", question=question)
        elif target is not None and answer is not None and answer not in target.answers:
            checker.problem(
                join(where, "answer"),
                "not_an_answer_of",
                answer=answer,
                question=question,
                answers=tuple(target.answers),
            )
        return AskIf(question, answer)

    def _signal(self, fields: dict, path: str, spec: SurveyQuestionSpec) -> tuple[str, ...]:
        if "signal" not in fields:
            return ()
        checker, where = self.checker, join(path, "signal")
        signal = checker.fields(fields["signal"], where, ("answers",))
        if signal is None:
            return ()
        if spec.answer_type == "amount":
            checker.problem(where, "signal_on_amount")
            return ()
        if spec.optional_personal and "criterion" not in fields:
            checker.problem(where, "signal_needs_criterion")
        answers = checker.sequence(signal, "answers", where)
        if answers is None:
            return ()
        at = join(where, "answers")
        if not answers:
            checker.problem(at, "empty")
        known = spec.answers if spec.answer_type is not None else ()
        for index, answer in enumerate(answers):
            if spec.answer_type is None or (spec.answer_type in CHOICE_TYPES and not known):
                continue  # the type or the choices are wrong, reported already
            if answer not in known:
                checker.problem(
                    join(at, index), "not_an_answer", value=answer, answers=tuple(known)
                )
        if len(set(map(str, answers))) != len(answers):
            checker.problem(at, "answer_twice")
        return tuple(str(answer) for answer in answers)
