"""Complaints at rest: numbered, flagged, encrypted, anonymous; read only by reviewers, logged."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from monitoring import crypto, selectors, services
from monitoring.models import Complaint, ComplaintFile, ComplaintMessage, ComplaintReading, State
from tests.certification.world import World
from tests.monitoring.helpers import CONTACT, DESCRIPTION, PDF, file_complaint

pytestmark = pytest.mark.django_db


def raw(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_a_complaint_is_numbered_received_and_its_code_is_kept_only_as_a_hash():
    complaint, code = file_complaint()

    assert re.fullmatch(r"CP-\d{4}-\d{6}", complaint.number)
    assert complaint.state == State.RECEIVED
    assert len(code) >= 32  # 192 random bits in URL-safe base64
    assert complaint.follow_up_hash == services.follow_up_hash(code)
    assert code not in str(raw("SELECT * FROM monitoring_complaint WHERE id = %s", complaint.pk))


@pytest.mark.parametrize(
    ("categories", "flagged"),
    [
        (["fee_paid"], True),
        (["document_kept"], True),
        (["contract_changed"], True),
        (["deceived"], True),
        (["threatened"], True),
        (["data_misused"], False),
        (["other"], False),
        (["other", "threatened"], True),
    ],
)
def test_zero_tolerance_is_flagged_at_intake(categories, flagged):
    complaint, _code = file_complaint(categories=categories)

    assert complaint.zero_tolerance is flagged


def test_categories_map_to_the_criteria_of_the_standard():
    complaint, _code = file_complaint(categories=["deceived", "threatened"])

    assert complaint.criteria == ["C3.1", "A2", "C2.2", "C2.3"]


def test_description_contact_messages_and_files_are_unreadable_in_the_database():
    complaint, _code = file_complaint()
    services.complaint_add_message(
        complaint=complaint,
        text="He called my mother.",
        files=[services.CheckedFile(content_type="application/pdf", data=PDF)],
    )

    description, contact = raw(
        "SELECT description_encrypted, contact_encrypted FROM monitoring_complaint WHERE id = %s",
        complaint.pk,
    )
    (body,) = raw("SELECT body_encrypted FROM monitoring_complaintmessage")
    assert "passport" not in description and "Doha" not in description
    assert "example.org" not in contact
    assert "mother" not in body
    assert crypto.decrypt(description) == DESCRIPTION  # with the key, and only with it
    stored = ComplaintFile.objects.get()
    with stored.file.open("rb") as handle:
        assert b"%PDF" not in handle.read()


def test_nothing_of_the_sender_is_stored():
    file_complaint()

    columns = {f.column for f in Complaint._meta.concrete_fields}
    assert not {
        c for c in columns if re.search(r"(^|_)(ip|address|agent|user|submitter|session)(_|$)", c)
    }
    message_columns = {f.column for f in ComplaintMessage._meta.concrete_fields}
    assert message_columns & {"author_id"} == {"author_id"}  # a reviewer's, later (§2)
    assert ComplaintMessage.objects.filter(author__isnull=False).count() == 0


def test_an_empty_description_and_an_unknown_category_are_refused_by_field():
    with pytest.raises(ValidationError) as refused:
        file_complaint(description="  ", categories=["bribery"])

    assert set(refused.value.message_dict) == {"description", "categories"}
    assert Complaint.objects.count() == 0


def test_follow_up_needs_both_number_and_code():
    complaint, code = file_complaint()
    _other, other_code = file_complaint()

    assert selectors.complaint_follow(complaint.number, code) == complaint
    assert selectors.complaint_follow(complaint.number.lower(), f" {code} ") == complaint
    assert selectors.complaint_follow(complaint.number, other_code) is None
    assert selectors.complaint_follow("CP-2026-999999", code) is None
    assert selectors.complaint_follow("not a number", code) is None


def test_only_reviewers_read_and_each_reading_is_logged():
    world = World()
    complaint, _code = file_complaint()

    contents = services.complaint_read(actor=world.reviewer, complaint=complaint)
    services.complaint_read(actor=world.reviewer, complaint=complaint)

    assert (contents.description, contents.contact) == (DESCRIPTION, CONTACT)
    assert ComplaintReading.objects.filter(reader=world.reviewer).count() == 2
    for person in (world.agency_member, world.auditor, world.employer_member):
        with pytest.raises(PermissionDenied):
            services.complaint_read(actor=person, complaint=complaint)
    assert ComplaintReading.objects.count() == 2


def test_keys_rotate_the_old_key_still_decrypts(settings):
    old = settings.COMPLAINT_ENCRYPTION_KEYS[0]
    token = crypto.encrypt("words")
    new = crypto.development_key("another secret")
    settings.COMPLAINT_ENCRYPTION_KEYS = [new, old]

    assert crypto.decrypt(token) == "words"
    rotated = crypto.rotate(token)
    settings.COMPLAINT_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "words"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token)
