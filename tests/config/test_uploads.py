"""Request bodies are bounded while they arrive: a Content-Length over the limit is answered
413 unread, a body that passes the length check but carries more file bytes than allowed is
cut off at the limit, and no temporary file ever grows past it."""

import io

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audits.models import Evidence
from certification import services
from config.uploads import ENVELOPE_BYTES, UPLOAD_LIMITS
from tests.certification.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
BOUNDARY = "fairrecruit-boundary"


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def url_of(name: str) -> str:
    without_pk = {"web:supplier-check"} | {n for n in UPLOAD_LIMITS if "complaint" in n}
    return reverse(name, kwargs={} if name in without_pk else {"pk": 1})


def multipart(fields: dict, file_name: str, content: bytes, content_type="application/pdf"):
    lines = []
    for key, value in fields.items():
        lines += [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="{key}"'.encode(),
            b"",
            value.encode(),
        ]
    lines += [
        f"--{BOUNDARY}".encode(),
        f'Content-Disposition: form-data; name="file"; filename="{file_name}"'.encode(),
        f"Content-Type: {content_type}".encode(),
        b"",
        content,
        f"--{BOUNDARY}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines)


@pytest.mark.parametrize("name", sorted(UPLOAD_LIMITS))
def test_a_length_over_the_limit_is_answered_413_without_reading_the_body(name, settings):
    limit = getattr(settings, UPLOAD_LIMITS[name])

    response = Client().generic(
        "POST",
        url_of(name),
        b"",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    expected = (
        f"The request is too large: files of up to {filesizeformat(limit)} are accepted."
    ).replace("\xa0", "\xa0")
    if name.startswith("api:"):
        assert response.json() == {
            "type": "client_error",
            "errors": [{"code": "request_too_large", "detail": expected, "attr": None}],
        }
    else:
        assert expected in response.content.decode()
        assert "Nothing was saved." in response.content.decode()


def test_a_body_without_a_file_is_bounded_too(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = Client().generic(
        "POST",
        "/api/v1/supplier-checks/",
        b"",
        content_type="application/json",
        CONTENT_LENGTH="1001",
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert response.json()["errors"] == [
        {
            "code": "request_too_large",
            "detail": "The request is too large: at most 1000\xa0bytes are accepted.",
            "attr": None,
        }
    ]


@pytest.fixture
def evidence_case():
    world = World()
    case = world.case_in("draft")
    return world, case


def test_a_file_over_the_limit_inside_an_allowed_length_is_cut_off_at_the_limit(
    evidence_case, settings, monkeypatch, tmp_path
):
    world, case = evidence_case
    settings.EVIDENCE_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000  # so that the file goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    written = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    # 160 kB, in chunks of 64 kB: the second chunk passes the limit.
    body = multipart({"question": "A1-01"}, "big.pdf", PDF + b" " * 160_000)
    assert len(body) < settings.EVIDENCE_MAX_BYTES + ENVELOPE_BYTES  # the length check passes
    api = APIClient()
    api.force_authenticate(world.agency_member)

    response = api.generic(
        "POST",
        f"/api/v1/cases/{case.pk}/evidence/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 413
    assert response.json()["errors"] == [
        {
            "code": "request_too_large",
            "detail": "The request is too large: files of up to 97.7\xa0KB are accepted.",
            "attr": None,
        }
    ]
    assert 0 < sum(written) <= settings.EVIDENCE_MAX_BYTES
    assert not Evidence.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_file_within_the_limit_is_kept(evidence_case, settings):
    world, case = evidence_case
    settings.EVIDENCE_MAX_BYTES = 10_000
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"A1-01": "yes"}
    )
    api = APIClient()
    api.force_authenticate(world.agency_member)
    body = multipart({"question": "A1-01"}, "licence.pdf", PDF + b" " * 9_000)

    response = api.generic(
        "POST",
        f"/api/v1/cases/{case.pk}/evidence/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["size"] == len(PDF) + 9_000


def test_a_web_page_upload_over_the_limit_gets_the_page_that_says_so(evidence_case, settings):
    world, case = evidence_case
    settings.EVIDENCE_MAX_BYTES = 10_000
    client = Client()
    client.force_login(world.agency_member)
    body = multipart({"question": "A1-01"}, "big.pdf", PDF + b" " * 20_000)

    response = client.generic(
        "POST",
        f"/cases/{case.pk}/self-assessment/evidence/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_REFERER=f"http://testserver/cases/{case.pk}/self-assessment/A/",
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "files of up to 9.8\xa0KB are accepted." in page
    assert f'href="/cases/{case.pk}/self-assessment/A/"' in page
    assert not Evidence.objects.exists()
