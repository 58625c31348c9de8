"""A reviewer handles a complaint on its page: each step with its message, refusals beside
the form with what was typed kept, consequences through the case's workflow; the case page
and the audit page show the agency's complaints without the complainant's words."""

from datetime import date

import pytest

from certification.models import CaseState
from certification.services import complaints as handling
from monitoring.models import Complaint, State
from tests.monitoring.helpers import DESCRIPTION, file_complaint
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

HEARD = "We received your complaint."
SHARED = "Visa fees reported by a worker placed in Doha in 2026."


def field_errors(form) -> dict:
    return {name: list(errors) for name, errors in form.errors.items()}


def page(client, complaint):
    return client.get(f"/review/complaints/{complaint.number}/")


def act(client, complaint, path, data):
    return client.post(f"/review/complaints/{complaint.number}/{path}", data)


def handled(world, complaint, *names):
    for name in names:
        handling.complaint_handle(
            actor=world.reviewer, complaint=complaint, name=name, message=HEARD
        )
    return Complaint.objects.get(pk=complaint.pk)


def test_the_page_offers_the_steps_the_state_allows(world):
    complaint, _code = file_complaint()
    client = signed_in(world.reviewer)

    received = page(client, complaint)
    handled(world, complaint, "acknowledge")
    acknowledged = page(client, complaint)

    assert [f.transition.name for f in received.context["transition_forms"]] == [
        "acknowledge",
        "withdraw",
    ]
    assert [f.transition.name for f in acknowledged.context["transition_forms"]] == [
        "investigate",
        "not_substantiate",
        "refer",
        "withdraw",
    ]
    assert received.context["consequences"] == {}
    assert "Acknowledge: " in received.content.decode()  # its deadline, in words


def test_a_step_without_a_message_is_refused_beside_the_field_and_the_note_is_kept(world):
    complaint, _code = file_complaint()
    client = signed_in(world.reviewer)

    refused = act(
        client,
        complaint,
        "transitions/acknowledge/",
        {"acknowledge-message": "", "acknowledge-note": "Call the NGO first."},
    )

    assert refused.status_code == 400
    (form,) = [f for f in refused.context["transition_forms"] if f.transition.name == "acknowledge"]
    assert field_errors(form) == {
        "message": ["Write the message the complainant will read on the follow-up page."]
    }
    assert "Call the NGO first." in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).state == State.RECEIVED


def test_a_step_done_goes_back_to_the_page_with_its_log(world):
    complaint, _code = file_complaint()
    client = signed_in(world.reviewer)

    done = act(
        client,
        complaint,
        "transitions/acknowledge/",
        {"acknowledge-message": HEARD, "acknowledge-shared_summary": SHARED},
    )
    after = page(client, complaint)

    assert done.status_code == 302
    assert done["Location"] == f"/review/complaints/{complaint.number}/"
    assert Complaint.objects.get(pk=complaint.pk).state == State.ACKNOWLEDGED
    assert [e.name for e in after.context["events"]] == ["acknowledge"]
    assert SHARED in after.content.decode()


def test_a_step_the_state_no_longer_allows_is_a_409_on_the_page(world):
    complaint, _code = file_complaint()
    client = signed_in(world.reviewer)
    handled(world, complaint, "withdraw")

    refused = act(client, complaint, "transitions/acknowledge/", {"acknowledge-message": HEARD})

    assert refused.status_code == 409
    assert "cannot acknowledge: the complaint is withdrawn" in refused.content.decode()


def test_link_substantiate_and_order_a_special_audit_from_the_page(world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint, _code = file_complaint(agency=None, agency_text="Fair Jobs")
    client = signed_in(world.reviewer)

    linked = act(client, complaint, "link/", {"link-case": case.pk, "link-shared_summary": SHARED})
    handled(world, complaint, "acknowledge", "investigate", "substantiate")
    shown = page(client, complaint)
    refused = act(
        client,
        complaint,
        "special-audit/",
        {"special-audit-auditor": world.other_auditor_membership.pk},
    )
    today = date.today().isoformat()
    ordered = act(
        client,
        complaint,
        "special-audit/",
        {
            "special-audit-auditor": world.other_auditor_membership.pk,
            "special-audit-stage1_date": today,
            "special-audit-stage2_date": today,
        },
    )

    assert linked.status_code == 302
    assert set(shown.context["consequences"]) == {
        "special_audit",
        "suspend",
        "withdraw_certificate",
    }
    assert refused.status_code == 400
    assert set(field_errors(refused.context["consequences"]["special_audit"])) == {
        "stage1_date",
        "stage2_date",
    }
    assert ordered.status_code == 302
    assert case.audits.filter(kind="special", state="planned").count() == 1


def test_suspension_from_the_page_names_the_complaint(world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint, _code = file_complaint(agency=world.agency)
    handling.complaint_link_case(actor=world.reviewer, complaint=complaint, case=case)
    handled(world, complaint, "acknowledge", "investigate", "substantiate")
    client = signed_in(world.reviewer)

    no_reason = act(client, complaint, "consequences/suspend/", {"suspend-reason": ""})
    done = act(client, complaint, "consequences/suspend/", {"suspend-reason": "fees taken"})
    unknown = act(client, complaint, "consequences/forget/", {"forget-reason": "x"})

    assert no_reason.status_code == 400
    assert done.status_code == 302
    assert unknown.status_code == 404
    case.refresh_from_db(fields=["suspended_at"])
    assert case.events.get(transition="suspend").reason == (
        f"complaint {complaint.number} substantiated: fees taken"
    )


def test_the_case_and_audit_pages_show_the_agencys_complaints_without_their_words(world):
    case = world.case_in(CaseState.AUDITING)
    complaint, _code = file_complaint(agency=world.agency, categories=["document_kept"])
    handling.complaint_link_case(
        actor=world.reviewer, complaint=complaint, case=case, shared_summary=SHARED
    )
    handled(world, complaint, "acknowledge")
    untouched, _code = file_complaint(agency=world.agency, categories=["deceived"])
    withdrawn, _code = file_complaint(agency=world.agency, categories=["data_misused"])
    handled(world, withdrawn, "withdraw")

    reviewer = signed_in(world.reviewer).get(f"/cases/{case.pk}/").content.decode()
    auditor = signed_in(world.auditor).get(f"/cases/{case.pk}/audit/").content.decode()
    agency = signed_in(world.agency_member).get(f"/cases/{case.pk}/").content.decode()

    for shown in (reviewer, auditor):
        assert "My passport or another document was kept" in shown
        assert SHARED in shown
        assert DESCRIPTION not in shown and "ram.worker@example.org" not in shown
    assert complaint.number in reviewer and untouched.number in reviewer
    # The auditor: only what a reviewer took up, by month, and no numbers.
    assert complaint.number not in auditor
    assert "I was deceived about the job" not in auditor  # received, not yet taken up
    assert "My personal data was misused" not in auditor  # withdrawn
    day = complaint.created_at
    assert f"{day:%B} {day.year}" in auditor
    assert f"{day:%B} {day.day}, {day.year}" not in auditor
    assert SHARED not in agency and "complaints-of-agency" not in agency
