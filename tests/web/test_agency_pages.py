"""The agency's pages: dashboard, opening a case, the self-assessment by principle, evidence,
the preview with its gap list, submission, the workbook, corrective actions, the profile."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audits.models import Evidence
from audits.selectors import engine_answers
from certification.models import CaseState, CertificationCase, WatchedAgency
from tests.audits.test_workbooks import filled
from tests.certification.world import COMPLIANT
from tests.factories import EmployerFactory
from tests.web.conftest import field_errors, messages_of, signed_in
from tests.web.pages import pdf_upload

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def costs_management(prefix="costs-C1-1-01", rows=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(rows),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }


def test_dashboard_shows_the_state_in_words_the_next_step_deadlines_and_watchers(world):
    case = world.case_in("corrective_action")
    WatchedAgency.objects.create(
        employer=EmployerFactory(name="Gulf Builders"), agency=world.agency
    )
    response = signed_in(world.agency_member).get("/dashboard/")
    text = response.content.decode()
    (row,) = response.context["agency_cases"]
    assert row["case"] == case
    assert "Answer each non-conformity with a corrective action plan" in text
    assert [a.finding.criterion.code for a in row["actions"]] == ["A1"]
    assert "Gulf Builders" in text
    assert response.context["can_open"] == []


def test_an_agency_opens_a_case_from_its_dashboard(world, settings):
    settings.SCHEME_STANDARD_CODE = "mini"
    client = signed_in(world.agency_member)
    response = client.post(
        "/cases/open/", {"agency": str(world.agency.public_id), "language": "fr"}
    )
    case = CertificationCase.objects.get(agency=world.agency)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/self-assessment/"
    assert (case.state, case.language) == (CaseState.DRAFT, "fr")
    again = client.post(
        "/cases/open/", {"agency": str(world.agency.public_id), "language": "en"}, follow=True
    )
    assert messages_of(again)[-1] == (
        f"{world.agency.name} already has an open case ({case.pk}, draft)"
    )


def test_nobody_opens_a_case_for_an_agency_not_theirs(world):
    response = signed_in(world.other_agency_member).post(
        "/cases/open/", {"agency": str(world.agency.public_id), "language": "en"}
    )
    assert response.status_code == 404
    assert not CertificationCase.objects.exists()


def test_the_self_assessment_shows_progress_by_principle(world):
    case = world.case_in("draft")
    signed_in(world.agency_member).post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})
    response = signed_in(world.agency_member).get(f"/cases/{case.pk}/self-assessment/")
    rows = [(r["principle"].code, r["answered"], r["total"]) for r in response.context["rows"]]
    assert rows == [("A", 1, 1), ("C1", 0, 4), ("C2", 0, 1)]
    assert (response.context["answered"], response.context["total"]) == (1, 6)


def test_a_draft_is_saved_answer_by_answer_and_shown_again(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    data = {
        "C1.1-01": "listed",
        "C1.1-02": "none",
        "C1.1-03": "100",
        "C1.1-04": "No fee.",
        **costs_management(rows=2),
        "costs-C1-1-01-0-category": "medical",
        "costs-C1-1-01-0-amount": "50",
        "costs-C1-1-01-0-currency": "usd",
        "costs-C1-1-01-0-borne_by": "employer",
        "costs-C1-1-01-0-route": "paid",
    }
    response = client.post(f"/cases/{case.pk}/self-assessment/C1/", data)
    assert response.status_code == 302
    stored = engine_answers(case.self_assessment)
    assert stored["C1.1-02"] == "none" and stored["C1.1-04"] == "No fee."
    assert str(stored["C1.1-03"]) == "100"
    assert [
        (c["category"], str(c["amount"]), c["currency"], c["borne_by"]) for c in stored["C1.1-01"]
    ] == [("medical", "50.000", "USD", "employer")]
    page = client.get(f"/cases/{case.pk}/self-assessment/C1/")
    form = page.context["form"]
    assert form["C1.1-02"].value() == "none"
    assert form.cost_sets["C1.1-01"].forms[0]["category"].value() == "medical"


def test_clearing_an_answer_removes_it(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})
    client.post(f"/cases/{case.pk}/self-assessment/A/", {})
    assert "A1-01" not in engine_answers(case.self_assessment)


def test_save_and_next_goes_to_the_next_principle(world):
    case = world.case_in("draft")
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes", "next_principle": "C1"}
    )
    assert response["Location"] == f"/cases/{case.pk}/self-assessment/C1/"


def test_invalid_answers_are_shown_beside_their_question_and_nothing_is_saved(world):
    case = world.case_in("draft")
    data = {
        "C1.1-02": "sometimes",
        "C1.1-03": "lots",
        **costs_management(rows=1),
        "costs-C1-1-01-0-category": "medical",
        "costs-C1-1-01-0-amount": "",
        "costs-C1-1-01-0-currency": "USD",
        "costs-C1-1-01-0-borne_by": "worker",
        "costs-C1-1-01-0-route": "paid",
    }
    response = signed_in(world.agency_member).post(f"/cases/{case.pk}/self-assessment/C1/", data)
    assert response.status_code == 400
    errors = field_errors(response)
    assert errors["C1.1-02"] == [
        "Select a valid choice. sometimes is not one of the available choices."
    ]
    assert errors["C1.1-03"] == ["Enter a number."]
    cost_form = response.context["form"].cost_sets["C1.1-01"].forms[0]
    assert cost_form.errors["amount"] == ["Fill in every column of the row, or none."]
    assert engine_answers(case.self_assessment) == {}


def test_the_engine_refusal_is_shown_beside_its_question(world):
    case = world.case_in("draft")
    data = {
        "C1.1-01": "listed",
        **costs_management(rows=1),
        "costs-C1-1-01-0-category": "medical",
        "costs-C1-1-01-0-amount": "5",
        "costs-C1-1-01-0-currency": "ZZZ",
        "costs-C1-1-01-0-borne_by": "worker",
        "costs-C1-1-01-0-route": "paid",
    }
    response = signed_in(world.agency_member).post(f"/cases/{case.pk}/self-assessment/C1/", data)
    assert response.status_code == 400
    assert field_errors(response)["C1.1-01"] == ["Cost no. 1, currency: unknown currency 'ZZZ'"]


def test_a_submitted_self_assessment_is_shown_but_not_saved(world):
    case = world.case_in("submitted")
    client = signed_in(world.agency_member)
    page = client.get(f"/cases/{case.pk}/self-assessment/A/")
    assert page.context["editable"] is False
    assert "Save as draft" not in page.content.decode()
    refused = client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "no"}, follow=True)
    assert messages_of(refused) == ["The self-assessment is submitted: it can no longer change."]
    assert engine_answers(case.self_assessment)["A1-01"] == "yes"


def test_an_unknown_principle_is_404(world):
    case = world.case_in("draft")
    assert (
        signed_in(world.agency_member).get(f"/cases/{case.pk}/self-assessment/Z9/").status_code
        == 404
    )


def test_evidence_is_added_to_an_answered_question(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    refused = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/",
        {"question": "A1-01", "file": pdf_upload()},
        follow=True,
    )
    assert messages_of(refused) == ["Answer question A1-01 and save it before adding evidence."]
    client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})
    added = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/",
        {"question": "A1-01", "file": pdf_upload("licence.pdf")},
        follow=True,
    )
    assert messages_of(added)[-1] == "Evidence added to A1-01."
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["licence.pdf"]
    assert "licence.pdf" in added.content.decode()


def test_evidence_of_a_forbidden_type_is_refused_with_the_reason(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})
    response = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/",
        {"question": "A1-01", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00binary")},
        follow=True,
    )
    assert messages_of(response)[-1] == (
        "Only PDF, JPEG, PNG, XLSX, DOCX files are accepted, judged by their content."
    )
    assert not Evidence.objects.exists()


def test_the_preview_shows_score_readiness_and_gaps_with_reasons(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "no"})
    client.post(f"/cases/{case.pk}/self-assessment/C2/", {"C2.1-01": "yes"})
    response = client.get(f"/cases/{case.pk}/self-assessment/preview/")
    result = response.context["result"]
    assert result["readiness"] == "not_ready"
    assert [g["criterion"] for g in response.context["gaps"]] == [
        g["criterion"] for g in result["gaps"]
    ]
    # zero tolerance first (unanswered C1.1, then the breach of C2.1), then A1
    assert [(g["criterion"], g["status"]) for g in response.context["gaps"]] == [
        ("C1.1", "unanswered"),
        ("C2.1", "non_compliant"),
        ("A1", "non_compliant"),
    ]
    assert response.context["gaps"][0]["text"] == world.standard.criteria.get(code="C1.1").text_en
    assert [u["code"] for u in response.context["unanswered"]] == [
        "C1.1-01",
        "C1.1-02",
        "C1.1-03",
    ]  # C1.1-04 is an optional text
    assert response.context["can_submit"] is True
    assert "Submit the self-assessment" in response.content.decode()


def test_submitting_an_incomplete_self_assessment_is_refused_with_the_guard(world):
    case = world.case_in("draft")
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/transitions/submit/", {"submit-understood": "on"}
    )
    assert response.status_code == 409
    (form,) = [f for f in response.context["transition_forms"] if f.name == "submit"]
    (error,) = form.non_field_errors()
    assert "C1.1-01" in error
    case.refresh_from_db()
    assert case.state == CaseState.DRAFT


def test_a_complete_self_assessment_is_submitted(world):
    case = world.case_in("draft")
    from certification import services

    services.self_assessment_save_answers(actor=world.agency_member, case=case, answers=COMPLIANT)
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/transitions/submit/", {"submit-understood": "on"}, follow=True
    )
    assert messages_of(response) == ["Done: Submit the self-assessment."]
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_the_workbook_is_downloaded_and_imported_back(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    download = client.get(f"/cases/{case.pk}/workbook/?download=empty")
    assert download["Content-Type"] == XLSX
    assert download.content[:2] == b"PK"
    upload = SimpleUploadedFile("sa.xlsx", filled(world.standard), content_type=XLSX)
    response = client.post(f"/cases/{case.pk}/workbook/", {"file": upload})
    assert response.status_code == 302
    assert engine_answers(case.self_assessment)["A1-01"] == "yes"


def test_workbook_errors_are_listed_by_cell_and_nothing_is_saved(world):
    case = world.case_in("draft")
    data = filled(world.standard, answers={**COMPLIANT, "A1-01": "maybe", "C1.1-01": "declared"})
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/workbook/", {"file": SimpleUploadedFile("sa.xlsx", data)}
    )
    assert response.status_code == 400
    assert response.context["problems"] == ["A!E2: answer must be one of “Yes”, “No”"]
    assert field_errors(response)["file"] == ["The workbook was not imported: nothing was saved."]
    assert engine_answers(case.self_assessment) == {}


def test_a_file_that_is_not_a_workbook_is_refused(world):
    case = world.case_in("draft")
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/workbook/", {"file": SimpleUploadedFile("sa.xlsx", b"hello")}
    )
    assert response.context["problems"] == ["file: not an Excel workbook (.xlsx)"]


def test_a_workbook_upload_without_a_file_says_so_beside_the_field(world):
    case = world.case_in("draft")
    response = signed_in(world.agency_member).post(f"/cases/{case.pk}/workbook/", {})
    assert response.status_code == 400
    assert field_errors(response) == {"file": ["This field is required."]}


def test_the_agency_answers_a_corrective_action_with_evidence(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    client = signed_in(world.agency_member)
    empty = client.post(f"/corrective-actions/{action.pk}/", {"step": "submit"})
    assert empty.status_code == 400
    assert field_errors(empty, "answer_form") == {
        "root_cause": ["This field is required."],
        "action": ["This field is required."],
    }
    client.post(
        f"/corrective-actions/{action.pk}/",
        {"step": "evidence", "file": pdf_upload("training.pdf")},
    )
    done = client.post(
        f"/corrective-actions/{action.pk}/",
        {"step": "submit", "root_cause": "No check.", "action": "Checks for every worker."},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.state, action.root_cause) == ("submitted", "No check.")
    assert list(action.evidence.values_list("original_name", flat=True)) == ["training.pdf"]


def test_the_agency_cannot_accept_its_own_corrective_action(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    response = signed_in(world.agency_member).post(
        f"/corrective-actions/{action.pk}/", {"step": "accept"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.state == "open"


def test_the_profile_is_edited_with_errors_beside_their_fields(world):
    client = signed_in(world.agency_member)
    url = f"/agencies/{world.agency.public_id}/profile/"
    bad = client.post(
        url,
        {
            "name": "",
            "legal_name": "Kathmandu Fair Jobs Pvt Ltd",
            "size_band": "lt100",
            "corridors": "NP-QA\nNepal to Qatar",
        },
    )
    assert bad.status_code == 400
    assert field_errors(bad) == {
        "name": ["This field is required."],
        "size_band": ["Select a valid choice. lt100 is not one of the available choices."],
        "corridors": ["Line 2: write two country codes, e.g. NP-QA."],
    }
    good = client.post(
        url,
        {
            "name": "Kathmandu Fair Jobs",
            "legal_name": "Kathmandu Fair Jobs Pvt Ltd",
            "size_band": world.agency.size_band,
            "sectors": ["construction", "care"],
            "corridors": "NP-QA\nnp-ae",
        },
    )
    assert good.status_code == 302
    world.agency.refresh_from_db()
    assert world.agency.legal_name == "Kathmandu Fair Jobs Pvt Ltd"
    assert sorted(f"{c.origin}-{c.destination}" for c in world.agency.corridors.all()) == [
        "NP-AE",
        "NP-QA",
    ]
    assert sorted(s.code for s in world.agency.sectors.all()) == ["care", "construction"]


def test_a_corridor_to_the_same_country_is_refused_beside_the_field(world):
    response = signed_in(world.agency_member).post(
        f"/agencies/{world.agency.public_id}/profile/",
        {
            "name": "K",
            "legal_name": "K Ltd",
            "size_band": world.agency.size_band,
            "corridors": "NP-NP",
        },
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "corridors": ["Line 1: origin and destination must be different countries."]
    }


def test_evidence_without_a_file_is_refused(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})
    response = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/", {"question": "A1-01"}, follow=True
    )
    assert messages_of(response)[-1] == "Choose a file to upload."
    assert not Evidence.objects.exists()


def test_corrective_action_evidence_without_a_file_is_refused(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    response = signed_in(world.agency_member).post(
        f"/corrective-actions/{action.pk}/", {"step": "evidence"}, follow=True
    )
    assert messages_of(response)[-1] == "Choose a file to upload."
    assert not Evidence.objects.exists()


def test_a_refusal_of_the_workflow_is_said_in_french_to_a_french_reader(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    client.cookies["django_language"] = "fr"
    response = client.post(f"/cases/{case.pk}/transitions/submit/", {"submit-understood": "on"})
    assert response.status_code == 409
    (form,) = [f for f in response.context["transition_forms"] if f.name == "submit"]
    assert form.non_field_errors() == [
        "5 questions sans réponse : A1-01, C1.1-01, C1.1-02, C1.1-03, C2.1-01"
    ]
