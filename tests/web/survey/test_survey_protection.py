"""The worker survey's pages protect who answers (issue 15 §2-§3): small pages without
JavaScript, never cached, posts throttled; nothing of the request stored (no session row, no
cookie of our own) or logged with the code."""

import logging
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from config.throttling import CounterThrottle, SurveyThrottle
from monitoring import surveys
from monitoring.models import SurveyAnswer, SurveyResponse
from tests.conftest import PROJECT_DIR
from tests.monitoring.survey_helpers import EVERYTHING
from tests.scoring.test_worker_survey import LANGUAGES
from tests.web.survey.helpers import (
    PAGE_BUDGET,
    form_data,
    in_language,
    nothing_saved,
    questions,
    text_of,
    translated,
)

pytestmark = pytest.mark.django_db


# --- size, caching, throttling, anonymity --------------------------------------------------


def _stylesheet_bytes(page: str) -> int:
    hrefs = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)">', page)
    assert hrefs == ["fairrecruit/survey.css"]
    return Path(finders.find(hrefs[0])).stat().st_size


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_survey_page_is_under_50_kb_with_its_stylesheet(world, code, language):
    """A size budget (bytes sent), not a timing: the largest page is the questions with a
    message beside each amount."""
    client = in_language(Client(), code, language)
    chooser = Client().get(f"/s/{code}/")
    asked = client.get(questions(code, language))
    refused = client.post(
        questions(code, language),
        form_data({"WS-PAID": "yes", "WS-AMOUNT": {"amount": "x", "currency": "ABC"}}, language),
    )
    thanks = client.post(questions(code, language), form_data({}, language))

    assert thanks.status_code == 200
    for response in (chooser, asked, refused, thanks):
        total = len(response.content) + _stylesheet_bytes(text_of(response))
        assert total < PAGE_BUDGET, (language, response.request["PATH_INFO"], total)


def test_the_pages_need_no_javascript():
    for name in ("survey_base", "survey_language", "survey_questions", "survey_thanks"):
        template = PROJECT_DIR / "certification" / "templates" / "certification" / f"{name}.html"
        assert "<script" not in template.read_text()
    assert "<script" not in text_of(Client().get("/s/thanks/"))


THROTTLED = (
    "Too many tries from this connection in a short time. Nothing was sent. Please try again later."
)


def test_posts_are_throttled_per_address_and_keep_what_was_chosen(code, monkeypatch):
    monkeypatch.setattr(
        SurveyThrottle, "THROTTLE_RATES", {**SurveyThrottle.THROTTLE_RATES, "survey": "2/hour"}
    )
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    client = in_language(Client(), code, "ne")  # one post
    wrong = {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "x", "currency": "NPR"}}
    assert client.post(f"/s/{code}/", form_data(wrong, "ne")).status_code == 400  # two

    response = client.post(f"/s/{code}/", form_data(EVERYTHING, "ne"))

    assert response.status_code == 429
    assert translated("ne", THROTTLED) in text_of(response)
    assert 'name="WS-PASSPORT" value="employer" checked' in text_of(response)
    nothing_saved(code)
    chooser = Client().post(f"/s/{code}/language/", {"language": "ne"})
    assert chooser.status_code == 429 and THROTTLED in text_of(chooser)
    # Another address is counted on its own.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post(f"/s/{code}/", form_data(EVERYTHING, "ne")).status_code == 200


def test_nothing_of_the_request_is_stored(world, code):
    address, agent = "203.0.113.77", "CheapPhone/1.0 (survey-test-agent-7731)"
    reviewer = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    reviewer.force_login(world.reviewer)  # even signed in, nothing ties the answers to anyone
    in_language(reviewer, code, "tl")
    before = timezone.now()

    response = reviewer.post(questions(code, "tl"), form_data(EVERYTHING, "tl"))

    assert response.status_code == 200
    row = SurveyResponse.objects.values().get()
    assert set(row) == {"id", "batch_id", "language", "answered_on"}
    assert row["language"] == "tl" and row["answered_on"] == timezone.localdate(before)
    fields = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert fields == {"id", "batch", "language", "answered_on"}
    assert {f.name for f in SurveyAnswer._meta.concrete_fields} == {
        "id",
        "response",
        "question_code",
        "value",
    }
    # Neither the address, the device, the account nor the code anywhere in the database.
    dumped = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            dumped.append(str(cursor.fetchall()))
    everything = "\n".join(dumped)
    assert address not in everything and "survey-test-agent-7731" not in everything
    assert code not in everything and surveys.survey_code_printed(code) not in everything
    # The session holds nothing of the survey.
    assert not [key for key, _value in reviewer.session.items() if key.startswith("survey")]


