"""The worker survey's pages (issue 15 §2): a card's code, a language chosen on the first
screen and carried by the pages' addresses and posts only, every question skippable, sent
once; the same 404 for an unknown, used or expired code; every bad answer refused in the
worker's language with nothing saved and what was chosen kept."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from monitoring import surveys
from monitoring.models import SurveyAnswer, SurveyCode, SurveyResponse
from scoring.selectors import survey_text, worker_survey_get
from tests.monitoring.survey_helpers import EVERYTHING
from tests.scoring.test_worker_survey import LANGUAGES
from tests.web.survey.helpers import (
    fieldset,
    form_data,
    in_language,
    nothing_saved,
    questions,
    text_of,
    translated,
)

pytestmark = pytest.mark.django_db


# --- the first screen and the language -----------------------------------------------------


def test_the_first_screen_names_each_language_in_itself(code):
    response = Client().get(f"/s/{code}/")

    page = text_of(response)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    names = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\1"', page)
    assert names == [language for language, _name in settings.SURVEY_LANGUAGES] == LANGUAGES
    for name in ("English", "Français", "नेपाली", "বাংলা", "සිංහල", "Bahasa Indonesia"):
        assert f">{name}</button>" in page
    for name in ("Tagalog", "Tiếng Việt", "Kiswahili", "العربية"):
        assert f">{name}</button>" in page
    assert 'value="ar" lang="ar" dir="rtl"' in page
    assert "<script" not in page


def test_the_language_is_kept_in_the_address_only(code):
    client = in_language(Client(), code, "ne")

    # No session, no cookie of the survey's own: the CSRF token's at most.
    assert set(client.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert Session.objects.count() == 0
    page = client.get(questions(code, "ne"))
    assert page.status_code == 200 and page["Content-Language"] == "ne"
    assert '<html lang="ne" dir="ltr">' in text_of(page)
    assert "यो काम पाउन तपाईंले कसैलाई पैसा तिर्नुभयो?" in text_of(page)
    assert translated("ne", "Send my answers") in text_of(page)
    # The page's links and form keep the language; nothing in the database; the card's
    # address without it starts on the first screen, in the same browser too.
    assert f'action="/s/{code}/?lang=ne"' in text_of(page)
    assert 'name="language" value="ne"' in text_of(page)
    assert SurveyResponse.objects.count() == 0 and Session.objects.count() == 0
    assert 'name="language" value="ne" lang="ne"' in text_of(client.get(f"/s/{code}/"))
    # The rest of the site is untouched: still English, the switcher still en/fr only.
    home = client.get("/")
    assert '<html lang="en">' in text_of(home)
    assert 'value="ne"' not in text_of(home)


def test_arabic_is_laid_out_right_to_left(code):
    page = in_language(Client(), code, "ar").get(questions(code, "ar"))

    assert '<html lang="ar" dir="rtl">' in text_of(page)
    assert "هل دفعت مالاً لأي شخص لتحصل على هذا العمل؟" in text_of(page)


def test_a_language_outside_the_list_is_refused_in_plain_words(code):
    client = Client()
    response = client.post(f"/s/{code}/language/", {"language": "xx"})

    assert response.status_code == 400
    assert "Choose one of the survey&#x27;s languages." in text_of(response)
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_a_refused_choice_is_said_in_the_language_of_the_page(code):
    response = Client().post(f"/s/{code}/language/?lang=fr", {"language": "xx"})

    assert response.status_code == 400 and '<html lang="fr" dir="ltr">' in text_of(response)
    assert translated("fr", "Choose one of the survey's languages.") in text_of(response).replace(
        "&#x27;", "'"
    )
    assert f'action="/s/{code}/language/?lang=fr"' in text_of(response)


def test_the_language_can_be_changed(code):
    client = in_language(Client(), code, "ne")
    page = client.get(questions(code, "ne"))
    assert f'href="/s/{code}/language/?lang=ne"' in text_of(page)

    chooser = client.get(f"/s/{code}/language/?lang=ne")
    assert '<html lang="ne" dir="ltr">' in text_of(chooser)
    assert 'value="ne" lang="ne" dir="ltr" aria-current="true"' in text_of(chooser)
    in_language(client, code, "sw")
    assert '<html lang="sw" dir="ltr">' in text_of(client.get(questions(code, "sw")))
    # A language outside the list in the address is no language: the first screen.
    assert 'name="language" value="ne" lang="ne"' in text_of(client.get(questions(code, "xx")))


# --- the questions -------------------------------------------------------------------------


def test_every_question_is_on_the_page_with_a_way_to_skip_it(world, code):
    page = in_language(Client(), code, "ne").get(questions(code, "ne"))

    survey = worker_survey_get(standard=world.standard)
    skip = translated("ne", "Skip this question")
    for question in survey.questions:
        shown = fieldset(page, question.code)
        assert survey_text(question.text, "ne") in shown
        if question.answer_type in ("yes_no", "choice"):
            assert re.search(rf'name="{question.code}" value="" checked> {skip}', shown)
        if question.answer_type == "multi_choice":
            assert shown.count('type="checkbox"') == len(question.choices)
        if question.answer_type == "amount":
            assert f'name="currency:{question.code}"' in shown
            assert 'inputmode="decimal"' in shown
    # The follow-up questions of WS-PAID say plainly when to answer them.
    hint = translated("ne", "Only if your answer above is “%(answer)s”:") % {"answer": "हो"}
    for question in ("WS-AMOUNT", "WS-PAID-TO", "WS-PAID-FOR"):
        assert hint in fieldset(page, question)
        assert 'class="q follow"' in fieldset(page, question)
    assert hint not in fieldset(page, "WS-PAID")


def test_the_corridor_s_currencies_come_first(code):
    page = in_language(Client(), code, "en").get(questions(code, "en"))

    options = re.findall(r'<option value="(\w*)"', fieldset(page, "WS-AMOUNT"))
    assert options[:3] == ["", "NPR", "QAR"]
    assert "USD" in options and len(options) > 100


def test_a_worker_answers_once_and_every_answer_is_saved(world, code):
    client = in_language(Client(), code, "ne")

    response = client.post(questions(code, "ne"), form_data(EVERYTHING, "ne"))

    # Thanks is the post's own answer: no redirect, nothing to carry to another page.
    assert response.status_code == 200 and translated("ne", "Thank you") in text_of(response)
    stored = SurveyResponse.objects.get()
    assert stored.language == "ne" and stored.answered_on == timezone.localdate()
    assert {a.question_code: a.value for a in stored.answers.all()} == {
        **EVERYTHING,
        "WS-AMOUNT": {"amount": "1200.5", "currency": "USD"},  # 1200.50 as an exact decimal
    }
    assert SurveyCode.objects.get(code_hash=surveys.survey_code_hash(code)).used is True
    # Once: the code now gets the closed page, on every screen.
    again = client.post(f"/s/{code}/", form_data(EVERYTHING, "ne"))
    assert again.status_code == 404
    assert client.get(f"/s/{code}/").status_code == 404
    assert client.get(f"/s/{code}/language/").status_code == 404
    assert SurveyResponse.objects.count() == 1


def test_every_question_skipped_is_an_answer_too(code):
    client = in_language(Client(), code, "vi")

    response = client.post(f"/s/{code}/", {"language": "vi", "WS-PAID": "", "WS-AMOUNT": ""})

    assert response.status_code == 200
    assert SurveyResponse.objects.get().answers.count() == 0


def test_follow_up_answers_without_their_condition_are_dropped_not_refused(code):
    client = in_language(Client(), code, "en")
    answers = {"WS-PAID": "no", "WS-AMOUNT": {"amount": "300", "currency": "NPR"}}

    response = client.post(f"/s/{code}/", form_data(answers, "en"))

    assert response.status_code == 200
    assert list(SurveyAnswer.objects.values_list("question_code", "value")) == [("WS-PAID", "no")]


def test_the_language_travels_with_the_post(code):
    """The page's language is in its post (and its form's address): nothing else holds it."""
    response = Client().post(f"/s/{code}/", form_data(EVERYTHING, "bn"))

    assert response.status_code == 200
    assert SurveyResponse.objects.get().language == "bn"


def test_without_a_language_the_first_screen_comes_first(code):
    response = Client().post(f"/s/{code}/", {"WS-PAID": "yes"})

    assert response.status_code == 200
    assert 'name="language" value="ne"' in text_of(response)
    nothing_saved(code)


BAD = {
    # name: (answers, question, English message)
    "amount not a number": (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "a lot", "currency": "NPR"}},
        "WS-AMOUNT",
        "Write the amount as a number, for example 250 or 250.50.",
    ),
    "amount negative": (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "-50", "currency": "NPR"}},
        "WS-AMOUNT",
        "The amount cannot be below zero.",
    ),
    "unknown currency": (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "250", "currency": "ABC"}},
        "WS-AMOUNT",
        "Choose the money (currency) from the list.",
    ),
    "no currency": (
        {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "250", "currency": ""}},
        "WS-AMOUNT",
        "Choose the money (currency) from the list.",
    ),
    "choice outside the choices": (
        {"WS-PASSPORT": "the_police"},
        "WS-PASSPORT",
        "Choose one of the answers given.",
    ),
    "several choices outside the choices": (
        {"WS-PAID": "yes", "WS-PAID-TO": ["agency", "my_uncle"]},
        "WS-PAID-TO",
        "Choose among the answers given.",
    ),
    "yes or no": ({"WS-DEDUCTED": "maybe"}, "WS-DEDUCTED", "Answer yes or no."),
}


@pytest.mark.parametrize("language", ["ne", "ar"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_answer_is_refused_in_the_worker_s_language_with_nothing_saved(code, case, language):
    answers, question, english = BAD[case]
    client = in_language(Client(), code, language)
    kept = {**answers, "WS-CONTRACT": "no", "WS-AGE": "25_to_34", "WS-GENDER": "woman"}

    response = client.post(f"/s/{code}/", form_data(kept, language))

    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    message = translated(language, english)
    assert message != english
    shown = fieldset(response, question)
    assert f'<p class="error" id="e-{question}">{message}' in shown.replace("&#x27;", "'")
    assert f'aria-describedby="e-{question}"' in shown
    summary = "Some answers need a change: see the words in red. Nothing was sent yet."
    assert translated(language, summary) in text_of(response)
    nothing_saved(code)
    # What was chosen is chosen again.
    assert 'name="WS-CONTRACT" value="no" checked' in fieldset(response, "WS-CONTRACT")
    assert 'name="WS-AGE" value="25_to_34" checked' in fieldset(response, "WS-AGE")
    if question == "WS-AMOUNT":
        amount = answers["WS-AMOUNT"]
        assert f'value="{amount["amount"]}"' in shown
        if amount["currency"] in ("NPR",):
            assert '<option value="NPR" selected>' in shown
    if question == "WS-PAID-TO":
        assert 'name="WS-PAID-TO" value="agency" checked' in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_messages_of_a_bad_answer_are_in_each_language(code, language):
    client = in_language(Client(), code, language)
    answers = {"WS-PAID": "yes", "WS-AMOUNT": {"amount": "-1", "currency": "ABC"}}

    response = client.post(f"/s/{code}/", form_data(answers, language))

    english = "The amount cannot be below zero."
    message = translated(language, english)
    assert (message == english) == (language == "en")
    assert message in fieldset(response, "WS-AMOUNT")
    assert translated(language, "Send my answers") in text_of(response)
    nothing_saved(code)


# --- codes that cannot answer --------------------------------------------------------------


def test_an_unknown_a_used_and_an_expired_code_get_the_same_page(world, code):
    _old, (expired,) = world.issue(count=1, now=timezone.now() - timedelta(days=400))
    _batch, (used,) = world.issue(count=1, now=timezone.now())
    surveys.survey_answer(code=used, answers={}, language="en")
    unknown = surveys.new_survey_code()

    pages = {}
    for name, tried in (("unknown", unknown), ("used", used), ("expired", expired)):
        for method, path in (
            ("get", f"/s/{tried}/"),
            ("get", f"/s/{tried}/language/"),
            ("post", f"/s/{tried}/language/"),
            ("post", f"/s/{tried}/"),
        ):
            data = {"language": "en", "WS-PAID": "yes"} if method == "post" else {}
            response = getattr(Client(), method)(path, data)
            assert response.status_code == 404, (name, method, path)
            assert response["Cache-Control"] == "no-store"
            pages.setdefault((method, path.replace(tried, "CODE")), set()).add(text_of(response))
    assert all(len(texts) == 1 for texts in pages.values())
    page = next(iter(next(iter(pages.values()))))
    # Said in every language, as the worker may not have chosen one yet.
    for language in LANGUAGES:
        message = translated(language, surveys.SurveyCodeRefused().messages[0])
        assert f'lang="{language}"' in page and message.replace("'", "&#x27;") in page
    assert SurveyResponse.objects.count() == 1


def test_the_closed_page_speaks_the_language_chosen(world, code):
    client = in_language(Client(), code, "si")
    _batch, (used,) = world.issue(count=1, now=timezone.now())
    surveys.survey_answer(code=used, answers={}, language="en")

    response = client.get(questions(used, "si"))

    assert response.status_code == 404
    assert '<html lang="si" dir="ltr">' in text_of(response)
    assert text_of(response).count("<h1") == 1 and 'lang="en"' not in text_of(response)


def test_a_code_is_read_as_typed_from_the_card(code):
    printed = surveys.survey_code_printed(code).lower()

    assert Client().get(f"/s/{printed}/").status_code == 200


# --- the end -------------------------------------------------------------------------------


def test_thanks_says_where_to_complain_in_english_when_the_language_has_no_complaint_page(code):
    client = in_language(Client(), code, "ne")

    response = client.post(questions(code, "ne"), form_data({"WS-PAID": "no"}, "ne"))

    page = text_of(response)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert '<html lang="ne" dir="ltr">' in page
    assert translated("ne", "Thank you") in page
    assert 'action="/i18n/setlang/"' in page and 'name="next" value="/complaints/new/"' in page
    assert 'name="language" value="en"' in page
    assert translated("ne", "The complaint page is in English.") in page
    assert 'id="support-contacts"' not in page
    # The button leads to the complaint page, in English.
    complaint = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/complaints/new/"}, follow=True
    )
    assert complaint.redirect_chain[-1][0] == "/complaints/new/"
    assert '<html lang="en">' in text_of(complaint)


def test_thanks_sends_a_french_worker_to_the_complaint_page_in_french(code):
    client = in_language(Client(), code, "fr")

    page = text_of(client.post(questions(code, "fr"), form_data({"WS-PAID": "no"}, "fr")))

    assert 'name="language" value="fr"' in page and "Merci" in page
    assert 'id="complaint-language"' not in page
    complaint = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/complaints/new/"}, follow=True
    )
    assert '<html lang="fr">' in text_of(complaint)


@override_settings(
    SURVEY_SUPPORT_CONTACTS={"QA": ["Workers' helpline: 16008", "Embassy of Nepal, Doha"]}
)
def test_thanks_gives_the_support_contacts_of_the_batch_s_destination(world, code):
    client = in_language(Client(), code, "ar")

    page = text_of(client.post(questions(code, "ar"), form_data({}, "ar")))

    assert '<html lang="ar" dir="rtl">' in page
    assert translated("ar", "People who can help you where you work:") in page
    assert "Workers&#x27; helpline: 16008" in page and "Embassy of Nepal, Doha" in page
    # A batch without a corridor has no destination: no contacts.
    _batch, (elsewhere,) = world.issue(count=1, now=timezone.now())
    other = in_language(Client(), elsewhere, "ar")
    assert 'id="support-contacts"' not in text_of(
        other.post(questions(elsewhere, "ar"), form_data({}, "ar"))
    )
    # Thanks opened by its address knows no destination.
    assert 'id="support-contacts"' not in text_of(Client().get("/s/thanks/?lang=ar"))


def test_thanks_opened_directly_is_in_english_or_the_address_s_language():
    response = Client().get("/s/thanks/")

    assert response.status_code == 200 and '<html lang="en" dir="ltr">' in text_of(response)
    assert '<html lang="ne" dir="ltr">' in text_of(Client().get("/s/thanks/?lang=ne"))
