"""The worker survey on the scheme's pages (issue 15 §1 and §3): the agency's survey page
(issue codes, batches with their cards, the answers from k workers, the signals), the counts
the agency reads on its case page, the survey in the reviewer's record, and the signals on
the audit page, which block the audit's completion until each has a note."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from certification import services
from certification.models import CaseState
from monitoring.models import SurveyBatch
from tests.certification.survey_world import FINE, PEOPLE, SIGNALLED, SurveyWorld
from tests.certification.world import RATIONALE, REFUSAL
from tests.web.conftest import field_errors, messages_of, signed_in

pytestmark = pytest.mark.django_db

ROLES = PEOPLE


@pytest.fixture
def world():
    world = SurveyWorld()
    world.case = world.case_in("auditing")
    return world


def page(world) -> str:
    return f"/agencies/{world.agency.public_id}/surveys/"


def browser_of(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.actor(role))
    return client


def grades(**notes):
    """Every criterion conforming, with the note given (none unless given)."""
    data = {}
    for slug in ("A1", "C1-1", "C2-1"):
        data[f"grade-{slug}"] = "conforming"
        data[f"text-{slug}"] = notes.get(slug.replace("-", "_"), "")
    return data


# --- the survey page ---------------------------------------------------------------------------


def test_who_opens_the_survey_page(world):
    observed = tuple(browser_of(world, role).get(page(world)).status_code for role in ROLES)

    assert observed == (302, 404, 404, 200, 404, 200, 404)


def test_who_may_post_to_the_survey_page(world):
    observed = tuple(
        browser_of(world, role).post(page(world), {"batch-count": "2"}).status_code
        for role in ROLES
    )

    assert observed == (302, 404, 404, 302, 404, 302, 404)
    assert SurveyBatch.objects.count() == 2


def test_a_reviewer_issues_a_batch_and_finds_its_cards(world):
    client = signed_in(world.reviewer)

    done = client.post(page(world), {"batch-count": "8", "batch-corridor": "NP-QA"}, follow=True)

    batch = SurveyBatch.objects.get()
    assert (batch.count, batch.origin.code, batch.destination.code) == (8, "NP", "QA")
    assert messages_of(done) == ["8 codes issued. Download their cards below and print them."]
    html = done.content.decode()
    assert f'href="/api/v1/survey-batches/{batch.public_id}/cards/"' in html
    assert "Nepal → Qatar" in html
    cards = client.get(f"/api/v1/survey-batches/{batch.public_id}/cards/")
    assert cards.status_code == 200 and cards.content.startswith(b"%PDF")


def test_the_auditor_prints_only_the_cards_they_issued(world):
    by_reviewer = world.answered([FINE])
    client = signed_in(world.auditor)
    client.post(page(world), {"batch-count": "2"})
    mine = SurveyBatch.objects.exclude(pk=by_reviewer.pk).get()

    html = client.get(page(world)).content.decode()

    assert f"/api/v1/survey-batches/{mine.public_id}/cards/" in html
    assert f"/api/v1/survey-batches/{by_reviewer.public_id}/cards/" not in html
    assert "printed by whoever issued them" in html


@override_settings(SURVEY_BATCH_MAX=20)
@pytest.mark.parametrize("count", ["0", "21", "ten", ""])
def test_a_count_outside_the_limits_is_refused_beside_the_field(world, count):
    response = signed_in(world.reviewer).post(page(world), {"batch-count": count})

    assert response.status_code == 400
    assert list(field_errors(response)) == ["count"]
    assert "From 1 to 20." in response.content.decode()
    assert not SurveyBatch.objects.exists()


def test_the_corridor_is_chosen_among_the_agencys(world):
    response = signed_in(world.reviewer).post(
        page(world), {"batch-count": "2", "batch-corridor": "BD-SA"}
    )

    assert response.status_code == 400
    assert list(field_errors(response)) == ["corridor"]


@override_settings(SURVEY_MIN_ANSWERS=3)
@pytest.mark.parametrize("role", ["reviewer", "assigned_auditor"])
def test_the_answers_are_hidden_below_k_and_shown_from_k(world, role):
    client = signed_in(world.actor(role))
    world.answered([SIGNALLED, FINE])

    below = client.get(page(world)).content.decode()
    world.answered([FINE])
    at_k = client.get(page(world)).content.decode()

    assert "Fewer than 3 answers (2 so far)" in below
    assert "Did you pay?" not in below.split('id="survey-answers"')[1].split("survey-signals")[0]
    assert "Fewer than 3 answers" not in at_k
    assert "3 workers answered." in at_k
    # one worker's amount is never shown: the count only, below k workers in the currency
    assert "USD: 1 reported (fewer than 3: no median or total)" in at_k
    assert "median 900" not in at_k
    assert "Yes: 1 (33.3 %)" in at_k
    assert "updated every" not in at_k  # the scheme reads the live figures


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_a_currencys_median_and_total_are_shown_from_k_workers(world):
    world.answered([SIGNALLED] * 3)

    html = signed_in(world.reviewer).get(page(world)).content.decode()

    assert "USD: 3 reported, median 900, total 2700" in html


def test_the_signals_are_on_the_survey_page_from_the_first_worker(world):
    world.answered([SIGNALLED])

    html = signed_in(world.reviewer).get(page(world)).content.decode()

    assert "1 worker reported: Did you pay? — Yes" in html
    assert "1 worker reported: Who has your passport? — The agency" in html


def test_the_survey_page_costs_the_same_queries_for_1_and_20_batches(
    world, django_assert_max_num_queries
):
    client = signed_in(world.reviewer)
    world.answered([SIGNALLED] * 5)  # k: the aggregate is shown from the first count on
    with CaptureQueriesContext(connection) as one:
        assert client.get(page(world)).status_code == 200
    for _ in range(19):
        world.answered([SIGNALLED, FINE])

    with django_assert_max_num_queries(len(one)):
        response = client.get(page(world))

    assert len(response.context["rows"]) == 20


# --- the case page -----------------------------------------------------------------------------


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_the_agency_reads_counts_and_the_aggregate_only_from_k_never_the_signals(world):
    client = signed_in(world.agency_member)
    world.answered([SIGNALLED, FINE])
    url = f"/cases/{world.case.pk}/"

    below = client.get(url).content.decode()
    world.answered([FINE])
    at_k = client.get(url).content.decode()

    for html in (below, at_k):
        assert 'id="case-survey"' in html
        assert "worker reported" not in html  # no signal, ever
        assert f"/agencies/{world.agency.public_id}/surveys/" not in html
    assert "Fewer than 3 answers (2 so far)" in below and "Did you pay?" not in below
    assert "3 workers answered." in at_k and "Did you pay?" in at_k


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_the_agencys_case_page_changes_only_every_k_answers(world):
    client = signed_in(world.agency_member)
    url = f"/cases/{world.case.pk}/"
    world.answered([FINE, FINE, FINE])
    three = client.get(url)
    world.answered([SIGNALLED])  # the 4th worker: paid 900 USD, passport held by the agency

    four = client.get(url)

    html = four.content.decode()
    assert three.context["agency_survey"]["aggregate"] == four.context["agency_survey"]["aggregate"]
    assert "3 workers answered." in html and "updated every 3 answers" in html
    assert "USD" not in html and "The agency: 1" not in html
    assert four.context["agency_survey"]["counts"].answered == 4  # the total received only


def test_the_reviewer_reads_the_survey_in_the_record_and_the_way_to_the_page(world):
    world.answered([SIGNALLED])

    html = signed_in(world.reviewer).get(f"/cases/{world.case.pk}/").content.decode()

    assert 'id="record-survey"' in html
    assert "1 worker reported: Who has your passport? — The agency" in html
    assert f'href="/agencies/{world.agency.public_id}/surveys/"' in html


def test_the_auditor_finds_the_survey_page_from_the_case_and_audit_pages(world):
    client = signed_in(world.auditor)

    for url in (f"/cases/{world.case.pk}/", f"/cases/{world.case.pk}/audit/"):
        assert (
            f'href="/agencies/{world.agency.public_id}/surveys/"'
            in client.get(url).content.decode()
        )


# --- the audit page ----------------------------------------------------------------------------


def test_the_audit_page_lists_the_signals_under_their_criteria(world):
    world.answered([SIGNALLED, SIGNALLED, FINE])

    response = signed_in(world.auditor).get(f"/cases/{world.case.pk}/audit/")

    html = response.content.decode()
    assert "2 workers reported: Did you pay? — Yes" in html
    assert "2 workers reported: Who has your passport? — The agency" in html
    rows = {row["criterion"].code: row["signal"] for row in response.context["rows"]}
    assert rows["A1"] is None
    assert rows["C1.1"].criterion == "C1.1" and rows["C1.1"].addressed is False
    assert response.context["survey"]["unaddressed"] == ["C1.1", "C2.1"]
    assert 'id="survey-signals-missing"' in html


def test_the_audit_page_tells_the_auditor_the_agency_reads_the_notes(world):
    world.answered([SIGNALLED])
    client = signed_in(world.auditor)
    url = f"/cases/{world.case.pk}/audit/"

    html = client.get(url).content.decode()
    client.post(url, grades())
    refused = client.post(url + "complete/", {"complete_audit-understood": "on"})

    warning = "Never write that a worker or the survey reported it"
    assert warning in html.split('id="audit-survey-signals"')[1].split("</section>")[0]
    assert warning in refused.context["complete_form"].non_field_errors()[0]


def _completed(world):
    """The world's audit completed (a note on C1.1, where a signal may be), in review."""
    world.grade_without_notes(world.case)
    services.finding_record(
        actor=world.auditor,
        case=world.case,
        criterion="C1.1",
        grade="conforming",
        text="Receipts checked: no fee was paid.",
    )
    services.case_complete_audit(actor=world.auditor, case=world.case)
    world.case.refresh_from_db()
    assert world.case.state == CaseState.IN_REVIEW


