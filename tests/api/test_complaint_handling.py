"""Reviewers handle complaints through the API: transitions, messages, the link to a case,
consequences through the case's workflow, the log; everyone else is told nothing exists."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from certification.models import CaseState
from monitoring.models import Complaint, ComplaintEvent, ComplaintReading, State
from tests.monitoring.helpers import file_complaint, pdf_upload

pytestmark = pytest.mark.django_db

MESSAGE = {"message": "We received your complaint and read it this week.", "note": "Fee case."}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def post(api, path, data):
    return api.post(f"/api/v1/complaints/{path}", data, format="json")


def test_a_reviewer_moves_a_complaint_on_and_the_complainant_reads_the_message(api, world):
    complaint, code = file_complaint()
    api.force_authenticate(world.reviewer)

    acknowledged = post(api, f"{complaint.number}/transitions/acknowledge/", MESSAGE)

    assert acknowledged.status_code == 200, acknowledged.json()
    body = acknowledged.json()
    assert (body["state"], body["available_transitions"]) == (
        "acknowledged",
        ["investigate", "not_substantiate", "refer", "withdraw"],
    )
    assert [d["deadline"] for d in body["deadlines"]] == ["investigate", "answer"]
    assert "description" not in body  # nothing decrypted, no reading logged
    assert ComplaintReading.objects.count() == 0
    api.force_authenticate(None)
    followed = api.post(
        "/api/v1/complaints/follow/", {"number": complaint.number, "code": code}, format="json"
    )
    assert followed.json()["state"] == "acknowledged"
    assert [m["text"] for m in followed.json()["messages"]] == [MESSAGE["message"]]


def test_a_refused_step_is_a_409_and_bad_input_a_400_naming_the_field(api, world):
    complaint, _code = file_complaint()
    api.force_authenticate(world.reviewer)

    too_soon = post(api, f"{complaint.number}/transitions/substantiate/", MESSAGE)
    no_message = post(api, f"{complaint.number}/transitions/acknowledge/", {"message": ""})
    unknown = post(api, f"{complaint.number}/transitions/forget/", MESSAGE)
    post(api, f"{complaint.number}/transitions/acknowledge/", MESSAGE)
    no_referral = post(api, f"{complaint.number}/transitions/refer/", MESSAGE)

    assert too_soon.status_code == 409
    assert too_soon.json()["errors"][0]["detail"] == (
        "cannot substantiate: the complaint is received"
    )
    assert no_message.status_code == 400
    assert no_message.json()["errors"][0]["attr"] == "message"
    assert unknown.status_code == 404
    assert no_referral.status_code == 400
    assert no_referral.json()["errors"][0]["attr"] == "referral"
    assert Complaint.objects.get(pk=complaint.pk).state == State.ACKNOWLEDGED


def test_messages_and_notes_without_a_change_of_state(api, world):
    complaint, code = file_complaint()
    api.force_authenticate(world.reviewer)

    to_them = post(
        api,
        f"{complaint.number}/messages/",
        {"direction": "to_complainant", "text": "Can you send the receipt?"},
    )
    note = post(
        api, f"{complaint.number}/messages/", {"direction": "internal", "text": "Call NGO."}
    )
    from_them = post(
        api, f"{complaint.number}/messages/", {"direction": "from_complainant", "text": "x"}
    )

    assert (to_them.status_code, note.status_code, from_them.status_code) == (201, 201, 400)
    assert to_them["Cache-Control"] == "no-store"
    events = api.get(f"/api/v1/complaints/{complaint.number}/events/").json()
    assert [(e["name"], e["source"], e["target"], e["actor"]) for e in events] == [
        ("write", "received", "received", "reviewer"),
        ("note", "received", "received", "reviewer"),
    ]
    api.force_authenticate(None)
    followed = api.post(
        "/api/v1/complaints/follow/", {"number": complaint.number, "code": code}, format="json"
    )
    assert [m["text"] for m in followed.json()["messages"]] == ["Can you send the receipt?"]


def test_link_then_substantiate_then_order_a_special_audit(api, world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint, _code = file_complaint(agency=None, agency_text="Fair Jobs")
    api.force_authenticate(world.reviewer)

    linked = post(
        api, f"{complaint.number}/link/", {"case": case.pk, "shared_summary": "Visa fees."}
    )
    for name in ("acknowledge", "investigate", "substantiate"):
        assert post(api, f"{complaint.number}/transitions/{name}/", MESSAGE).status_code == 200
    today = date.today()
    audit = post(
        api,
        f"{complaint.number}/special-audit/",
        {
            "auditor": world.other_auditor_membership.pk,
            "stage1_date": today.isoformat(),
            "stage2_date": (today + timedelta(days=2)).isoformat(),
        },
    )

    assert linked.status_code == 200
    assert (linked.json()["case"], linked.json()["agency"]) == (
        case.pk,
        str(world.agency.public_id),
    )
    assert audit.status_code == 201, audit.json()
    assert audit.json() == {
        "case": case.pk,
        "case_state": "certified",
        "audit": case.audits.get(kind="special").pk,
    }


def test_suspension_from_a_complaint_and_its_refusals(api, world):
    case = world.case_in(CaseState.CERTIFIED)
    complaint, _code = file_complaint(agency=world.agency)
    api.force_authenticate(world.reviewer)
    post(api, f"{complaint.number}/link/", {"case": case.pk})

    not_yet = post(api, f"{complaint.number}/suspend/", {"reason": "fees"})
    for name in ("acknowledge", "investigate", "substantiate"):
        post(api, f"{complaint.number}/transitions/{name}/", MESSAGE)
    no_reason = post(api, f"{complaint.number}/suspend/", {"reason": ""})
    suspended = post(api, f"{complaint.number}/suspend/", {"reason": "fees"})
    again = post(api, f"{complaint.number}/suspend/", {"reason": "fees"})
    no_such_case = post(api, f"{complaint.number}/link/", {"case": 999999})

    assert not_yet.status_code == 409
    assert not_yet.json()["errors"][0]["code"] == "complaint_state"
    assert no_reason.status_code == 400
    assert suspended.status_code == 200
    assert suspended.json()["case_state"] == "suspended"
    assert again.status_code == 409  # the workflow's own guard: already suspended
    assert no_such_case.status_code == 400
    assert case.events.get(transition="suspend").reason == (
        f"complaint {complaint.number} substantiated: fees"
    )


def test_a_reviewer_downloads_a_file_and_the_reading_is_logged(api, world):
    complaint, _code = file_complaint()
    from certification.complaint_intake import files_check
    from monitoring import services

    services.complaint_add_message(complaint=complaint, files=files_check([pdf_upload()]))
    stored = complaint.files.get()
    api.force_authenticate(world.reviewer)

    response = api.get(f"/api/v1/complaints/{complaint.number}/files/{stored.pk}/")
    missing = api.get(f"/api/v1/complaints/{complaint.number}/files/{stored.pk + 1}/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{complaint.number}-{stored.pk}.pdf"'
    )
    assert missing.status_code == 404
    assert list(ComplaintReading.objects.values_list("what", flat=True)) == ["file"]


ROUTES = [
    ("get", "{n}/events/", None),
    ("get", "{n}/files/1/", None),
    ("post", "{n}/transitions/acknowledge/", MESSAGE),
    ("post", "{n}/messages/", {"direction": "internal", "text": "x"}),
    ("post", "{n}/link/", {"case": None}),
    ("post", "{n}/special-audit/", {"auditor": 1, "stage1_date": "2026-12-01"}),
    ("post", "{n}/suspend/", {"reason": "x"}),
    ("post", "{n}/withdraw-certificate/", {"reason": "x"}),
]


@pytest.mark.parametrize("role", ["agency_member", "auditor", "employer_member", "anonymous"])
@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_everyone_but_a_reviewer_is_refused_and_nothing_changes(
    api, world, role, method, path, data
):
    complaint, _code = file_complaint(agency=world.agency)
    if role != "anonymous":
        api.force_authenticate(getattr(world, role))

    url = f"/api/v1/complaints/{path.format(n=complaint.number)}"
    response = api.get(url) if method == "get" else api.post(url, data, format="json")

    assert response.status_code == (401 if role == "anonymous" else 404)
    assert Complaint.objects.get(pk=complaint.pk).state == State.RECEIVED
    assert ComplaintEvent.objects.count() == 0
