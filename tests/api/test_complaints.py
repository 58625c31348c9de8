"""Complaints through the API: filed by anyone, followed with number and code, read by
reviewers only (each reading logged), throttled per address."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from config.throttling import ComplaintThrottle, CounterThrottle
from monitoring.models import Complaint, ComplaintFile, ComplaintMessage, ComplaintReading
from tests.monitoring.helpers import DESCRIPTION, PNG, file_complaint, pdf_upload

pytestmark = pytest.mark.django_db

FILE = {
    "categories": ["fee_paid", "document_kept"],
    "description": DESCRIPTION,
    "agency": "Kathmandu Fair Jobs",
    "answer_language": "fr",
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_anyone_files_a_complaint_and_gets_a_receipt_once(api, world):
    response = api.post("/api/v1/complaints/", FILE, format="json")

    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"number", "follow_up_code", "state"}
    complaint = Complaint.objects.get(number=body["number"])
    assert complaint.agency == world.agency  # found by its name
    assert (complaint.zero_tolerance, complaint.answer_language, complaint.contact_encrypted) == (
        True,
        "fr",
        "",
    )


def test_the_agency_is_found_by_its_certificate_number(api, world):
    case = world.case_in("certified")

    response = api.post(
        "/api/v1/complaints/", {**FILE, "agency": case.certificate.number}, format="json"
    )

    assert Complaint.objects.get(number=response.json()["number"]).agency == case.agency


def test_an_unknown_agency_is_kept_with_its_text(api, world):
    response = api.post(
        "/api/v1/complaints/",
        {**FILE, "agency": "The man at the bus station", "contact": "+977 98 0000 0000"},
        format="json",
    )

    complaint = Complaint.objects.get(number=response.json()["number"])
    assert (complaint.agency, complaint.agency_text) == (None, "The man at the bus station")
    assert complaint.contact_encrypted and "977" not in complaint.contact_encrypted


def test_i_dont_know_its_name_keeps_the_text_even_when_it_matches(api, world):
    response = api.post("/api/v1/complaints/", {**FILE, "agency_unknown": True}, format="json")

    complaint = Complaint.objects.get(number=response.json()["number"])
    assert (complaint.agency, complaint.agency_text) == (None, "Kathmandu Fair Jobs")


def test_files_are_taken_in_multipart(api, world):
    response = api.post(
        "/api/v1/complaints/",
        {**FILE, "files": [pdf_upload(), pdf_upload("contract.pdf")]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert ComplaintFile.objects.count() == 2


def test_more_files_than_a_request_takes_is_a_400_in_the_error_format(api, world):
    response = api.post(
        "/api/v1/complaints/",
        {**FILE, "files": [pdf_upload(f"page{i}.pdf") for i in range(11)]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "too_many_files",
            "detail": "Too many files in one request: at most 10 are accepted.",
            "attr": "files",
        }
    ]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("upload", "setting"),
    [
        (lambda: pdf_upload("receipt.jpg"), None),  # a PDF named as a photo
        (lambda: pdf_upload("photo.png", PNG), None),  # sent as a PDF, is a PNG
        (lambda: pdf_upload("notes.txt", b"just text"), None),
        (lambda: pdf_upload("receipt.pdf"), 10),
    ],
)
def test_a_refused_file_saves_nothing(api, world, settings, upload, setting):
    if setting:
        settings.COMPLAINT_FILE_MAX_BYTES = setting

    response = api.post("/api/v1/complaints/", {**FILE, "files": [upload()]}, format="multipart")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["files"]
    assert (Complaint.objects.count(), ComplaintFile.objects.count()) == (0, 0)


def test_an_empty_description_and_an_unknown_category_are_named(api, world):
    response = api.post(
        "/api/v1/complaints/",
        {**FILE, "description": "", "categories": ["bribery"]},
        format="json",
    )

    assert response.status_code == 400
    assert {e["attr"].split(".")[0] for e in response.json()["errors"]} == {
        "description",
        "categories",
    }
    assert Complaint.objects.count() == 0


def test_follow_up_with_the_right_number_and_code(api, world):
    complaint, code = file_complaint()
    ComplaintMessage.objects.create(
        complaint=complaint, direction="internal", body_encrypted=""
    )  # never shown to the complainant

    response = api.post(
        "/api/v1/complaints/follow/", {"number": complaint.number, "code": code}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "number": complaint.number,
        "state": "received",
        "created_at": response.json()["created_at"],
        "messages": [],
    }


def test_a_wrong_number_and_a_wrong_code_get_the_same_answer(api, world):
    complaint, code = file_complaint()

    wrong_code = api.post(
        "/api/v1/complaints/follow/", {"number": complaint.number, "code": "x" * 32}, format="json"
    )
    wrong_number = api.post(
        "/api/v1/complaints/follow/", {"number": "CP-2020-000999", "code": code}, format="json"
    )

    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.content == wrong_number.content


def test_the_complainant_adds_a_message_and_a_file(api, world):
    complaint, code = file_complaint()

    response = api.post(
        "/api/v1/complaints/follow/messages/",
        {
            "number": complaint.number,
            "code": code,
            "text": "Also my friend.",
            "files": [pdf_upload()],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    message = ComplaintMessage.objects.get()
    assert (message.direction, message.files.count(), message.author) == (
        "from_complainant",
        1,
        None,
    )


def test_adding_with_a_wrong_code_saves_nothing(api, world):
    complaint, _code = file_complaint()

    response = api.post(
        "/api/v1/complaints/follow/messages/",
        {"number": complaint.number, "code": "wrong", "text": "Hello"},
        format="json",
    )

    assert response.status_code == 404
    assert ComplaintMessage.objects.count() == 0


def test_reviewers_read_a_complaint_and_the_reading_is_logged(api, world):
    complaint, _code = file_complaint(categories=["other"])
    urgent, _code = file_complaint(categories=["threatened"])
    api.force_authenticate(world.reviewer)

    listed = api.get("/api/v1/complaints/")
    read = api.get(f"/api/v1/complaints/{complaint.number}/")

    assert [row["number"] for row in listed.json()["results"]] == [urgent.number, complaint.number]
    assert "description" not in listed.json()["results"][0]
    assert read.status_code == 200
    assert (read.json()["description"], read.json()["contact"]) == (
        DESCRIPTION,
        "ram.worker@example.org",
    )
    assert read["Cache-Control"] == "no-store"
    assert list(ComplaintReading.objects.values_list("complaint", "reader")) == [
        (complaint.pk, world.reviewer.pk)
    ]


@pytest.mark.parametrize("role", ["agency_member", "auditor", "employer_member", "anonymous"])
def test_everyone_else_gets_404_and_no_credentials_401(api, world, role):
    complaint, _code = file_complaint(agency=world.agency)
    if role != "anonymous":
        api.force_authenticate(getattr(world, role))
    # Without credentials, 401 whatever the number: it says nothing of any complaint.
    expected = 401 if role == "anonymous" else 404

    assert api.get("/api/v1/complaints/").status_code == expected
    assert api.get(f"/api/v1/complaints/{complaint.number}/").status_code == expected
    assert api.get("/api/v1/complaints/CP-2026-999999/").status_code == expected
    assert ComplaintReading.objects.count() == 0


def test_intake_is_throttled_per_address(world, monkeypatch):
    monkeypatch.setattr(
        ComplaintThrottle,
        "THROTTLE_RATES",
        {**ComplaintThrottle.THROTTLE_RATES, "complaint": "2/hour"},
    )
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    client = APIClient()

    statuses = [
        client.post("/api/v1/complaints/", FILE, format="json").status_code for _ in range(3)
    ]
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.7").post(
        "/api/v1/complaints/", FILE, format="json"
    )

    assert statuses == [201, 201, 429]
    assert elsewhere.status_code == 201
    assert Complaint.objects.count() == 3