def test_a_completed_audit_shows_the_signals_up_to_the_day_it_was_completed(world):
    world.answered([{"WS-PAID": "yes"}])
    _completed(world)
    world.answered([{"WS-PASSPORT": "agency"}], days_ago=-2)  # after the audit

    html = signed_in(world.auditor).get(f"/cases/{world.case.pk}/audit/").content.decode()

    assert "1 worker reported: Did you pay? — Yes" in html
    assert "Who has your passport?" not in html


@pytest.mark.parametrize("end", ["refuse", "withdraw"])
def test_the_former_auditor_of_a_case_that_is_over_sees_no_signal_on_its_audit_page(world, end):
    _completed(world)
    if end == "refuse":
        services.case_refuse(actor=world.reviewer, case=world.case, rationale=REFUSAL)
    else:
        services.case_certify(actor=world.reviewer, case=world.case, rationale=RATIONALE)
        services.case_withdraw(actor=world.reviewer, case=world.case, reason="Found out.")
    world.answered([SIGNALLED], days_ago=-1)  # a new answer, after the case is over

    response = signed_in(world.auditor).get(f"/cases/{world.case.pk}/audit/")
    case_page = signed_in(world.auditor).get(f"/cases/{world.case.pk}/").content.decode()

    html = response.content.decode()
    assert response.status_code == 200  # the audit itself is still theirs to read
    assert "worker reported" not in html and 'id="audit-survey-signals"' not in html
    assert response.context["survey"]["signals"] == []
    assert "worker reported" not in case_page
    assert f"/agencies/{world.agency.public_id}/surveys/" not in case_page


