"""What the tests of the worker survey's pages share: the posts a browser sends, and how
to read the pages."""

import re

from django.test import Client
from django.utils import translation

from monitoring import surveys
from monitoring.models import SurveyAnswer, SurveyCode, SurveyResponse

PAGE_BUDGET = 51_200  # bytes: a page and its stylesheet, under 50 KB
CATALOGUED = ["fr", "ne", "bn", "si", "id", "tl", "vi", "sw", "ar"]  # English is the source


def form_data(answers: dict, language: str) -> dict:
    """The post of the questions page for these answers, as a browser sends it."""
    data = {"language": language}
    for question, value in answers.items():
        if isinstance(value, dict):
            data[question] = value["amount"]
            data[f"currency:{question}"] = value["currency"]
        else:
            data[question] = value
    return data


def in_language(client: Client, code: str, language: str) -> Client:
    """The first screen's choice: it leads to the questions' address with the language."""
    response = client.post(f"/s/{code}/language/", {"language": language})
    assert response.status_code == 302 and response["Location"] == f"/s/{code}/?lang={language}"
    return client


def questions(code: str, language: str) -> str:
    return f"/s/{code}/?lang={language}"


def text_of(response) -> str:
    return response.content.decode()


def fieldset(response, question: str) -> str:
    match = re.search(rf'<fieldset id="q-{question}".*?</fieldset>', text_of(response), re.S)
    assert match, question
    return match.group(0)


def nothing_saved(code: str):
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0
    assert SurveyCode.objects.get(code_hash=surveys.survey_code_hash(code)).used is False


def translated(language: str, english: str) -> str:
    with translation.override(language):
        return translation.gettext(english)
