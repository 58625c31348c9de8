"""The worker survey's pages (issue 15 §2): a worker with a card's code, on a cheap phone,
chooses a language, answers what they want and sends it once.

Small pages (their own layout and stylesheet, no JavaScript), every one `no-store`, in the
worker's language: SURVEY_LANGUAGES, carried by the pages themselves (`?lang=` in their
links and forms' addresses, and the questions' post) and by nothing else: no session, no
cookie of the survey's own, so that no row of `django_session` is written or changed by an
answer (its expiry would be the answer's time). Thanks is the answer of the post itself,
with the batch's destination's support contacts. An unknown, used or expired code gets the
same page and status (404). No response of these pages is logged by Django's request
logger (`_has_been_logged`, and config/logging_filters.py for all of the survey's paths).
The rules are in monitoring.surveys; nothing of the request reaches them (no address,
device or account), and the posts are counted per address under the `survey` throttle
(config/throttling.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certification.forms.surveys import (
    answers_from_post,
    currency_options,
    survey_page_languages,
    survey_screen,
)
from monitoring.survey_selectors import survey_code_open
from monitoring.surveys import SurveyCodeRefused, survey_answer
from scoring.selectors import worker_survey_get

LANGUAGE_PARAMETER = "lang"


def _no_store(response):
    # A code, and what a worker answered: no cache keeps them; and no log line of Django's
    # request logger ("Not Found: /s/<code>/" with its time) either.
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True
    return response


def _page_languages() -> dict[str, str]:
    return dict(settings.SURVEY_LANGUAGES)


def _render(request, template: str, context: dict, language: str, *, status: int = 200):
    """A survey page, rendered whole in `language` (its words, `lang` and `dir`)."""
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return _no_store(response)


def _page_language(request) -> str | None:
    """The language the worker chose, as the page they came from carries it: the
    questions' post, else the address's `?lang=`; None before one is chosen."""
    for language in (
        request.POST.get("language") if request.method == "POST" else None,
        request.GET.get(LANGUAGE_PARAMETER),
    ):
        if language in _page_languages():
            return language
    return None


def _address_language(request) -> str | None:
    """The `?lang=` of the address only (the language screen's post is the new choice)."""
    language = request.GET.get(LANGUAGE_PARAMETER)
    return language if language in _page_languages() else None


def _opened(code: str):
    """The batch and survey of a code that may answer, or (None, None)."""
    batch = survey_code_open(code)
    survey = worker_survey_get(standard=batch.standard) if batch is not None else None
    return (batch, survey) if survey is not None else (None, None)


def _closed(request):
    """The one page for a code that is unknown, used or expired: in the worker's language
    when they chose one, else in every language of the pages."""
    language = _page_language(request)
    shown = [language] if language else list(_page_languages())
    messages = []
    for code in shown:
        with translation.override(code):
            messages.append(
                {
                    "language": code,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                    "text": SurveyCodeRefused().messages[0],
                }
            )
    return _render(
        request,
        "certification/survey_closed.html",
        {"messages_by_language": messages, "one_language": bool(language)},
        language or settings.LANGUAGE_CODE,
        status=404,
    )


def _chooser(request, code: str, survey, *, error: str = "", status: int = 200):
    current = _address_language(request)
    language = current or settings.LANGUAGE_CODE
    languages = [
        {
            "code": lang,
            "name": name,
            "direction": "rtl" if lang in settings.LANGUAGES_BIDI else "ltr",
            "current": lang == current,
        }
        for lang, name in survey_page_languages(survey)
    ]
    context = {"code": code, "languages": languages, "error": error, "current": current}
    return _render(request, "certification/survey_language.html", context, language, status=status)


@require_http_methods(["GET", "POST"])
def survey_language(request, code: str):
    """The first screen: each language named in itself, one button each."""
    _batch, survey = _opened(code)
    if survey is None:
        return _closed(request)
    if request.method == "GET":
        return _chooser(request, code, survey)
    if getattr(request, "throttled", False):
        return _chooser(request, code, survey, error=_throttled_message(request), status=429)
    chosen = request.POST.get("language", "")
    if chosen not in dict(survey_page_languages(survey)):
        with translation.override(_address_language(request) or settings.LANGUAGE_CODE):
            error = _("Choose one of the survey's languages.")
        return _chooser(request, code, survey, error=error, status=400)
    # The choice travels in the address of the questions, and in nothing kept.
    return _no_store(
        redirect(f"{reverse('web:survey', args=[code])}?{LANGUAGE_PARAMETER}={chosen}")
    )


def _throttled_message(request) -> str:
    with translation.override(_address_language(request) or settings.LANGUAGE_CODE):
        return _(
            "Too many tries from this connection in a short time. Nothing was sent. "
            "Please try again later."
        )


def _questions(request, code, batch, survey, language, *, given=None, errors=None, status=200):
    with translation.override(language):
        screen = survey_screen(
            survey,
            language,
            given=given,
            errors=errors,
            currencies=currency_options(batch.origin, batch.destination),
        )
    context = {
        "code": code,
        "questions": screen,
        "has_errors": bool(errors),
        "throttled": status == 429,
    }
    return _render(request, "certification/survey_questions.html", context, language, status=status)


@require_http_methods(["GET", "POST"])
def survey(request, code: str):
    """The questions, all on one page, each skippable; sent once, saved whole or not at all.
    Without a language chosen yet: the first screen."""
    batch, survey = _opened(code)
    if survey is None:
        return _closed(request)
    languages = dict(survey_page_languages(survey))
    # The language the page was in travels with its address and its post: nothing is kept.
    language = _page_language(request)
    if language not in languages:
        return _chooser(request, code, survey)
    if request.method == "GET":
        return _questions(request, code, batch, survey, language)
    given = answers_from_post(survey, request.POST)
    if getattr(request, "throttled", False):
        return _questions(request, code, batch, survey, language, given=given, status=429)
    with translation.override(language):  # the core's messages, in the worker's language
        try:
            survey_answer(code=code, answers=given, language=language)
        except SurveyCodeRefused:
            return _closed(request)
        except ValidationError as error:
            errors = error.message_dict
        else:
            errors = None
    if errors:
        return _questions(
            request, code, batch, survey, language, given=given, errors=errors, status=400
        )
    # Thanks is the post's own answer (no redirect): the language and the destination need
    # no session, cookie or address to reach it.
    return _thanks(request, language, str(batch.destination or ""))


def _thanks(request, language: str, destination: str):
    """Thanks; where to complain (the complaint page in the worker's language where it has
    it, else in English, said so); whom to ask for help at the batch's destination."""
    destination = destination.upper()
    contacts = {str(k).upper(): v for k, v in settings.SURVEY_SUPPORT_CONTACTS.items()}
    site_languages = dict(settings.LANGUAGES)
    complaint_language = language if language in site_languages else settings.LANGUAGE_CODE
    context = {
        "contacts": list(contacts.get(destination, [])) if destination else [],
        "complaint_language": complaint_language,
        "complaint_in_english_only": complaint_language != language,
    }
    return _render(request, "certification/survey_thanks.html", context, language)


@require_GET
def survey_thanks(request):
    """Thanks again, opened by its address (`?lang=`): without the support contacts, which
    only the answer's own page knows."""
    return _thanks(request, _address_language(request) or settings.LANGUAGE_CODE, "")
