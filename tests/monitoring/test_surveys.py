"""Worker survey codes and answers at rest: issued by the scheme only, one use each, the same
refusal for a used, unknown or expired code, every bad answer refused by its question with
nothing saved, and nothing stored that tells who answered."""

import math
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from monitoring import crypto, survey_selectors, surveys
from monitoring.models import SurveyAnswer, SurveyBatch, SurveyCode, SurveyResponse
from recruiters.models import Corridor
from scoring.selectors import worker_survey_get
from scoring.services import standard_load
from scoring.standard_file import read_standard_file
from tests.conftest import REFERENCE_STANDARD
from tests.factories import AgencyFactory, CorridorFactory, MembershipFactory, UserFactory
from tests.monitoring.survey_helpers import EVERYTHING, NOW, survey_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return survey_world()


def nothing_saved(code: str):
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0
    assert SurveyCode.objects.get(code_hash=surveys.survey_code_hash(code)).used is False


# --- issuing -------------------------------------------------------------------------------


def test_a_batch_has_its_codes_kept_as_a_hash_and_a_token_only(world):
    batch, codes = world.issue(count=20)

    assert batch.count == 20 and batch.codes.count() == 20
    assert batch.issued_by == world.reviewer and batch.standard == world.standard
    assert batch.issued_at == NOW and batch.expires_at == NOW + timedelta(days=180)
    assert len(set(codes)) == 20
    alphabet = re.escape(surveys.CODE_ALPHABET)
    assert all(re.fullmatch(f"[{alphabet}]{{12}}", code) for code in codes)
    assert surveys.CODE_LENGTH * math.log2(len(surveys.CODE_ALPHABET)) >= 50
    stored = list(batch.codes.order_by("id"))
    assert [row.code_hash for row in stored] == [surveys.survey_code_hash(c) for c in codes]
    assert [crypto.decrypt(row.code_encrypted) for row in stored] == codes
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM monitoring_surveycode WHERE batch_id = %s", [batch.pk])
        rows = str(cursor.fetchall())
    assert not any(code in rows for code in codes)


@pytest.mark.parametrize("count", [0, -1, 501, "10", True, 2.0, None])
def test_a_batch_count_outside_1_to_the_maximum_is_refused_by_name(world, count):
    with pytest.raises(ValidationError) as refused:
        world.issue(count=count)

    assert list(refused.value.error_dict) == ["count"]
    assert SurveyBatch.objects.count() == 0 and SurveyCode.objects.count() == 0


@override_settings(SURVEY_BATCH_MAX=3, SURVEY_CODE_VALID_DAYS=30)
def test_the_maximum_and_the_validity_are_settings(world):
    batch, codes = world.issue(count=3)

    assert len(codes) == 3 and batch.expires_at == NOW + timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        world.issue(count=4)
    assert "3" in refused.value.error_dict["count"][0].message


def test_the_largest_batch_is_issued_whole(world):
    _batch, codes = world.issue(count=500)

    assert len(set(codes)) == 500 and SurveyCode.objects.count() == 500


def test_only_a_reviewer_or_the_agency_s_auditor_issues_codes(world):
    auditor = MembershipFactory(auditor=True).user
    agency_member = MembershipFactory(agency_member=True, agency=world.agency).user
    inactive = MembershipFactory(user=UserFactory(is_active=False)).user

    batch, _codes = world.issue(actor=auditor, auditor_of_agency=True)
    assert batch.issued_by == auditor
    for actor, auditor_of_agency in [
        (auditor, False),  # an auditor the caller did not find to be the agency's
        (agency_member, True),  # never the agency, whatever the caller says
        (inactive, False),
        (UserFactory(), True),
    ]:
        with pytest.raises(PermissionDenied):
            world.issue(actor=actor, auditor_of_agency=auditor_of_agency)
    assert SurveyBatch.objects.count() == 1


