"""The case page shows the whole record; certifying asks for the reviewer's rationale and a
box per item to confirm; heavy steps say what they will do before they are taken (issue 13)."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from certification import services
from certification.models import Decision, WatchedAgency
from certification.selectors.record import case_record
from tests.certification.test_whole_record import reviewed_case
from tests.certification.world import RATIONALE, refreshed
from tests.dates import long_day
from tests.factories import EmployerFactory
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def api_client_for():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def certify_form(response):
    (form,) = [f for f in response.context["transition_forms"] if f.name == "certify"]
    return form


def test_the_reviewer_reads_the_whole_record_on_the_case_page(world):
    case = reviewed_case(world)

    response = signed_in(world.reviewer).get(f"/cases/{case.pk}/")

    page = text_of(response)
    for seen in (
        "The agency's answers",
        "policy.pdf",  # the agency's evidence of an answer
        "safe.pdf",  # the auditor's evidence of a finding
        "refunds.pdf",  # the agency's evidence of its corrective action
        "Worker costs declared",
        "120 QAR",
        "Medical examinations",
        "Forced-labour indicators: Debt bondage",
        "Minor non-conformity; treated as major non-conformity because C2.1 is zero-tolerance",
        "Checked the records of every worker placed since.",  # the verification note
        "The plan answers the cause found.",  # the acceptance note
        "To confirm as remediated before certifying",
        "A1: forced-labour indicators (debt bondage)",
        "C2.1 : declared compliant, found major non-conformity",
    ):
        assert seen in page, seen
    criterion = case.standard.criteria.get(code="C2.1")
    assert html.unescape(criterion.text_en) in html.unescape(response.content.decode())


def test_the_record_is_read_by_the_agency_and_the_auditor_and_nobody_else(world):
    case = reviewed_case(world)

    for person, status in (
        (world.agency_member, 200),
        (world.auditor, 200),
        (world.reviewer, 200),
        (world.other_agency_member, 404),
        (world.other_auditor, 404),
        (world.employer_member, 404),
    ):
        assert signed_in(person).get(f"/cases/{case.pk}/").status_code == status, person


def test_certifying_without_a_rationale_shows_why_and_keeps_what_was_typed(world):
    case = reviewed_case(world)
    keys = [item.key for item in case_record(case).to_confirm]

    response = signed_in(world.reviewer).post(
        f"/cases/{case.pk}/transitions/certify/",
        {
            "certify-reason": "Looks fine.",
            "certify-confirmations": keys,
            "certify-understood": "on",
        },
    )

    assert response.status_code == 400
    assert certify_form(response).errors == {
        "reason": [
            "Write the rationale of the decision: what it rests on, in at least 40 "
            "characters (11 given) to certify."
        ]
    }
    assert "Looks fine." in response.content.decode()
    assert (refreshed(case).state, Decision.objects.count()) == ("in_review", 0)


def test_certifying_needs_a_box_ticked_for_each_item(world):
    case = reviewed_case(world)
    items = case_record(case).to_confirm
    client = signed_in(world.reviewer)
    sent = {"certify-reason": RATIONALE, "certify-understood": "on"}

    page = client.get(f"/cases/{case.pk}/")
    assert [key for key, _label in certify_form(page).fields["confirmations"].choices] == [
        item.key for item in items
    ]
    partial = client.post(
        f"/cases/{case.pk}/transitions/certify/",
        {**sent, "certify-confirmations": [items[0].key]},
    )
    assert partial.status_code == 400
    (error,) = certify_form(partial).errors["confirmations"]
    assert error.startswith("Confirm that each of these has been remediated")
    assert items[1].what in error and items[0].what not in error
    unticked = client.post(
        f"/cases/{case.pk}/transitions/certify/",
        {"certify-reason": RATIONALE, "certify-confirmations": [i.key for i in items]},
    )
    assert certify_form(unticked).errors == {
        "understood": ["Tick the box to confirm that you mean it."]
    }
    assert refreshed(case).state == "in_review"

    done = client.post(
        f"/cases/{case.pk}/transitions/certify/",
        {**sent, "certify-confirmations": [i.key for i in items]},
        follow=True,
    )

    assert done.status_code == 200 and refreshed(case).state == "certified"


def test_suspending_names_the_certificate_and_the_employers_who_will_be_told(world):
    case = world.case_in("certified")
    for _ in range(3):
        WatchedAgency.objects.create(employer=EmployerFactory(), agency=case.agency)

    page = text_of(signed_in(world.reviewer).get(f"/cases/{case.pk}/"))

    number = refreshed(case).certificate.number
    assert (
        f"The certificate {number} will be suspended and shown so on the public register; "
        "3 employers watching this agency will be told." in page
    )
    assert f"The certificate {number} will be withdrawn for good" in page


@pytest.mark.parametrize(
    ("state", "step", "words"),
    [
        ("draft", "submit", "will go to the scheme; it cannot be changed again"),
        ("in_review", "refuse", "will be refused and this case closed for good"),
        ("in_review", "certify", "no employer watches this agency"),
        ("auditing", "complete_audit", "The audit will be closed with 0 findings"),
        ("draft", "cancel", "will be cancelled; this cannot be undone"),
    ],
)
def test_each_heavy_step_says_what_it_will_do_and_waits_for_the_box(world, state, step, words):
    case = world.case_in(state)
    person = {
        "submit": world.agency_member,
        "cancel": world.agency_member,
        "complete_audit": world.auditor,
    }.get(step, world.reviewer)
    client = signed_in(person)

    assert words in text_of(client.get(f"/cases/{case.pk}/"))
    response = client.post(f"/cases/{case.pk}/transitions/{step}/", {f"{step}-reason": RATIONALE})

    assert response.status_code == 400
    (form,) = [f for f in response.context["transition_forms"] if f.name == step]
    assert form.errors["understood"] == ["Tick the box to confirm that you mean it."]
    assert refreshed(case).state == state


def test_the_record_over_the_api_is_the_pages_record(world, api_client_for):
    case = reviewed_case(world)
    record = case_record(case)

    body = api_client_for(world.reviewer).get(f"/api/v1/cases/{case.pk}/record/").json()

    assert [i["key"] for i in body["to_confirm"]] == [i.key for i in record.to_confirm]
    (audit,) = body["audits"]
    c21 = next(f for f in audit["findings"] if f["criterion"] == "C2.1")
    assert (c21["grade"], c21["effective_grade"], c21["evidence"][0]["name"]) == (
        "minor",
        "major",
        "safe.pdf",
    )
    assert c21["corrective_action"]["evidence"][0]["name"] == "refunds.pdf"
    assert body["worker_costs"] == [
        {
            "category": "medical",
            "amount": "120",
            "currency": "QAR",
            "borne_by": "employer",
            "route": "paid",
        }
    ]
    answer = next(a for a in body["answers"] if a["question"] == "A1-01")
    assert (answer["status"], answer["evidence"][0]["name"]) == ("compliant", "policy.pdf")


def test_certifying_over_the_api_needs_the_confirmations(world, api_client_for):
    case = reviewed_case(world)
    client = api_client_for(world.reviewer)
    url = f"/api/v1/cases/{case.pk}/transitions/certify/"

    short = client.post(url, {"reason": "ok"}, format="json")
    missing = client.post(url, {"reason": RATIONALE}, format="json")

    assert (short.status_code, missing.status_code) == (400, 400)
    assert [e["attr"] for e in short.json()["errors"]] == ["reason"]
    assert [e["attr"] for e in missing.json()["errors"]] == ["confirmations"]
    assert refreshed(case).state == "in_review"
    keys = [i.key for i in case_record(case).to_confirm]
    done = client.post(url, {"reason": RATIONALE, "confirmations": keys}, format="json")
    assert (done.status_code, done.json()["state"]) == (200, "certified")


def test_the_agency_sees_no_finding_of_an_audit_under_way(world, api_client_for):
    case = world.case_in("auditing")
    world.record_findings(case, A1="minor")

    agency_page = signed_in(world.agency_member).get(f"/cases/{case.pk}/")
    reviewer_page = signed_in(world.reviewer).get(f"/cases/{case.pk}/")
    agency_api = api_client_for(world.agency_member).get(f"/api/v1/cases/{case.pk}/record/")

    assert agency_page.context["record"].audits == ()
    assert 'class="finding card"' not in agency_page.content.decode()
    assert len(reviewer_page.context["record"].audits[0].findings) == 3
    assert agency_api.json()["audits"] == []


def _auditing_on_site_in_4_days(world):
    case = world.case_in("submitted")
    on_site = timezone.localdate() + timedelta(days=4)
    services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=timezone.localdate(),
        stage2_date=on_site,
    )
    services.case_start_audit(actor=world.auditor, case=refreshed(case))
    world.record_findings(refreshed(case))
    return refreshed(case), on_site


def test_completing_before_the_on_site_date_is_refused_on_the_page_and_the_api(
    world, api_client_for
):
    case, on_site = _auditing_on_site_in_4_days(world)
    refusal = (
        f"the on-site stage of this audit is on {long_day(on_site)}: complete it from that day"
    )

    page = signed_in(world.auditor).post(
        f"/cases/{case.pk}/audit/complete/", {"complete_audit-understood": "on"}
    )
    api = api_client_for(world.auditor).post(
        f"/api/v1/cases/{case.pk}/transitions/complete_audit/", {}, format="json"
    )

    assert page.status_code == 409
    assert page.context["complete_form"].non_field_errors() == [refusal]
    assert "reason" not in page.context["complete_form"].fields  # not allowed: none asked
    assert api.status_code == 409
    assert api.json()["errors"][0]["code"] == "on_site_date"
    assert refreshed(case).state == "auditing"


def test_early_completion_where_allowed_asks_why_and_keeps_what_was_typed(world, settings):
    settings.AUDIT_EARLY_COMPLETION_ALLOWED = True
    case, _on_site = _auditing_on_site_in_4_days(world)
    client = signed_in(world.auditor)

    unexplained = client.post(
        f"/cases/{case.pk}/audit/complete/", {"complete_audit-understood": "on"}
    )
    assert unexplained.status_code == 400
    assert unexplained.context["complete_form"].errors == {"reason": ["This field is required."]}
    done = client.post(
        f"/cases/{case.pk}/audit/complete/",
        {"complete_audit-understood": "on", "complete_audit-reason": "Visit brought forward."},
        follow=True,
    )

    assert done.status_code == 200 and refreshed(case).state == "in_review"
    assert case.events.get(transition="complete_audit").reason == "Visit brought forward."
