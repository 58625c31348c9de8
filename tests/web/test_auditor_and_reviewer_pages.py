"""The auditor's audit page and corrective actions; the reviewer's queue and decisions."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audits.models import Evidence, Finding
from certification.models import CaseState
from tests.certification.world import RATIONALE
from tests.factories import CertificationBodyFactory, ConflictOfInterestFactory, MembershipFactory
from tests.web.conftest import field_errors, messages_of, signed_in
from tests.web.pages import pdf_upload

pytestmark = pytest.mark.django_db


def grades(**given):
    data = {}
    for slug in ("A1", "C1-1", "C2-1"):
        grade, text, indicators = given.get(slug, ("conforming", "Seen.", []))
        data[f"grade-{slug}"] = grade
        data[f"text-{slug}"] = text
        data[f"indicators-{slug}"] = indicators
    return data


def test_the_audit_page_lists_every_criterion_with_the_agency_answers_beside(world):
    case = world.case_in("auditing")
    response = signed_in(world.auditor).get(f"/cases/{case.pk}/audit/")
    rows = response.context["rows"]
    assert [r["criterion"].code for r in rows] == ["A1", "C1.1", "C2.1"]
    assert [(a["question"].code, a["shown"], a["status"]) for a in rows[0]["answers"]] == [
        ("A1-01", "Yes", "compliant")
    ]
    assert (response.context["graded"], response.context["total"]) == (0, 3)


def test_an_auditor_grades_every_criterion_then_completes_the_audit(world):
    case = world.case_in("auditing")
    client = signed_in(world.auditor)
    saved = client.post(
        f"/cases/{case.pk}/audit/",
        grades(A1=("minor", "One file lacked a receipt.", ["deception"])),
        follow=True,
    )
    assert messages_of(saved) == ["3 finding(s) saved."]
    assert saved.context["graded"] == 3
    finding = Finding.objects.get(criterion__code="A1")
    assert (finding.grade, finding.text, finding.indicators) == (
        "minor",
        "One file lacked a receipt.",
        ["deception"],
    )
    again = client.post(
        f"/cases/{case.pk}/audit/",
        grades(A1=("minor", "One file lacked a receipt.", ["deception"])),
        follow=True,
    )
    assert messages_of(again)[-1] == "0 finding(s) saved."
    client.post(
        f"/cases/{case.pk}/audit/evidence/", {"criterion": "A1", "file": pdf_upload("notes.pdf")}
    )
    assert list(
        Evidence.objects.filter(finding=finding).values_list("original_name", flat=True)
    ) == ["notes.pdf"]
    unticked = client.post(f"/cases/{case.pk}/audit/complete/")
    assert unticked.status_code == 400
    assert unticked.context["complete_form"].errors == {
        "understood": ["Tick the box to confirm that you mean it."]
    }
    assert (
        "The audit will be closed with 3 findings, which can no longer be changed; a "
        "corrective action will open for the agency for each non-conformity (1 so far)."
        in unticked.content.decode()
    )
    done = client.post(
        f"/cases/{case.pk}/audit/complete/", {"complete_audit-understood": "on"}, follow=True
    )
    assert messages_of(done)[-1] == "The audit is complete."
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTIVE_ACTION


def test_a_not_applicable_finding_without_its_reason_is_refused_beside_the_notes(world):
    case = world.case_in("auditing")
    response = signed_in(world.auditor).post(
        f"/cases/{case.pk}/audit/", grades(**{"C2-1": ("not_applicable", "", [])})
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "text-C2-1": ["text: a not_applicable finding needs the reason"]
    }
    assert sorted(Finding.objects.values_list("criterion__code", flat=True)) == ["A1", "C1.1"]


def test_an_unknown_grade_is_refused_beside_its_field(world):
    case = world.case_in("auditing")
    response = signed_in(world.auditor).post(
        f"/cases/{case.pk}/audit/", grades(A1=("excellent", "", []))
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "grade-A1": ["Select a valid choice. excellent is not one of the available choices."]
    }
    assert not Finding.objects.exists()


def test_completing_with_criteria_left_names_them(world):
    case = world.case_in("auditing")
    client = signed_in(world.auditor)
    client.post(f"/cases/{case.pk}/audit/", {"grade-A1": "conforming", "text-A1": ""})
    response = client.post(f"/cases/{case.pk}/audit/complete/", {"complete_audit-understood": "on"})
    assert response.status_code == 409
    assert response.context["complete_form"].non_field_errors() == [
        "2 criteria have no finding: C1.1, C2.1"
    ]
    case.refresh_from_db()
    assert case.state == CaseState.AUDITING


def test_a_planned_audit_is_started_from_its_page(world):
    case = world.case_in("audit_planned")
    client = signed_in(world.auditor)
    page = client.get(f"/cases/{case.pk}/audit/")
    assert page.context["form"] is None and "Start the audit" in page.content.decode()
    client.post(f"/cases/{case.pk}/audit/start/")
    case.refresh_from_db()
    assert case.state == CaseState.AUDITING


def test_the_auditor_rejects_then_accepts_a_corrective_action(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    agency, auditor = signed_in(world.agency_member), signed_in(world.auditor)
    answer = {"step": "submit", "root_cause": "No check.", "action": "Checks."}
    agency.post(f"/corrective-actions/{action.pk}/", answer)
    empty = auditor.post(f"/corrective-actions/{action.pk}/", {"step": "reject", "reason": ""})
    assert empty.status_code == 400
    assert field_errors(empty, "reject_form") == {"reason": ["This field is required."]}
    auditor.post(f"/corrective-actions/{action.pk}/", {"step": "reject", "reason": "Too vague."})
    action.refresh_from_db()
    assert (action.state, action.rejection_reason) == ("rejected", "Too vague.")
    agency.post(f"/corrective-actions/{action.pk}/", answer)
    auditor.post(f"/corrective-actions/{action.pk}/", {"step": "accept", "note": "Answers it."})
    action.refresh_from_db()
    assert action.state == "accepted"
    closed = auditor.post(f"/cases/{case.pk}/transitions/close_corrective_actions/")
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW


def test_verifying_a_plan_not_accepted_is_refused_with_the_reason(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    response = signed_in(world.auditor).post(
        f"/corrective-actions/{action.pk}/", {"step": "verify"}
    )
    assert response.status_code == 409
    assert response.context["step_form"].non_field_errors() == [
        "cannot verify a corrective action that is open"
    ]
    action.refresh_from_db()
    assert action.state == "open"


def test_the_review_queue_lists_cases_waiting_oldest_first(db):
    from tests.web.pages import PageWorld

    pages = PageWorld()
    response = signed_in(pages.reviewer).get("/review/")
    assert [c.state for c, _age in response.context["rows"]] == ["submitted"]
    by_state = signed_in(pages.reviewer).get("/review/?state=auditing")
    assert [c.pk for c, _age in by_state.context["rows"]] == [pages.cases["auditing"].pk]
    wrong = signed_in(pages.reviewer).get("/review/?state=nonsense")
    assert wrong.context["form"].errors == {
        "state": ["Select a valid choice. nonsense is not one of the available choices."]
    }


def test_plan_audit_shows_ineligible_auditors_with_the_reason(world):
    case = world.case_in("submitted")
    ConflictOfInterestFactory(auditor=world.other_auditor_membership, agency=world.agency)
    expired = MembershipFactory(
        auditor=True,
        certification_body=CertificationBodyFactory(
            name="Old Body", accredited_from=date(2010, 1, 1), accredited_until=date(2011, 1, 1)
        ),
    )
    response = signed_in(world.reviewer).get(f"/cases/{case.pk}/")
    (form,) = [f for f in response.context["transition_forms"] if f.name == "plan_audit"]
    assert [pk for pk, _label in form.fields["auditor"].choices] == [world.auditor_membership.pk]
    reasons = {a.pk: p.guard for a, p in response.context["ineligible"]}
    assert reasons == {
        world.other_auditor_membership.pk: "conflict_of_interest",
        expired.pk: "auditor_accredited",
    }
    text = response.content.decode()
    assert "declared a conflict of interest with" in text
    assert "Old Body is not valid on" in text


def test_plan_audit_errors_are_beside_their_fields(world):
    case = world.case_in("submitted")
    ConflictOfInterestFactory(auditor=world.other_auditor_membership, agency=world.agency)
    today = timezone.localdate()
    client = signed_in(world.reviewer)
    missing = client.post(f"/cases/{case.pk}/transitions/plan_audit/", {})
    assert missing.status_code == 400
    (form,) = [f for f in missing.context["transition_forms"] if f.name == "plan_audit"]
    assert set(form.errors) == {"auditor", "stage1_date", "stage2_date"}
    backwards = client.post(
        f"/cases/{case.pk}/transitions/plan_audit/",
        {
            "plan_audit-auditor": world.auditor_membership.pk,
            "plan_audit-stage1_date": (today + timedelta(days=9)).isoformat(),
            "plan_audit-stage2_date": (today + timedelta(days=2)).isoformat(),
        },
    )
    (form,) = [f for f in backwards.context["transition_forms"] if f.name == "plan_audit"]
    assert form.errors == {"stage2_date": ["The on-site stage comes after the document review."]}
    conflicted = client.post(
        f"/cases/{case.pk}/transitions/plan_audit/",
        {
            "plan_audit-auditor": world.other_auditor_membership.pk,
            "plan_audit-stage1_date": today.isoformat(),
            "plan_audit-stage2_date": today.isoformat(),
        },
    )
    # an auditor with a conflict of interest is not among the choices at all
    (form,) = [f for f in conflicted.context["transition_forms"] if f.name == "plan_audit"]
    assert conflicted.status_code == 400
    assert list(form.errors) == ["auditor"]
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_a_reviewer_plans_the_audit(world):
    case = world.case_in("submitted")
    today = timezone.localdate()
    response = signed_in(world.reviewer).post(
        f"/cases/{case.pk}/transitions/plan_audit/",
        {
            "plan_audit-auditor": world.auditor_membership.pk,
            "plan_audit-stage1_date": today.isoformat(),
            "plan_audit-stage2_date": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.assigned_auditor) == (
        CaseState.AUDIT_PLANNED,
        world.auditor_membership,
    )


@pytest.mark.parametrize("name", ["refuse", "suspend", "withdraw", "return_to_agency"])
def test_decisions_that_need_a_reason_say_so_beside_the_field(world, name):
    state = {"refuse": "in_review", "return_to_agency": "submitted"}.get(name, "certified")
    case = world.case_in(state)
    response = signed_in(world.reviewer).post(
        f"/cases/{case.pk}/transitions/{name}/", {f"{name}-understood": "on"}
    )
    assert response.status_code == 400
    (form,) = [f for f in response.context["transition_forms"] if f.name == name]
    assert form.errors == {"reason": ["This field is required."]}
    case.refresh_from_db()
    assert case.state == state


def test_a_reviewer_certifies_suspends_reinstates_and_withdraws(world):
    case = world.case_in("in_review")
    client = signed_in(world.reviewer)
    steps = [
        ("certify", {"certify-reason": RATIONALE, "certify-understood": "on"}, "certified"),
        (
            "suspend",
            {"suspend-reason": "Complaint received.", "suspend-understood": "on"},
            "suspended",
        ),
        ("reinstate", {"reinstate-reason": "Complaint unfounded."}, "certified"),
        (
            "withdraw",
            {"withdraw-reason": "Fees found on site.", "withdraw-understood": "on"},
            "withdrawn",
        ),
    ]
    for name, data, state in steps:
        response = client.post(f"/cases/{case.pk}/transitions/{name}/", data, follow=True)
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.state == state, name
    reasons = list(case.events.order_by("id").values_list("transition", "reason"))[-4:]
    assert reasons == [
        ("certify", RATIONALE),
        ("suspend", "Complaint received."),
        ("reinstate", "Complaint unfounded."),
        ("withdraw", "Fees found on site."),
    ]


def test_a_step_not_open_to_the_person_changes_nothing(world):
    case = world.case_in("in_review")
    response = signed_in(world.agency_member).post(
        f"/cases/{case.pk}/transitions/certify/", {"certify-reason": "Me!"}, follow=True
    )
    assert messages_of(response) == ["This step is not open to you now."]
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW


def test_the_case_page_shows_scores_findings_discrepancies_and_events(world):
    case = world.case_in("in_review")
    response = signed_in(world.reviewer).get(f"/cases/{case.pk}/")
    assert response.context["result"]["readiness"] == "ready"
    assert response.context["last_audit"].state == "completed"
    (audit,) = response.context["record"].audits
    assert [(f.criterion, f.grade) for f in audit.findings] == [
        ("A1", "conforming"),
        ("C1.1", "conforming"),
        ("C2.1", "conforming"),
    ]
    assert "Next step:" not in response.content.decode()
    assert [e.transition for e in response.context["events"]][:2] == [
        "complete_audit",
        "audit_complete",
    ]
    assert sorted(f.name for f in response.context["transition_forms"]) == ["certify", "refuse"]


def test_finding_evidence_needs_a_graded_criterion_and_a_file(world):
    case = world.case_in("auditing")
    client = signed_in(world.auditor)
    ungraded = client.post(
        f"/cases/{case.pk}/audit/evidence/",
        {"criterion": "A1", "file": pdf_upload()},
        follow=True,
    )
    assert messages_of(ungraded) == ["Grade criterion A1 and save it before adding evidence."]
    client.post(f"/cases/{case.pk}/audit/", {"grade-A1": "conforming"})
    no_file = client.post(f"/cases/{case.pk}/audit/evidence/", {"criterion": "A1"}, follow=True)
    assert messages_of(no_file)[-1] == "Choose a file to upload."
    assert not Evidence.objects.exists()


def test_verifying_without_a_note_shows_why_beside_the_field_and_keeps_nothing(world):
    case = world.case_in("corrective_action")
    action = case.audits.get().findings.get(criterion__code="A1").corrective_action
    signed_in(world.agency_member).post(
        f"/corrective-actions/{action.pk}/",
        {"step": "submit", "root_cause": "No check.", "action": "Checks."},
    )
    auditor = signed_in(world.auditor)
    auditor.post(f"/corrective-actions/{action.pk}/", {"step": "accept", "note": "Answers it."})

    response = auditor.post(f"/corrective-actions/{action.pk}/", {"step": "verify", "note": " "})

    assert response.status_code == 400
    assert field_errors(response, "verify_form") == {
        "note": ["Say what you checked to verify the closure."]
    }
    action.refresh_from_db()
    assert (action.state, action.acceptance_note, action.verification_note) == (
        "accepted",
        "Answers it.",
        "",
    )