def test_the_audit_page_speaks_the_readers_language(world):
    world.answered([SIGNALLED])
    client = signed_in(world.auditor)

    html = client.get(f"/cases/{world.case.pk}/audit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Avez-vous payé ?" in html and "Qui a votre passeport ?" in html


def test_signals_block_completion_on_the_page_until_each_has_a_note(world):
    world.answered([SIGNALLED])
    client = signed_in(world.auditor)
    url = f"/cases/{world.case.pk}/audit/"
    client.post(url, grades())

    refused = client.post(url + "complete/", {"complete_audit-understood": "on"})

    assert refused.status_code == 409
    (error,) = refused.context["complete_form"].non_field_errors()
    assert "C1.1, C2.1" in error and "survey" in error
    assert "Still to address, workers' survey signals on C1.1, C2.1" in refused.content.decode()
    world.case.refresh_from_db()
    assert world.case.state == CaseState.AUDITING

    client.post(url, grades(C1_1="Receipts checked: the visa fee was refunded."))
    again = client.post(url + "complete/", {"complete_audit-understood": "on"})
    assert again.status_code == 409
    assert "C2.1" in again.context["complete_form"].non_field_errors()[0]
    assert "C1.1," not in again.context["complete_form"].non_field_errors()[0]

    saved = client.post(
        url,
        grades(
            C1_1="Receipts checked: the visa fee was refunded.",
            C2_1="Every worker met holds their passport.",
        ),
        follow=True,
    )
    assert 'id="survey-signals-missing"' not in saved.content.decode()
    done = client.post(url + "complete/", {"complete_audit-understood": "on"}, follow=True)
    assert messages_of(done)[-1] == "The audit is complete."
    world.case.refresh_from_db()
    assert world.case.state == CaseState.IN_REVIEW


def test_completing_from_the_case_page_is_refused_the_same_way(world):
    world.answered([{"WS-PASSPORT": "agency"}])
    world.grade_without_notes(world.case)

    response = signed_in(world.auditor).post(
        f"/cases/{world.case.pk}/transitions/complete_audit/", {"complete_audit-understood": "on"}
    )

    assert response.status_code == 409
    assert "C2.1" in response.content.decode()