def _sessions() -> list[tuple]:
    return sorted(Session.objects.values_list("session_key", "session_data", "expire_date"))


def _a_whole_visit(client: Client, code: str, language: str):
    """Every screen of the survey, the bad answer and the thanks included."""
    assert client.get(f"/s/{code}/").status_code == 200
    in_language(client, code, language)
    assert client.get(questions(code, language)).status_code == 200
    assert client.get(f"/s/{code}/language/?lang={language}").status_code == 200
    wrong = {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "x", "currency": "NPR"}}
    assert client.post(questions(code, language), form_data(wrong, language)).status_code == 400
    answered = client.post(questions(code, language), form_data(EVERYTHING, language))
    assert answered.status_code == 200
    assert client.get(questions(code, language)).status_code == 404  # the closed page
    assert client.get(f"/s/thanks/?lang={language}").status_code == 200


def test_answering_writes_no_session_row_anonymously(code):
    """A session row's expiry is the time it was written plus the session's age: written by
    an answer, it would give the answer's time (and, signed in, its account)."""
    client = Client()

    _a_whole_visit(client, code, "ne")

    assert Session.objects.count() == 0
    assert set(client.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert SurveyResponse.objects.get().language == "ne"


def test_answering_signed_in_leaves_the_session_row_as_it_was(world, code):
    client = Client()
    client.force_login(world.reviewer)
    before = _sessions()
    assert len(before) == 1

    _a_whole_visit(client, code, "ar")

    assert _sessions() == before  # the same row, data and expiry: not written again
    assert SurveyResponse.objects.get().language == "ar"


# --- nothing in the process log --------------------------------------------------------------


def _logged(caplog) -> str:
    return "\n".join(
        f"{record.name} {record.getMessage()} {getattr(record, 'request', '')}"
        for record in caplog.records
    )


def _code_in(text: str, code: str) -> bool:
    return any(
        form.lower() in text.lower()
        for form in (code, surveys.survey_code_printed(code), *code.split("-"))
        if len(form) >= 4
    )


def test_no_refusal_of_the_pages_is_logged_with_the_code(world, code, monkeypatch, caplog):
    _batch, (used,) = world.issue(count=1, now=timezone.now())
    surveys.survey_answer(code=used, answers={}, language="en")
    caplog.set_level(logging.DEBUG)
    client = Client()
    wrong = {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "x", "currency": "NPR"}}

    refused = {
        "closed": client.get(f"/s/{used}/").status_code,
        "closed post": client.post(f"/s/{used}/", form_data({}, "en")).status_code,
        "bad choice": client.post(f"/s/{code}/language/", {"language": "xx"}).status_code,
        "bad answer": client.post(questions(code, "ne"), form_data(wrong, "ne")).status_code,
        "method": client.put(f"/s/{code}/").status_code,
        "csrf": Client(enforce_csrf_checks=True)
        .post(questions(code, "ne"), form_data(EVERYTHING, "ne"))
        .status_code,
    }
    monkeypatch.setattr(
        SurveyThrottle, "THROTTLE_RATES", {**SurveyThrottle.THROTTLE_RATES, "survey": "1/hour"}
    )
    cache.clear()
    client.post(questions(code, "ne"), form_data(wrong, "ne"))
    refused["throttled"] = client.post(
        questions(code, "ne"), form_data(EVERYTHING, "ne")
    ).status_code

    assert refused == {
        "closed": 404,
        "closed post": 404,
        "bad choice": 400,
        "bad answer": 400,
        "method": 405,
        "csrf": 403,
        "throttled": 429,
    }
    logged = _logged(caplog)
    assert not _code_in(logged, code) and not _code_in(logged, used), logged
    assert "/s/" not in logged, logged
    # Other pages' refusals are still logged, as before.
    assert Client().get("/no-such-page/").status_code == 404
    assert "Not Found: /no-such-page/" in _logged(caplog)


def test_an_error_of_a_survey_page_is_logged_with_its_code_masked(code, caplog):
    from django.test import RequestFactory

    request = RequestFactory().post(f"/s/{code}/", {"WS-PAID": "yes"})
    caplog.set_level(logging.DEBUG)

    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, extra={"status_code": 500, "request": request}
    )

    (record,) = caplog.records
    assert record.getMessage() == "Internal Server Error: /s/…/"
    assert record.request is None  # its body, the answers, and its address
    assert not _code_in(_logged(caplog), code)


# --- every word in every language ----------------------------------------------------------