def test_a_batch_is_for_one_of_the_agency_s_corridors(world):
    other = CorridorFactory(origin="BD", destination="SA")

    for corridor in (world.corridor, "NP-QA", ("np", "qa")):
        batch, _codes = world.issue(count=1, corridor=corridor)
        assert (batch.origin.code, batch.destination.code) == ("NP", "QA")
        assert batch.corridor_label == "NP → QA"
    for corridor in (other, "BD-SA", "NPQA", "NP-QA-AE"):
        with pytest.raises(ValidationError) as refused:
            world.issue(count=1, corridor=corridor)
        assert list(refused.value.error_dict) == ["corridor"]


def test_a_batch_keeps_its_corridor_when_the_agency_s_corridors_are_replaced(world):
    batch, _codes = world.issue(count=1, corridor=world.corridor)

    Corridor.objects.filter(agency=world.agency).delete()

    batch.refresh_from_db()
    assert (batch.origin.code, batch.destination.code) == ("NP", "QA")


def test_a_batch_uses_the_latest_published_survey_and_never_a_version_without_one(world):
    without_survey = standard_load(spec=read_standard_file(REFERENCE_STANDARD)).standard

    assert surveys.survey_default_standard() == world.standard
    with pytest.raises(ValidationError) as refused:
        world.issue(standard=without_survey)
    assert list(refused.value.error_dict) == ["standard"]


def test_the_codes_are_read_again_by_a_reviewer_or_the_issuer_only(world):
    auditor = MembershipFactory(auditor=True).user
    batch, codes = world.issue(actor=auditor, auditor_of_agency=True, count=5)
    surveys.survey_answer(code=codes[0], answers={}, language="en")

    assert surveys.survey_batch_codes(actor=world.reviewer, batch=batch) == codes
    assert surveys.survey_batch_codes(actor=auditor, batch=batch) == codes
    for outsider in (
        MembershipFactory(auditor=True).user,
        MembershipFactory(agency_member=True, agency=world.agency).user,
        UserFactory(),
    ):
        with pytest.raises(PermissionDenied):
            surveys.survey_batch_codes(actor=outsider, batch=batch)


# --- using a code --------------------------------------------------------------------------


def test_a_code_answers_once(world):
    _batch, codes = world.issue(count=2)

    response = surveys.survey_answer(code=codes[0], answers={"WS-PAID": "no"}, language="fr")

    assert response.language == "fr"
    assert SurveyCode.objects.get(code_hash=surveys.survey_code_hash(codes[0])).used is True
    with pytest.raises(surveys.SurveyCodeRefused):
        surveys.survey_answer(code=codes[0], answers={"WS-PAID": "yes"}, language="fr")
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyAnswer.objects.values_list("value", flat=True)) == ["no"]


def test_a_code_is_typed_in_any_case_with_dashes_and_o_for_zero(world):
    _batch, codes = world.issue(count=1)
    typed = surveys.survey_code_printed(codes[0]).lower().replace("0", "o").replace("1", "l")

    assert survey_selectors.survey_code_open(f"  {typed} ") is not None
    surveys.survey_answer(code=typed, answers={}, language="en")
    assert SurveyResponse.objects.count() == 1


def _refusal(code, now=NOW):
    with pytest.raises(surveys.SurveyCodeRefused) as refused:
        surveys.survey_answer(code=code, answers={"WS-PAID": "yes"}, language="en", now=now)
    return [(e.code, e.message) for e in refused.value.error_dict["code"]]


def test_a_used_an_unknown_and_an_expired_code_are_refused_alike(world):
    batch, codes = world.issue(count=3)
    surveys.survey_answer(code=codes[0], answers={}, language="en", now=NOW)
    after = batch.expires_at

    used, unknown, expired = (
        _refusal(codes[0]),
        _refusal("ZZZZZZZZZZZZ"),
        _refusal(codes[1], now=after),
    )

    assert used == unknown == expired
    assert _refusal("") == used and _refusal("not a code at all") == used
    for code, now in [(codes[0], NOW), ("ZZZZZZZZZZZZ", NOW), (codes[1], after), ("", NOW)]:
        assert survey_selectors.survey_code_open(code, now=now) is None
    assert SurveyResponse.objects.count() == 1


