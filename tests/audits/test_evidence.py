"""Evidence files: judged by their content, limited in size, fingerprinted, private."""

import hashlib
import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from audits.models import Answer, Evidence
from certification import services
from tests.certification.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.bin", "x")
    return buffer.getvalue()


@pytest.fixture
def answer():
    world = World()
    case = world.open()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"A1-01": "yes"}
    )
    return world, Answer.objects.get()


@pytest.mark.parametrize(
    ("content", "name", "expected_type"),
    [
        (PDF, "licence.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (JPEG, "scan.jpg", "image/jpeg"),
        (
            xlsx(),
            "ledger.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            docx(),
            "policy.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (PDF, "scan", "application/pdf"),  # a name without an extension claims nothing
    ],
)
def test_allowed_files_are_kept_privately_with_their_fingerprint(
    answer, content, name, expected_type
):
    world, record = answer

    evidence = services.evidence_upload(
        actor=world.agency_member,
        upload=SimpleUploadedFile(name, content, content_type=expected_type),
        answer=record,
    )

    assert (evidence.content_type, evidence.size, evidence.original_name) == (
        expected_type,
        len(content),
        name,
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert name not in evidence.file.name
    with services.evidence_open(actor=world.agency_member, evidence=evidence) as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "invoice.pdf"),  # a Windows program named as a PDF
        (b"<html><script>alert(1)</script></html>", "report.pdf"),
        (plain_zip(), "data.xlsx"),
        (b"", "empty.pdf"),
    ],
)
def test_other_files_are_refused_whatever_their_name(answer, content, name):
    world, record = answer

    with pytest.raises(ValidationError) as caught:
        services.evidence_upload(
            actor=world.agency_member, upload=SimpleUploadedFile(name, content), answer=record
        )

    assert caught.value.message_dict == {
        "file": ["Only PDF, JPEG, PNG, XLSX, DOCX files are accepted, judged by their content."]
    }
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "declared", "errors"),
    [
        (
            xlsx(),
            "evidence.pdf",
            "application/pdf",
            [
                "The file is named evidence.pdf, but its content is XLSX: "
                "give it a name ending in .xlsx.",
                "The file was sent as application/pdf, but its content is XLSX.",
            ],
        ),
        (
            PDF,
            "renamed.txt",
            "application/octet-stream",
            [
                "The file is named renamed.txt, but its content is PDF: give it a name ending in .pdf."
            ],
        ),
        (
            JPEG,
            "photo.jpg",
            "application/pdf",
            ["The file was sent as application/pdf, but its content is JPEG."],
        ),
        (
            PDF,
            "contract.pdf",
            "text/html; charset=utf-8",
            ["The file was sent as text/html, but its content is PDF."],
        ),
    ],
)
def test_a_file_whose_name_or_declared_type_contradicts_its_content_is_refused(
    answer, content, name, declared, errors
):
    world, record = answer

    with pytest.raises(ValidationError) as caught:
        services.evidence_upload(
            actor=world.agency_member,
            upload=SimpleUploadedFile(name, content, content_type=declared),
            answer=record,
        )

    assert caught.value.message_dict == {"file": errors}
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "declared"),
    [
        ("SCAN.JPEG", "image/pjpeg"),
        ("scan.jpg", "application/octet-stream"),
        ("scan.jfif", ""),
    ],
)
def test_usual_names_and_types_of_a_file_are_accepted(answer, name, declared):
    world, record = answer

    evidence = services.evidence_upload(
        actor=world.agency_member,
        upload=SimpleUploadedFile(name, JPEG, content_type=declared),
        answer=record,
    )

    assert (evidence.original_name, evidence.content_type) == (name, "image/jpeg")


def test_a_file_over_the_size_limit_is_refused(answer, settings):
    world, record = answer
    settings.EVIDENCE_MAX_BYTES = 100

    with pytest.raises(ValidationError) as caught:
        services.evidence_upload(
            actor=world.agency_member,
            upload=SimpleUploadedFile("big.pdf", PDF + b" " * 100, content_type="application/pdf"),
            answer=record,
        )

    assert caught.value.message_dict == {"file": ["The file is 150 bytes; the limit is 100 bytes."]}


def test_only_the_people_of_the_case_may_add_or_read_evidence(answer):
    world, record = answer
    evidence = services.evidence_upload(
        actor=world.agency_member,
        upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        answer=record,
    )

    with pytest.raises(PermissionDenied):
        services.evidence_upload(
            actor=world.other_agency_member,
            upload=SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf"),
            answer=record,
        )
    for outsider in (
        world.other_agency_member,
        world.employer_member,
        world.other_auditor,
        world.superuser,
    ):
        with pytest.raises(PermissionDenied):
            services.evidence_open(actor=outsider, evidence=evidence)
    services.evidence_open(actor=world.reviewer, evidence=evidence).close()
