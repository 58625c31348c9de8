"""An agency's worker survey through the API, the scheme's side (issue 15 §1 and §3): batches
issued and listed, their cards as a PDF, the summary hidden below k and shown from k for
every role, the signals for the scheme only, in a constant number of queries."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from certification.services import surveys as scheme_surveys
from monitoring.models import SurveyBatch
from monitoring.surveys import survey_code_printed
from recruiters import services as credentials
from tests.certification.survey_world import FINE, PEOPLE, SIGNALLED, SurveyWorld

pytestmark = pytest.mark.django_db

ROLES = (*PEOPLE, "employer_key")


@pytest.fixture
def world():
    world = SurveyWorld()
    world.case = world.case_in("auditing")  # the assigned auditor leads its audit
    return world


def client(world, role) -> APIClient:
    api = APIClient()
    if role == "employer_key":
        employer = world.employer_member.memberships.get(role="employer_member").employer
        _key, secret = credentials.employer_key_create(
            actor=world.employer_member, employer=employer, name="k"
        )
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    elif role != "anonymous":
        api.force_authenticate(world.actor(role))
    return api


def batches_url(world) -> str:
    return f"/api/v1/agencies/{world.agency.public_id}/survey-batches/"


def summary_url(world, query="") -> str:
    return f"/api/v1/agencies/{world.agency.public_id}/survey-summary/{query}"


def cards_url(batch) -> str:
    return f"/api/v1/survey-batches/{batch.public_id}/cards/"


def statuses(world, method, url, body=None):
    return tuple(
        getattr(client(world, role), method)(url, body or {}, format="json").status_code
        for role in ROLES
    )


# --- who -------------------------------------------------------------------------------------


def test_who_lists_the_batches(world):
    world.answered([FINE])

    assert statuses(world, "get", batches_url(world)) == (401, 200, 404, 200, 404, 200, 404, 403)


def test_who_issues_a_batch(world):
    observed = statuses(world, "post", batches_url(world), {"count": 2})

    assert observed == (401, 403, 404, 201, 404, 201, 404, 403)
    assert SurveyBatch.objects.count() == 2


def test_who_prints_the_cards_of_a_batch_the_reviewer_issued(world):
    batch = world.answered([FINE])

    # The agency's auditor knows the batch but did not issue it: 403; the agency 404.
    assert statuses(world, "get", cards_url(batch)) == (401, 404, 404, 403, 404, 200, 404, 403)


def test_who_prints_the_cards_of_a_batch_the_auditor_issued(world):
    batch, _codes = scheme_surveys.survey_batch_issue(
        actor=world.auditor, agency=world.agency, count=2
    )

    assert statuses(world, "get", cards_url(batch)) == (401, 404, 404, 200, 404, 200, 404, 403)


def test_an_unknown_batch_is_404_for_everyone_signed_in(world):
    url = "/api/v1/survey-batches/00000000-0000-4000-8000-000000000000/cards/"

    assert statuses(world, "get", url) == (401, 404, 404, 404, 404, 404, 404, 403)


def test_who_reads_the_summary(world):
    assert statuses(world, "get", summary_url(world)) == (401, 200, 404, 200, 404, 200, 404, 403)


# --- what each sees of the batches -------------------------------------------------------------


def test_the_scheme_reads_who_issued_a_batch_and_where_its_cards_are(world):
    response = client(world, "reviewer").post(
        batches_url(world), {"count": 3, "corridor": "np-qa"}, format="json"
    )

    assert response.status_code == 201
    batch = SurveyBatch.objects.get()
    assert response.json() == {
        "id": str(batch.public_id),
        "corridor": "NP-QA",
        "standard": "mini",
        "version": "1.1",
        "count": 3,
        "answered": 0,
        "issued_at": response.json()["issued_at"],
        "expires_at": response.json()["expires_at"],
        "issued_by": "reviewer",
        "cards": cards_url(batch),
    }
    assert response["Location"] == cards_url(batch)  # the codes only on the cards


def test_the_agency_reads_its_batches_as_counts_only(world):
    world.answered([FINE, FINE], corridor="NP-QA")

    rows = client(world, "agency_member").get(batches_url(world)).json()["results"]

    assert len(rows) == 1
    # a batch's answers beside its date and corridor would tell when who answered: the
    # agency reads its total in the summary only
    assert rows[0]["count"] == 2 and rows[0]["answered"] is None
    assert rows[0]["issued_by"] is None and rows[0]["cards"] is None
    summary = client(world, "agency_member").get(summary_url(world)).json()
    assert summary["answered"] == 2
    scheme = client(world, "reviewer").get(batches_url(world)).json()["results"]
    assert scheme[0]["answered"] == 2


@override_settings(SURVEY_BATCH_MAX=10)
@pytest.mark.parametrize("count", [0, 11, -3, "many", None])
def test_a_count_outside_the_limits_is_400_on_count(world, count):
    response = client(world, "reviewer").post(batches_url(world), {"count": count}, format="json")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["count"]
    assert not SurveyBatch.objects.exists()


@override_settings(SURVEY_BATCH_MAX=10)
def test_the_limit_is_allowed(world):
    response = client(world, "assigned_auditor").post(
        batches_url(world), {"count": 10}, format="json"
    )

    assert response.status_code == 201 and response.json()["count"] == 10


def test_a_corridor_that_is_not_the_agencys_is_400_on_corridor(world):
    response = client(world, "reviewer").post(
        batches_url(world), {"count": 2, "corridor": "BD-SA"}, format="json"
    )

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["corridor"]


# --- the cards -------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_cards_open_with_every_code_and_render(world, tmp_path):
    batch, codes = scheme_surveys.survey_batch_issue(
        actor=world.reviewer, agency=world.agency, count=9, corridor="NP-QA"
    )

    response = client(world, "reviewer").get(cards_url(batch))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    path = tmp_path / "cards.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for code in codes:
        assert survey_code_printed(code) in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (page,) = tmp_path.glob("page-*.png")
    assert page.read_bytes().startswith(b"\x89PNG") and page.stat().st_size > 10_000


# --- k, for every role -------------------------------------------------------------------------

READERS = ("agency_member", "assigned_auditor", "reviewer")


@override_settings(SURVEY_MIN_ANSWERS=3)
@pytest.mark.parametrize("role", READERS)
def test_below_k_the_summary_says_only_how_many_answered(world, role):
    world.answered([SIGNALLED, FINE])  # k - 1

    body = client(world, role).get(summary_url(world)).json()

    assert body["shown"] is False
    assert body["answers"] == 2 and body["minimum"] == 3
    assert body["questions"] == []
    assert body["issued"] == 2 and body["answered"] == 2


@override_settings(SURVEY_MIN_ANSWERS=3)
@pytest.mark.parametrize("role", READERS)
def test_from_k_the_summary_shows_the_answers_put_together(world, role):
    world.answered([SIGNALLED, FINE, FINE])  # k

    body = client(world, role).get(summary_url(world)).json()

    assert body["shown"] is True and body["answers"] == 3
    paid = next(q for q in body["questions"] if q["code"] == "WS-PAID")
    assert paid["criterion"] == "C1.1" and paid["text"] == "Did you pay?"
    assert paid["counts"] == [
        {"answer": "yes", "label": "Yes", "count": 1},
        {"answer": "no", "label": "No", "count": 2},
    ]
    assert paid["issues"] == [{"answer": "yes", "label": "Yes", "count": 1, "share": "0.3333"}]
    amount = next(q for q in body["questions"] if q["code"] == "WS-AMOUNT")
    # one worker's amount is never given: the count only, below k workers in the currency
    assert amount["amounts"] == [{"currency": "USD", "reporting": 1, "median": None, "total": None}]
    fees = next(q for q in body["questions"] if q["code"] == "WS-FOR")
    assert {c["category"]: c["count"] for c in fees["fee_categories"]} == {
        "medical": 0,
        "administrative": 1,
    }


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_from_k_workers_in_a_currency_its_median_and_total_are_given(world):
    world.answered([SIGNALLED, SIGNALLED, SIGNALLED])

    body = client(world, "agency_member").get(summary_url(world)).json()

    amount = next(q for q in body["questions"] if q["code"] == "WS-AMOUNT")
    assert amount["amounts"] == [
        {"currency": "USD", "reporting": 3, "median": "900", "total": "2700"}
    ]


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_the_agencys_summary_changes_only_every_k_answers(world):
    world.answered([FINE, FINE, FINE])
    before = client(world, "agency_member").get(summary_url(world)).json()
    world.answered([SIGNALLED])  # a fourth worker: paid, passport held

    after = client(world, "agency_member").get(summary_url(world)).json()
    live = client(world, "reviewer").get(summary_url(world)).json()

    assert before["stepped"] is True and before["answers"] == 3
    assert after["questions"] == before["questions"] and after["answers"] == 3
    assert after["answered"] == 4  # the total received, and nothing of what the 4th said
    assert live["stepped"] is False and live["answers"] == 4
    assert live["questions"] != after["questions"]


@override_settings(SURVEY_MIN_ANSWERS=3)
@pytest.mark.parametrize("answers", [[SIGNALLED], [SIGNALLED, FINE, FINE]])
def test_the_signals_are_the_schemes_below_and_above_k_never_the_agencys(world, answers):
    world.answered(answers)

    for role in ("assigned_auditor", "reviewer"):
        signals = client(world, role).get(summary_url(world)).json()["signals"]
        assert [s["criterion"] for s in signals] == ["C1.1", "C2.1"]
        assert signals[0]["lines"][0]["sentence"] == "1 worker reported: Did you pay? — Yes"
    assert client(world, "agency_member").get(summary_url(world)).json()["signals"] is None


@override_settings(SURVEY_MIN_ANSWERS=2)
def test_a_corridors_summary_and_a_bad_corridor(world):
    world.answered([FINE, FINE], corridor="NP-QA")
    api = client(world, "reviewer")

    corridor = api.get(summary_url(world, "?corridor=NP-QA")).json()
    refused = api.get(summary_url(world, "?corridor=Nepal"))

    assert corridor["corridor"] == "NP-QA" and corridor["shown"] is True
    assert refused.status_code == 400
    assert [e["attr"] for e in refused.json()["errors"]] == ["corridor"]


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "agency_member"])
def test_the_batch_list_costs_the_same_queries_for_1_and_20_batches(
    world, role, django_assert_max_num_queries
):
    api = client(world, role)
    world.answered([FINE])
    with CaptureQueriesContext(connection) as one:
        assert api.get(batches_url(world)).status_code == 200
    for _ in range(19):
        world.answered([FINE])
    with django_assert_max_num_queries(len(one)):
        rows = api.get(batches_url(world)).json()["results"]
    assert len(rows) == 20


def test_the_summary_costs_the_same_queries_for_5_and_40_answers(
    world, django_assert_max_num_queries
):
    api = client(world, "reviewer")
    world.answered([SIGNALLED] * 5)
    with CaptureQueriesContext(connection) as five:
        assert api.get(summary_url(world)).json()["shown"] is True
    world.answered([SIGNALLED, FINE] * 10)
    world.answered([FINE] * 15, corridor="NP-QA")
    with django_assert_max_num_queries(len(five)):
        body = api.get(summary_url(world)).json()
    assert body["answers"] == 40