def test_a_code_answers_until_its_batch_expires(world):
    batch, codes = world.issue(count=2)
    just_before = batch.expires_at - timedelta(seconds=1)

    assert survey_selectors.survey_code_open(codes[0], now=just_before) == batch
    surveys.survey_answer(code=codes[0], answers={}, language="en", now=just_before)
    assert survey_selectors.survey_code_open(codes[1], now=batch.expires_at) is None


def test_opening_a_code_does_not_use_it(world):
    batch, codes = world.issue(count=1)

    opened = survey_selectors.survey_code_open(codes[0], now=NOW)

    assert opened == batch and opened.agency == world.agency
    assert survey_selectors.survey_code_open(codes[0], now=NOW) == batch
    assert SurveyCode.objects.get().used is False


# --- anonymity -----------------------------------------------------------------------------


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchall()


def test_the_stored_rows_hold_nothing_that_tells_who_answered_or_when(world):
    _batch, codes = world.issue(count=1)

    surveys.survey_answer(code=codes[0], answers=EVERYTHING, language="ne", now=NOW)

    columns = _columns("monitoring_surveyresponse")
    assert sorted(columns) == ["answered_on", "batch_id", "id", "language"]
    assert sorted(_columns("monitoring_surveyanswer")) == [
        "id",
        "question_code",
        "response_id",
        "value",
    ]
    assert sorted(_columns("monitoring_surveycode")) == [
        "batch_id",
        "code_encrypted",
        "code_hash",
        "id",
        "used",
    ]
    (row,) = _rows("monitoring_surveyresponse")
    stored_response = dict(zip(columns, row, strict=True))
    assert stored_response["language"] == "ne"
    assert str(stored_response["answered_on"]) == "2027-03-01"  # a date, not a time
    stored = str(_rows("monitoring_surveyresponse") + _rows("monitoring_surveyanswer"))
    for secret in (codes[0], surveys.survey_code_hash(codes[0]), "09:30", "127.0.0.1"):
        assert secret not in stored
    assert not re.search(r"\d{2}:\d{2}", stored)


# --- answers -------------------------------------------------------------------------------


def test_every_question_may_be_skipped(world):
    _batch, codes = world.issue(count=2)
    skipped = {
        "WS-PAID": "",
        "WS-PASSPORT": None,
        "WS-PAID-TO": [],
        "WS-AMOUNT": {"amount": "", "currency": "USD"},
    }

    nothing = surveys.survey_answer(code=codes[0], answers={}, language="en")
    blanks = surveys.survey_answer(code=codes[1], answers=skipped, language="en")

    assert nothing.answers.count() == 0 and blanks.answers.count() == 0
    assert SurveyResponse.objects.count() == 2


def test_answers_are_stored_in_their_plain_form(world):
    _batch, codes = world.issue(count=1)
    given = {
        "WS-PAID": "yes",
        "WS-AMOUNT": {"amount": " 250.50 ", "currency": "qar"},
        "WS-PAID-FOR": ["medical", "recruitment_fee", "medical"],
        "WS-PAID-TO": "agency",
    }

    response = surveys.survey_answer(code=codes[0], answers=given, language="NE_np")

    assert response.language == "ne"
    assert dict(response.answers.values_list("question_code", "value")) == {
        "WS-PAID": "yes",
        "WS-AMOUNT": {"amount": "250.5", "currency": "QAR"},
        "WS-PAID-FOR": ["recruitment_fee", "medical"],
        "WS-PAID-TO": ["agency"],
    }


def test_an_answer_to_a_question_not_asked_is_dropped(world):
    _batch, codes = world.issue(count=2)
    follow_ups = {
        "WS-AMOUNT": {"amount": "-5", "currency": "XXX"},  # dropped, so never checked
        "WS-PAID-TO": ["agency"],
    }

    said_no = surveys.survey_answer(
        code=codes[0], answers={"WS-PAID": "no", **follow_ups}, language="en"
    )
    skipped = surveys.survey_answer(code=codes[1], answers=follow_ups, language="en")

    assert list(said_no.answers.values_list("question_code", flat=True)) == ["WS-PAID"]
    assert skipped.answers.count() == 0


