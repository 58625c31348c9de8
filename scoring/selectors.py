"""Reads of the stored standard."""

from collections import defaultdict

from scoring.models import Criterion, Principle, Question, Standard, SurveyChoice, SurveyQuestion
from scoring.standard_file import (
    AskIf,
    Choice,
    CriterionSpec,
    PrincipleSpec,
    QuestionSpec,
    StandardSpec,
    SurveyChoiceSpec,
    SurveyQuestionSpec,
    SurveyText,
    Text,
    WorkerSurveySpec,
)


def standard_get(*, code: str, version: str) -> Standard:
    return Standard.objects.get(code=code, version=version)


def standard_spec_get(*, standard: Standard) -> StandardSpec:
    """The stored version as a specification, the same as the file it was loaded from.

    Three queries, whatever the size of the standard; two more when it has a worker survey.
    """
    questions_by_criterion = defaultdict(list)
    for q in Question.objects.filter(standard=standard).order_by("criterion_id", "position"):
        questions_by_criterion[q.criterion_id].append(
            QuestionSpec(
                code=q.code,
                text=Text(q.text_en, q.text_fr),
                help=Text(q.help_en, q.help_fr) if q.help_en or q.help_fr else None,
                answer_type=q.answer_type,
                required=q.required,
                allow_not_applicable=q.allow_not_applicable,
                expected=q.expected_answer or None,
                choices=tuple(
                    Choice(c["code"], Text(c["label"]["en"], c["label"]["fr"])) for c in q.choices
                ),
                compliant_choices=tuple(q.compliant_choices),
                minimum=q.minimum,
                maximum=q.maximum,
            )
        )
    criteria_by_principle = defaultdict(list)
    for c in Criterion.objects.filter(standard=standard).order_by("principle_id", "position"):
        criteria_by_principle[c.principle_id].append(
            CriterionSpec(
                code=c.code,
                text=Text(c.text_en, c.text_fr),
                weight=c.weight,
                zero_tolerance=c.zero_tolerance,
                forced_labour_indicators=tuple(c.forced_labour_indicators),
                questions=tuple(questions_by_criterion[c.pk]),
            )
        )
    principles = tuple(
        PrincipleSpec(
            code=p.code,
            kind=p.kind,
            title=Text(p.title_en, p.title_fr),
            criteria=tuple(criteria_by_principle[p.pk]),
        )
        for p in Principle.objects.filter(standard=standard).order_by("position")
    )
    return StandardSpec(
        code=standard.code,
        version=standard.version,
        title=Text(standard.title_en, standard.title_fr),
        status=standard.status,
        principles=principles,
        worker_survey=worker_survey_get(standard=standard),
    )


def worker_survey_get(*, standard: Standard) -> WorkerSurveySpec | None:
    """The worker survey of a standard version as immutable data, None when it has none.

    Two queries. Texts come in the order of the survey's languages; `survey_text` gives one
    in a worker's language.
    """
    languages = tuple(standard.survey_languages or ())
    if not languages:
        return None

    def texts(values: dict | None) -> SurveyText | None:
        if values is None:
            return None
        return SurveyText(tuple((language, values[language]) for language in languages))

    choices_by_question = defaultdict(list)
    for c in SurveyChoice.objects.filter(question__standard=standard).order_by(
        "question_id", "position"
    ):
        choices_by_question[c.question_id].append(
            SurveyChoiceSpec(c.code, texts(c.label), c.fee_category or None)
        )
    questions = tuple(
        SurveyQuestionSpec(
            code=q.code,
            criterion=q.criterion.code if q.criterion_id is not None else None,
            answer_type=q.answer_type,
            text=texts(q.text),
            help=texts(q.help),
            choices=tuple(choices_by_question[q.pk]),
            ask_if=AskIf(q.ask_if_question, q.ask_if_answer) if q.ask_if_question else None,
            signal_answers=tuple(q.signal_answers),
            optional_personal=q.optional_personal,
        )
        for q in SurveyQuestion.objects.filter(standard=standard)
        .select_related("criterion")
        .order_by("position")
    )
    return WorkerSurveySpec(languages=languages, questions=questions)


def survey_text(text: SurveyText | None, language: str | None) -> str:
    """A survey text in a language (`ne`, `ne-np`), in English when the survey lacks it."""
    return text.get(language) if text is not None else ""


def survey_question_text(question: SurveyQuestionSpec, language: str | None) -> str:
    """The words of a question in a worker's language, with English as the fallback."""
    return survey_text(question.text, language)
