"""Private files on the file system or in an S3-compatible object store (issue 16): the same
upload and download, through the same permission checks, objects never public."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audits.models import Evidence
from config.object_store import S3_BACKEND, private_storage
from tests.certification.world import World
from tests.object_store import file_fields, s3_client

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def test_without_a_bucket_private_files_stay_on_the_file_system(tmp_path):
    assert private_storage({}, tmp_path) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None},
    }


def test_with_a_bucket_they_go_to_the_object_store_private_and_never_overwritten():
    chosen = private_storage({"OBJECT_STORE_BUCKET": "evidence", "OBJECT_STORE_PREFIX": "p"}, None)
    assert chosen["BACKEND"] == S3_BACKEND
    options = chosen["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("evidence", "p")
    assert options["default_acl"] == "private"
    assert (options["querystring_auth"], options["querystring_expire"]) == (True, 60)
    assert options["file_overwrite"] is False
    assert options["endpoint_url"] is None and options["access_key"] is None
    without_acls = private_storage({"OBJECT_STORE_BUCKET": "e", "OBJECT_STORE_ACL": ""}, None)
    assert without_acls["OPTIONS"]["default_acl"] is None


def test_every_file_the_project_keeps_is_in_private_storage():
    fields = file_fields()
    assert {f.model.__name__ for f in fields} == {"Evidence", "ComplaintFile", "AppealFile"}
    assert all(f._storage_callable.__name__ == "private_storage" for f in fields)


@pytest.fixture(params=["file system", "object store"])
def where(request):
    if request.param == "object store":
        return request.getfixturevalue("s3_private")
    return None


@pytest.mark.django_db
def test_evidence_is_uploaded_and_read_back_only_through_the_permission_checks(where):
    world = World()
    case = world.case_in("in_review")  # its answers exist: the file supports one
    agency = APIClient()
    agency.force_authenticate(world.agency_member)
    upload = SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")
    response = agency.post(
        f"/api/v1/cases/{case.pk}/evidence/",
        {"file": upload, "question": "A1-01"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])

    download = agency.get(f"/api/v1/evidence/{evidence.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    outsider = APIClient()
    outsider.force_authenticate(world.employer_member)
    assert outsider.get(f"/api/v1/evidence/{evidence.pk}/file/").status_code == 404

    if where is None:
        assert evidence.file.storage.path(evidence.file.name).startswith(
            str(storages["private"].location)
        )
        return
    client = s3_client(where["OBJECT_STORE_ENDPOINT_URL"])
    bucket = where["OBJECT_STORE_BUCKET"]
    [stored] = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert stored["Key"] == f"private/{evidence.file.name}"
    assert client.get_object(Bucket=bucket, Key=stored["Key"])["Body"].read() == PDF
    grants = client.get_object_acl(Bucket=bucket, Key=stored["Key"])["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's, nobody else's
    assert not any(g["Grantee"].get("URI") in PUBLIC_GROUPS for g in grants)
    # A URL, were one made, is signed and short-lived; no view hands one out.
    query = parse_qs(urlparse(evidence.file.storage.url(evidence.file.name)).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]


@pytest.mark.django_db
def test_two_files_of_the_same_name_keep_their_own_objects(s3_private):
    storage = storages["private"]
    first = storage.save("evidence/a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1 first"))
    second = storage.save("evidence/a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1 second"))
    assert first != second
    assert storage.open(first).read() == b"%PDF-1 first"
    assert storage.open(second).read() == b"%PDF-1 second"