PAID = {"WS-PAID": "yes"}


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"WS-NOPE": "yes"}, "WS-NOPE"),
        ({"WS-PAID": "maybe"}, "WS-PAID"),
        ({"WS-PAID": True}, "WS-PAID"),
        ({"WS-PAID": ["yes"]}, "WS-PAID"),
        ({"WS-PASSPORT": "neighbour"}, "WS-PASSPORT"),
        ({"WS-CONTRACT": "maybe"}, "WS-CONTRACT"),
        ({**PAID, "WS-PAID-TO": ["agency", "uncle"]}, "WS-PAID-TO"),
        ({**PAID, "WS-PAID-TO": [1]}, "WS-PAID-TO"),
        ({**PAID, "WS-PAID-FOR": {"medical": True}}, "WS-PAID-FOR"),
        ({**PAID, "WS-AMOUNT": {"amount": "a lot", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "1,500", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "NaN", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "Infinity", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": True, "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "-1", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "1.2345", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "1e12", "currency": "USD"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "250", "currency": "XYZ"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "250", "currency": "dollars"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": {"amount": "250"}}, "WS-AMOUNT"),
        ({**PAID, "WS-AMOUNT": "250 USD"}, "WS-AMOUNT"),
    ],
)
def test_a_bad_answer_is_refused_by_its_question_and_nothing_is_saved(world, answers, key):
    _batch, codes = world.issue(count=1)

    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(code=codes[0], answers=answers, language="en")

    assert list(refused.value.error_dict) == [key]
    assert refused.value.error_dict[key][0].message
    nothing_saved(codes[0])


def test_answers_not_given_by_question_are_refused(world):
    _batch, codes = world.issue(count=1)

    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(code=codes[0], answers=["yes", "no"], language="en")

    assert list(refused.value.error_dict) == ["answers"]
    nothing_saved(codes[0])


def test_every_problem_is_named_at_once_the_language_too(world):
    _batch, codes = world.issue(count=1)
    answers = {**EVERYTHING, "WS-PAID-TO": ["uncle"], "WS-PASSPORT": "x", "WS-EXTRA": "yes"}

    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(code=codes[0], answers=answers, language="de")

    assert sorted(refused.value.error_dict) == ["WS-EXTRA", "WS-PAID-TO", "WS-PASSPORT", "language"]
    nothing_saved(codes[0])


def test_the_pages_check_answers_screen_by_screen(world):
    survey = worker_survey_get(standard=world.standard)
    paid_to = survey.question("WS-PAID-TO")

    assert surveys.survey_answers_clean(survey=survey, answers={"WS-PAID": "yes"}) == PAID
    assert surveys.survey_question_asked(paid_to, PAID) is True
    assert surveys.survey_question_asked(paid_to, {"WS-PAID": "no"}) is False
    with pytest.raises(ValidationError):
        surveys.survey_answers_clean(survey=survey, answers={"WS-PAID": "oui"})


# --- the admin -----------------------------------------------------------------------------


def test_the_admin_shows_counts_never_a_code_or_an_answer(client, world):
    batch, codes = world.issue(count=3)
    response = surveys.survey_answer(code=codes[0], answers=EVERYTHING, language="en")
    client.force_login(UserFactory(admin=True))

    pages = [
        reverse("admin:monitoring_surveybatch_changelist"),
        reverse("admin:monitoring_surveybatch_change", args=[batch.pk]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        for code in codes:
            assert code not in text and surveys.survey_code_hash(code) not in text
        assert "1200.5" not in text and "WS-PASSPORT" not in text
    listed = client.get(pages[0]).context["cl"].result_list
    assert [(b.count, b.answer_count) for b in listed] == [(3, 1)]
    # no list of single responses (each with its agency, language and day), nor one of them
    for model in ("surveycode", "surveyanswer", "surveyresponse"):
        assert client.get(f"/admin/monitoring/{model}/").status_code == 404
    assert client.get(f"/admin/monitoring/surveyresponse/{response.pk}/change/").status_code == 404


def test_an_agency_unrelated_to_a_batch_sees_nothing_of_it(world):
    world.answered([EVERYTHING])
    other = AgencyFactory()

    assert survey_selectors.survey_counts(other) == survey_selectors.SurveyCounts(0, 0)
    assert survey_selectors.survey_signals(other) == ()
