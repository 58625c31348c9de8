"""The worker survey through the API (issue 15 §2): anyone with a card's code reads the
questions in a language and answers once; the same 404 for an unknown, used or expired code;
a bad answer is 400 naming its question, in the worker's language, nothing saved; never
cached; throttled per address, reads and answers together; nothing of the request stored or
logged."""

import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone, translation
from rest_framework.test import APIClient

from config.throttling import CounterThrottle, SurveyThrottle
from monitoring import surveys
from monitoring.models import SurveyAnswer, SurveyCode, SurveyResponse
from scoring.selectors import survey_text, worker_survey_get
from tests.monitoring.survey_helpers import EVERYTHING, survey_world
from tests.scoring.test_worker_survey import LANGUAGES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return survey_world()


@pytest.fixture
def code(world):
    _batch, codes = world.issue(count=2, corridor=world.corridor, now=timezone.now())
    return codes[0]


def url(code: str) -> str:
    return f"/api/v1/surveys/{code}/"


def nothing_saved(code: str):
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0
    assert SurveyCode.objects.get(code_hash=surveys.survey_code_hash(code)).used is False


def errors_of(response) -> dict:
    return {e["attr"]: e["detail"] for e in response.json()["errors"]}


def translated(language: str, english: str) -> str:
    with translation.override(language):
        return translation.gettext(english)


# --- the questions -------------------------------------------------------------------------


def test_anyone_reads_the_questions_in_a_language(world, code):
    response = APIClient().get(url(code), {"language": "ne-NP"})

    assert response.status_code == 200, response.json()
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    survey = worker_survey_get(standard=world.standard)
    assert body["language"] == "ne"
    assert [entry["code"] for entry in body["languages"]] == LANGUAGES
    assert {"code": "ar", "name": "العربية"} in body["languages"]
    assert [q["code"] for q in body["questions"]] == [q.code for q in survey.questions]
    paid, amount, paid_to = body["questions"][:3]
    assert paid["text"] == survey_text(survey.question("WS-PAID").text, "ne")
    assert paid["choices"] == [{"code": "yes", "label": "हो"}, {"code": "no", "label": "होइन"}]
    assert amount == {
        "code": "WS-AMOUNT",
        "answer_type": "amount",
        "text": survey_text(survey.question("WS-AMOUNT").text, "ne"),
        "help": survey_text(survey.question("WS-AMOUNT").help, "ne"),
        "choices": [],
        "ask_if": {"question": "WS-PAID", "answer": "yes"},
        "optional_personal": False,
    }
    assert paid_to["choices"][0]["code"] == "agency"
    assert body["questions"][-1]["optional_personal"] is True


def test_the_questions_are_in_english_unless_asked(code):
    body = APIClient().get(url(code)).json()

    assert body["language"] == "en"
    assert body["questions"][0]["text"] == "Did you pay anyone money to get this job?"


def test_a_language_the_survey_lacks_is_refused_naming_it(code):
    response = APIClient().get(url(code), {"language": "de"})

    assert response.status_code == 400
    assert errors_of(response) == {"language": "Choose one of the survey's languages."}


def test_reading_the_questions_does_not_use_the_code(code):
    APIClient().get(url(code))

    assert APIClient().get(url(code)).status_code == 200
    nothing_saved(code)


# --- the answers ---------------------------------------------------------------------------


def test_a_worker_answers_once(code):
    response = APIClient().post(url(code), {"language": "ar", "answers": EVERYTHING}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json() == {"answered": True}
    assert response["Cache-Control"] == "no-store"
    stored = SurveyResponse.objects.get()
    assert stored.language == "ar" and stored.answers.count() == len(EVERYTHING)
    again = APIClient().post(url(code), {"language": "ar", "answers": {}}, format="json")
    assert again.status_code == 404
    assert APIClient().get(url(code)).status_code == 404
    assert SurveyResponse.objects.count() == 1


def test_every_question_may_be_skipped(code):
    answers = {"WS-PAID": None, "WS-AMOUNT": {"amount": "", "currency": ""}, "WS-PAID-TO": []}

    response = APIClient().post(url(code), {"language": "sw", "answers": answers}, format="json")

    assert response.status_code == 201
    assert SurveyAnswer.objects.count() == 0


def test_an_unknown_a_used_and_an_expired_code_are_the_same_404(world, code):
    _old, (expired,) = world.issue(count=1, now=timezone.now() - timedelta(days=400))
    surveys.survey_answer(code=code, answers={}, language="en")
    unknown = surveys.new_survey_code()

    answers = {"language": "en", "answers": {"WS-PAID": "yes"}}
    gets = [APIClient().get(url(c)) for c in (unknown, code, expired)]
    posts = [APIClient().post(url(c), answers, format="json") for c in (unknown, code, expired)]

    for responses in (gets, posts):
        assert {r.status_code for r in responses} == {404}
        assert len({r.content for r in responses}) == 1
        assert all(r["Cache-Control"] == "no-store" for r in responses)
    assert SurveyResponse.objects.count() == 1


BAD = [
    # (answers, attr, English message)
    (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "two hundred", "currency": "NPR"}},
        "answers.WS-AMOUNT",
        "Write the amount as a number, for example 250 or 250.50.",
    ),
    (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "-1", "currency": "NPR"}},
        "answers.WS-AMOUNT",
        "The amount cannot be below zero.",
    ),
    (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": -1, "currency": "NPR"}},
        "answers.WS-AMOUNT",
        "The amount cannot be below zero.",
    ),
    (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "250", "currency": "RUPEES"}},
        "answers.WS-AMOUNT",
        "Choose the money (currency) from the list.",
    ),
    (
        {"WS-PAID": "yes", "WS-AMOUNT": "250 NPR"},
        "answers.WS-AMOUNT",
        "Write the amount and choose the money (currency).",
    ),
    ({"WS-PASSPORT": "the_police"}, "answers.WS-PASSPORT", "Choose one of the answers given."),
    (
        {"WS-PAID": "yes", "WS-PAID-FOR": ["medical", "a_bribe"]},
        "answers.WS-PAID-FOR",
        "Choose among the answers given.",
    ),
    ({"WS-TRUTH": True}, "answers.WS-TRUTH", "Answer yes or no."),
    ({"WS-SALARY": "500"}, "answers.WS-SALARY", "This question is not in the survey."),
]


