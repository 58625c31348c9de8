"""The issuers' keys (issue 17): written to a private file, rotated with the old key
kept for what it signed, read from the environment or the file, refused when missing or
another; development keys; the DID document and lists served; the commands."""

import io
import json
import stat
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from certification import credentials, services
from certification.errors import TransitionNotAllowed
from certification.models import Certificate, Credential, Decision, IssuerKey, StatusList
from certification.services import identity
from certification.vc import core
from tests.certification.credentials_helpers import download, payload
from tests.certification.world import RATIONALE, World, refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


# --- keys -----------------------------------------------------------------------------------


def test_key_rotation_keeps_old_credentials_valid_and_refuses_the_old_key_after(world, client):
    case = world.case_in("certified")
    body = world.auditor_membership.certification_body
    old_key = IssuerKey.objects.get(certification_body=body)
    old_private = credentials._private_key(old_key)
    call_command("credential_key", body.slug, "--rotate", stdout=io.StringIO())

    old_key.refresh_from_db()
    assert old_key.retired_at is not None
    token, did_doc, lists = download(client, case.certificate)
    assert len(did_doc["verificationMethod"]) == 2
    assert did_doc["verificationMethod"][0]["revoked"]
    # Signed before the rotation: valid; the lists are signed by the new key.
    assert core.verify(token, did_doc, lists).result == "valid"
    # What the old key signs after its retirement is refused.
    late = core.sign(
        payload(token),
        old_private,
        f"{credentials.body_did(body)}#{old_key.name}",
        now=old_key.retired_at + timedelta(minutes=1),
    )
    assert core.verify(late, did_doc, lists).reason == "key_retired"


def test_the_key_command_writes_a_private_file_and_refuses_a_second_key(world, tmp_path):
    body = world.auditor_membership.certification_body
    with override_settings(CREDENTIAL_KEY_DIR=tmp_path):
        out = io.StringIO()
        call_command("credential_key", body.slug, stdout=out)
        key = IssuerKey.objects.get(certification_body=body)
        path = tmp_path / body.slug / f"{key.name}.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert core.public_jwk(core.load_key(path.read_bytes())) == key.public_jwk
        assert "d" not in key.public_jwk  # the private scalar never reaches the database
        with pytest.raises(Exception, match="already signs with"):
            call_command("credential_key", body.slug, stdout=io.StringIO())
        with pytest.raises(Exception, match="No certification body is called 'nobody'"):
            call_command("credential_key", "nobody", stdout=io.StringIO())


@override_settings(CREDENTIAL_DEVELOPMENT_KEYS=False)
def test_without_a_key_nothing_is_certified(world):
    case = world.case_in("in_review")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
    assert refused.value.guard == "issuer_key"
    body = world.auditor_membership.certification_body
    assert f"manage.py credential_key {body.slug}" in str(refused.value)
    assert refreshed(case).state == "in_review"
    assert not Certificate.objects.exists()
    assert not Decision.objects.exists()
    assert not Credential.objects.exists()
    assert not StatusList.objects.exists()


def test_a_key_whose_private_half_is_missing_refuses_certification(world, tmp_path):
    body = world.auditor_membership.certification_body
    with override_settings(CREDENTIAL_KEY_DIR=tmp_path, CREDENTIAL_DEVELOPMENT_KEYS=False):
        key, path = credentials.create_key(body)
        path.unlink()
        case = world.case_in("in_review")
        with pytest.raises(
            TransitionNotAllowed, match=f"CREDENTIAL_KEY_{body.slug.upper().replace('-', '_')}"
        ):
            services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
        assert refreshed(case).state == "in_review"
        # The key given in the environment instead: certified.
        other = core.generate_key()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(
                credentials.key_environment_variable(body), core.private_pem(other).decode()
            )
            with pytest.raises(TransitionNotAllowed, match="is another key"):
                services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
            key.public_jwk = core.public_jwk(other)
            key.save()
            services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
        assert refreshed(case).state == "certified"


