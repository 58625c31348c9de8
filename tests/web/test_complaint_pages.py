"""The complaint pages: filed without an account, a receipt shown once, followed with number
and code; the reviewers' pages, 404 for anyone else."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from config.throttling import ComplaintThrottle, CounterThrottle
from monitoring.models import Complaint, ComplaintFile, ComplaintMessage, ComplaintReading
from tests.monitoring.helpers import DESCRIPTION, file_complaint, pdf_upload
from tests.web.conftest import field_errors, signed_in

pytestmark = pytest.mark.django_db

FORM = {
    "agency": "",
    "agency_unknown": "on",
    "categories": ["threatened"],
    "description": DESCRIPTION,
    "answer_language": "en",
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_the_form_is_open_to_anyone_in_english_and_french():
    english = Client().get("/complaints/new/")
    french = Client(headers={"accept-language": "fr"}).get("/complaints/new/")

    assert english.status_code == french.status_code == 200
    assert french["Content-Language"] == "fr"
    assert 'name="description"' in english.content.decode()
    assert "<script" not in english.content.decode().split("</head>")[1]


def test_an_anonymous_complaint_gets_a_receipt_shown_once(world):
    client = Client()

    response = client.post("/complaints/new/", {**FORM, "files": [pdf_upload()]})

    assert response.status_code == 302
    assert response["Location"] == "/complaints/receipt/"
    receipt = client.get("/complaints/receipt/")
    complaint = Complaint.objects.get()
    page = receipt.content.decode()
    assert receipt["Cache-Control"] == "no-store"
    assert complaint.number in page
    code = receipt.context["receipt"]["code"]
    assert code in page and complaint.follow_up_hash not in page
    assert ComplaintFile.objects.filter(complaint=complaint).count() == 1
    again = client.get("/complaints/receipt/").content.decode()
    assert code not in again and complaint.number not in again


def test_a_signed_in_complainant_is_not_recorded_either(world):
    client = signed_in(world.agency_member)

    client.post(
        "/complaints/new/",
        {**FORM, "contact": "me@example.org"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10) Phone",
    )

    complaint = Complaint.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM monitoring_complaint")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "203.0.113.9" not in row and "Android" not in row
    assert world.agency_member.username not in row
    assert complaint.agency is None and complaint.agency_text == ""
    assert "example.org" not in complaint.contact_encrypted


def test_an_empty_description_is_named_beside_the_field_and_the_rest_is_kept(world):
    response = Client().post(
        "/complaints/new/",
        {**FORM, "description": "", "happened_where": "Doha", "categories": ["bribery"]},
    )

    assert response.status_code == 400
    errors = field_errors(response)
    assert set(errors) == {"description", "categories"}
    page = response.content.decode()
    assert 'id="id_description_error"' in page and 'value="Doha"' in page
    assert Complaint.objects.count() == 0


def test_a_refused_file_is_named_and_nothing_is_saved(world):
    response = Client().post(
        "/complaints/new/", {**FORM, "files": [pdf_upload("notes.txt", b"plain words")]}
    )

    assert response.status_code == 400
    assert list(field_errors(response)) == ["files"]
    assert DESCRIPTION in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_throttled_complaint_keeps_what_was_typed(world, monkeypatch):
    monkeypatch.setattr(
        ComplaintThrottle,
        "THROTTLE_RATES",
        {**ComplaintThrottle.THROTTLE_RATES, "complaint": "1/hour"},
    )
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    client = Client()
    client.post("/complaints/new/", FORM)

    response = client.post("/complaints/new/", {**FORM, "description": "My second story."})

    assert response.status_code == 429
    assert "My second story." in response.content.decode()
    assert Complaint.objects.count() == 1


def test_follow_up_shows_the_state_and_the_messages_to_the_complainant(world):
    complaint, code = file_complaint()
    from monitoring import crypto

    ComplaintMessage.objects.create(
        complaint=complaint, direction="to_complainant", body_encrypted=crypto.encrypt("We got it.")
    )
    ComplaintMessage.objects.create(
        complaint=complaint, direction="internal", body_encrypted=crypto.encrypt("Call the agent.")
    )

    response = Client().post("/complaints/follow/", {"number": complaint.number, "code": code})

    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "We got it." in page and "Call the agent." not in page
    assert DESCRIPTION not in page


def test_wrong_number_and_wrong_code_get_the_same_page(world):
    complaint, code = file_complaint()

    wrong_code = Client().post("/complaints/follow/", {"number": complaint.number, "code": "x"})
    wrong_number = Client().post("/complaints/follow/", {"number": "CP-2020-000001", "code": code})

    assert wrong_code.status_code == wrong_number.status_code == 404
    assert (
        wrong_code.context["form"].non_field_errors()
        == wrong_number.context["form"].non_field_errors()
    )
    assert complaint.number not in wrong_number.content.decode()


def test_the_complainant_adds_information_and_a_file(world):
    complaint, code = file_complaint()

    response = Client().post(
        "/complaints/follow/messages/",
        {"number": complaint.number, "code": code, "text": "More.", "files": [pdf_upload()]},
    )

    assert response.status_code == 200
    assert response.context["added"] is True
    message = ComplaintMessage.objects.get()
    assert message.files.count() == 1


def test_reviewers_read_complaints_zero_tolerance_first_each_reading_logged(world):
    plain, _code = file_complaint(categories=["other"])
    urgent, _code = file_complaint(categories=["fee_paid"])
    client = signed_in(world.reviewer)

    listed = client.get("/review/complaints/")
    read = client.get(f"/review/complaints/{plain.number}/")

    assert [c.number for c in listed.context["page"].object_list] == [urgent.number, plain.number]
    assert DESCRIPTION not in listed.content.decode()
    assert DESCRIPTION in read.content.decode()
    assert ComplaintReading.objects.filter(reader=world.reviewer, complaint=plain).count() == 1


def test_a_reviewer_downloads_a_file_decrypted_and_logged(world):
    from monitoring.services import CheckedFile
    from tests.monitoring.helpers import PDF

    complaint, _code = file_complaint(files=[CheckedFile(content_type="application/pdf", data=PDF)])
    stored = complaint.files.get()

    response = signed_in(world.reviewer).get(
        f"/review/complaints/{complaint.number}/files/{stored.pk}/"
    )

    assert response.content == PDF
    assert ComplaintReading.objects.get().what == "file"


@pytest.mark.parametrize("role", ["agency_member", "auditor", "employer_member", None])
def test_everyone_else_gets_404_on_the_reviewer_pages(world, role):
    complaint, _code = file_complaint(agency=world.agency)
    client = signed_in(getattr(world, role)) if role else Client()

    for url in ("/review/complaints/", f"/review/complaints/{complaint.number}/"):
        assert client.get(url).status_code == 404
    assert ComplaintReading.objects.count() == 0