@pytest.mark.parametrize("language", ["en", "bn", "ar"])
@pytest.mark.parametrize(("answers", "attr", "english"), BAD)
def test_a_bad_answer_is_400_naming_the_question_in_the_worker_s_language(
    code, answers, attr, english, language
):
    response = APIClient().post(
        url(code), {"language": language, "answers": answers}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert errors_of(response) == {attr: translated(language, english)}
    assert (translated(language, english) == english) == (language == "en")
    nothing_saved(code)


def test_a_bad_language_is_refused_with_the_answers_checked_too(code):
    body = {"language": "klingon", "answers": {"WS-TRUTH": "maybe"}}

    response = APIClient().post(url(code), body, format="json")

    assert response.status_code == 400
    assert errors_of(response) == {
        "language": "Choose one of the survey's languages.",
        "answers.WS-TRUTH": "Answer yes or no.",
    }
    nothing_saved(code)


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"language": "en", "answers": ["yes"]}, "answers"),
        ({"language": "en"}, "answers"),
        ({"answers": {}}, "language"),
    ],
)
def test_a_malformed_body_is_400_naming_the_field(code, body, attr):
    response = APIClient().post(url(code), body, format="json")

    assert response.status_code == 400
    assert list(errors_of(response)) == [attr]
    nothing_saved(code)


def test_reads_and_answers_are_throttled_per_address_together(code, monkeypatch):
    monkeypatch.setattr(
        SurveyThrottle, "THROTTLE_RATES", {**SurveyThrottle.THROTTLE_RATES, "survey": "2/hour"}
    )
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    client = APIClient()
    assert client.get(url(code)).status_code == 200
    assert client.get(url(surveys.new_survey_code())).status_code == 404  # guessing counts

    response = client.post(url(code), {"language": "en", "answers": EVERYTHING}, format="json")

    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"
    nothing_saved(code)
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.7")
    answered = elsewhere.post(url(code), {"language": "en", "answers": {}}, format="json")
    assert answered.status_code == 201
    assert SurveyResponse.objects.count() == 1


def test_an_answer_keeps_nothing_of_who_sent_it(world, code):
    client = APIClient(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="SurveyApp/2.0 agent-4471")
    client.force_authenticate(world.reviewer)

    response = client.post(url(code), {"language": "id", "answers": EVERYTHING}, format="json")

    assert response.status_code == 201
    assert SurveyResponse.objects.values().get() == {
        "id": SurveyResponse.objects.get().pk,
        "batch_id": SurveyCode.objects.get(code_hash=surveys.survey_code_hash(code)).batch_id,
        "language": "id",
        "answered_on": timezone.localdate(),
    }


def test_no_refusal_is_logged_with_the_code(world, code, monkeypatch, caplog):
    """Django logs a 4xx with its path and time ("Not Found: /api/v1/surveys/<code>/"): not
    the survey's."""
    caplog.set_level(logging.DEBUG)
    client = APIClient()
    unknown = surveys.new_survey_code()
    bad = {"language": "en", "answers": {"WS-DEDUCTED": "maybe"}}

    refused = {
        "unknown": client.get(url(unknown)).status_code,
        "unknown post": client.post(
            url(unknown), {"language": "en", "answers": {}}, format="json"
        ).status_code,
        "bad language": client.get(url(code), {"language": "klingon"}).status_code,
        "bad answer": client.post(url(code), bad, format="json").status_code,
        "malformed": client.post(url(code), {"language": "en"}, format="json").status_code,
        "method": client.delete(url(code)).status_code,
    }
    monkeypatch.setattr(
        SurveyThrottle, "THROTTLE_RATES", {**SurveyThrottle.THROTTLE_RATES, "survey": "1/hour"}
    )
    cache.clear()
    client.get(url(code))
    refused["throttled"] = client.get(url(code)).status_code

    assert refused == {
        "unknown": 404,
        "unknown post": 404,
        "bad language": 400,
        "bad answer": 400,
        "malformed": 400,
        "method": 405,
        "throttled": 429,
    }
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {getattr(r, 'request', '')}" for r in caplog.records
    )
    for tried in (code, unknown):
        assert tried not in logged and surveys.survey_code_printed(tried) not in logged, logged
    assert "/api/v1/surveys/" not in logged, logged


def test_an_answer_writes_no_session_row(world, code):
    client = APIClient()
    client.force_login(world.reviewer)
    before = sorted(Session.objects.values_list("session_key", "session_data", "expire_date"))

    response = client.post(url(code), {"language": "ne", "answers": EVERYTHING}, format="json")

    assert response.status_code == 201
    after = sorted(Session.objects.values_list("session_key", "session_data", "expire_date"))
    assert after == before and len(after) == 1
