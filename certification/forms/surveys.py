"""The worker survey as one page of plain HTML controls (no JavaScript): what a worker's
post holds, in the answers `monitoring.surveys.survey_answer` takes, and the questions laid
out in a language with what was chosen and the messages beside them.

Validation is the core's (`survey_answers_clean`), not a Django form's: its messages, in the
worker's language, are the ones the page shows. Field names are the question codes; an
amount's currency is `currency:<code>`.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from scoring.selectors import survey_text
from scoring.standard_file.spec import SurveyQuestionSpec, WorkerSurveySpec

# The money of the countries workers leave and go to, offered first: the batch's corridor's
# two, then these, then every other ISO 4217 currency.
COUNTRY_CURRENCY = {
    "NP": "NPR",
    "BD": "BDT",
    "LK": "LKR",
    "ID": "IDR",
    "PH": "PHP",
    "VN": "VND",
    "KE": "KES",
    "UG": "UGX",
    "ET": "ETB",
    "IN": "INR",
    "PK": "PKR",
    "MM": "MMK",
    "KH": "KHR",
    "QA": "QAR",
    "SA": "SAR",
    "AE": "AED",
    "KW": "KWD",
    "OM": "OMR",
    "BH": "BHD",
    "JO": "JOD",
    "LB": "LBP",
    "MY": "MYR",
    "SG": "SGD",
    "HK": "HKD",
    "TW": "TWD",
    "JP": "JPY",
    "KR": "KRW",
    "US": "USD",
    "GB": "GBP",
    "FR": "EUR",
}


def currency_field(code: str) -> str:
    return f"currency:{code}"


def survey_page_languages(survey: WorkerSurveySpec) -> list[tuple[str, str]]:
    """(code, name in itself) of the languages the pages speak and the survey is written in,
    in the order of SURVEY_LANGUAGES."""
    return [(code, name) for code, name in settings.SURVEY_LANGUAGES if code in survey.languages]


def answers_from_post(survey: WorkerSurveySpec, data) -> dict:
    """A post of the questions page as the answers `survey_answer` takes: nothing chosen is
    an empty answer, which the core counts as skipped."""
    answers = {}
    for question in survey.questions:
        if question.answer_type == "multi_choice":
            answers[question.code] = data.getlist(question.code)
        elif question.answer_type == "amount":
            answers[question.code] = {
                "amount": data.get(question.code, ""),
                "currency": data.get(currency_field(question.code), ""),
            }
        else:
            answers[question.code] = data.get(question.code, "")
    return answers


@cache
def _all_currencies() -> tuple[tuple[str, str], ...]:
    import pycountry

    return tuple(sorted((c.alpha_3, c.name) for c in pycountry.currencies))


def currency_options(origin: str = "", destination: str = "") -> list[tuple[str, str]]:
    """(code, label) of the currencies, the corridor's first, then the usual ones, then all
    others; the label is the code and its ISO name."""
    names = dict(_all_currencies())
    first = [COUNTRY_CURRENCY.get(str(country)) for country in (origin, destination)]
    order = dict.fromkeys(c for c in [*first, *COUNTRY_CURRENCY.values()] if c in names)
    order.update(dict.fromkeys(code for code, _name in _all_currencies()))
    return [(code, f"{code} · {names[code]}") for code in order]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool = False


@dataclass(frozen=True)
class ScreenQuestion:
    """One question as the page shows it, in the worker's language."""

    code: str
    answer_type: str
    text: str
    help: str
    options: tuple[Option, ...]  # yes_no, choice and multi_choice
    skipped: bool  # a one-answer question with nothing chosen: "Skip this question" checked
    follow_up: str  # asked only after an answer to an earlier question: the plain hint
    amount: str
    currencies: tuple[Option, ...]
    errors: tuple[str, ...]

    @property
    def is_amount(self) -> bool:
        return self.answer_type == "amount"

    @property
    def is_multi(self) -> bool:
        return self.answer_type == "multi_choice"

    @property
    def currency_name(self) -> str:
        return currency_field(self.code)


def _labels(question: SurveyQuestionSpec, language: str) -> list[tuple[str, str]]:
    if question.answer_type == "yes_no":
        return [("yes", _("Yes")), ("no", _("No"))]
    return [(c.code, survey_text(c.label, language)) for c in question.choices]


def _follow_up(survey: WorkerSurveySpec, question: SurveyQuestionSpec, language: str) -> str:
    if question.ask_if is None:
        return ""
    earlier = survey.question(question.ask_if.question)
    labels = dict(_labels(earlier, language)) if earlier is not None else {}
    answer = labels.get(question.ask_if.answer, question.ask_if.answer)
    return _("Only if your answer above is “%(answer)s”:") % {"answer": answer}


def survey_screen(
    survey: WorkerSurveySpec,
    language: str,
    *,
    given: dict | None = None,
    errors: dict | None = None,
    currencies: list[tuple[str, str]] = (),
) -> list[ScreenQuestion]:
    """Every question in `language` (call it with that language active, for the page's own
    words), what was `given` (the post's answers) chosen again, `errors` ({question code:
    [messages]}) beside their questions."""
    given = given or {}
    errors = errors or {}
    screen = []
    for question in survey.questions:
        value = given.get(question.code)
        chosen = (
            set(value) if isinstance(value, list) else {value} if isinstance(value, str) else set()
        )
        amount = value if isinstance(value, dict) else {}
        options = tuple(
            Option(code, label, code in chosen) for code, label in _labels(question, language)
        )
        currency = str(amount.get("currency") or "")
        screen.append(
            ScreenQuestion(
                code=question.code,
                answer_type=question.answer_type,
                text=survey_text(question.text, language),
                help=survey_text(question.help, language),
                options=options,
                skipped=not any(option.checked for option in options),
                follow_up=_follow_up(survey, question, language),
                amount=str(amount.get("amount") or ""),
                currencies=tuple(
                    Option(code, label, code == currency) for code, label in currencies
                )
                if question.answer_type == "amount"
                else (),
                errors=tuple(str(message) for message in errors.get(question.code, ())),
            )
        )
    return screen