def test_after_a_rotation_a_variable_still_holding_the_old_key_falls_back_to_the_file(
    world, client
):
    case = world.case_in("certified")
    body = world.auditor_membership.certification_body
    old_pem = credentials.key_path(body, IssuerKey.objects.get().name).read_bytes()
    call_command("credential_key", body.slug, "--rotate", stdout=io.StringIO())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(credentials.key_environment_variable(body), old_pem.decode())
        token, did_doc, lists = download(client, case.certificate)
    assert core.verify(token, did_doc, lists).result == "valid"


def test_a_development_key_signs_nothing_outside_development(world, client):
    case = world.case_in("certified")  # signed by a development key, made on first need
    body = world.auditor_membership.certification_body
    assert IssuerKey.objects.get().development is True
    status_list = StatusList.objects.get()
    with override_settings(CREDENTIAL_DEVELOPMENT_KEYS=False):
        answer = client.get(
            reverse("web:body-status-list", args=[body.slug, status_list.number, "revocation"])
        )
        assert answer.status_code == 503 and answer["Retry-After"] == "300"
        with pytest.raises(TransitionNotAllowed, match="development key"):
            identity.agency_profile_update(
                actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
            )
            identity.identity_change_approve(
                actor=world.reviewer, change=world.agency.identity_changes.get()
            )
    assert refreshed(case).certificate.revision == 1


def test_the_did_document_and_lists_are_public_cacheable_and_strict(world, client):
    world.case_in("certified")
    body = world.auditor_membership.certification_body
    answer = client.get(reverse("web:body-did", args=[body.slug]))
    assert answer["Content-Type"] == "application/did+json"
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "public" in answer["Cache-Control"] and "max-age=300" in answer["Cache-Control"]
    assert client.get(reverse("web:body-did", args=["nobody"])).status_code == 404
    assert (
        client.get(reverse("web:body-status-list", args=[body.slug, 1, "expiry"])).status_code
        == 404
    )
    assert (
        client.get(reverse("web:body-status-list", args=[body.slug, 2, "revocation"])).status_code
        == 404
    )
    assert client.post(reverse("web:body-did", args=[body.slug])).status_code == 405


def test_a_body_s_slug_is_fixed_once_it_signs(world):
    body = world.auditor_membership.certification_body
    body.slug = "renamed"
    body.save()  # no key yet: free to change
    world.case_in("certified")
    body.refresh_from_db()
    body.slug = "renamed-again"
    with pytest.raises(ValidationError, match="cannot change"):
        body.save()


@override_settings(PUBLIC_BASE_URL="https://example.org:8443/register")
def test_the_did_follows_the_public_address_with_its_port_and_path(world):
    body = world.auditor_membership.certification_body
    assert credentials.body_did(body) == f"did:web:example.org%3A8443:register:bodies:{body.slug}"


def test_issue_credentials_backfills_certificates_without_one(world):
    case = world.case_in("certified")
    Credential.objects.all().delete()
    out = io.StringIO()
    call_command("issue_credentials", stdout=out)
    assert f"{case.certificate.number}: credential issued" in out.getvalue()
    assert Credential.objects.count() == 1
    out = io.StringIO()
    call_command("issue_credentials", stdout=out)
    assert out.getvalue().strip().endswith("0 issued, 0 could not be signed")


def test_the_verify_command_prints_the_verdict_of_downloaded_files(world, client, tmp_path):
    case = world.case_in("certified")
    token, did_doc, lists = download(client, case.certificate)
    (tmp_path / "c.jwt").write_text(token)
    (tmp_path / "did.json").write_text(json.dumps(did_doc))
    arguments = [str(tmp_path / "c.jwt"), "--did", str(tmp_path / "did.json")]
    for number, listed in enumerate(lists.values()):
        (tmp_path / f"l{number}.jwt").write_text(listed)
        arguments += ["--status-list", str(tmp_path / f"l{number}.jwt")]
    out = io.StringIO()
    call_command("verify_credential", *arguments, stdout=out)
    assert out.getvalue().startswith("valid")
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")
    _, _, lists = download(client, case.certificate)
    for number, listed in enumerate(lists.values()):
        (tmp_path / f"l{number}.jwt").write_text(listed)
    with pytest.raises(SystemExit) as exit_status:
        call_command("verify_credential", *arguments, stdout=(out := io.StringIO()))
    assert exit_status.value.code == 1
    assert out.getvalue().startswith("revoked")
