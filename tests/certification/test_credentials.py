"""Certificates as signed credentials, end to end (issue 17): issued with the certificate,
served with the issuer's DID document and status lists, checked offline by the verifier
on the files a verifier downloads; the status following suspension, reinstatement,
withdrawal and an overturned withdrawal; key rotation; no key, no certificate."""

import base64
import hashlib
import io
import json
import stat
from datetime import timedelta

import jsonschema
import jwt
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification import credentials, services
from certification.errors import TransitionNotAllowed
from certification.models import Certificate, Credential, Decision, IssuerKey, StatusList
from certification.pdf import CREDENTIAL_FILE
from certification.services import identity
from certification.vc import core
from tests.certification.appeals_helpers import ANSWER, add_reviewer, lodged
from tests.certification.world import RATIONALE, World, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def download(client, certificate):
    """What a verifier keeps: the credential, the issuer's DID document and both lists,
    each fetched once over HTTP, as files."""
    answer = client.get(
        reverse("api:certificate-credential", args=[certificate.number]),
        {"code": certificate.verification_code},
    )
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/vc+jwt"
    token = answer.content.decode()
    credential = payload(token)
    did = credential["issuer"]["id"]
    slug = did.rsplit(":", 1)[1]
    did_answer = client.get(f"/bodies/{slug}/did.json")
    assert did_answer.status_code == 200
    lists = {}
    for entry in credential["credentialStatus"]:
        url = entry["statusListCredential"]
        listed = client.get(url.removeprefix("http://127.0.0.1:8000"))
        assert listed.status_code == 200, url
        assert listed["Content-Type"] == "application/vc+jwt"
        assert "max-age=300" in listed["Cache-Control"] and "public" in listed["Cache-Control"]
        lists[url] = listed.content.decode()
    return token, did_answer.json(), lists


def verdict(client, certificate, now=None):
    token, did_doc, lists = download(client, certificate)
    return core.verify(token, did_doc, lists, now=now)


# --- issued with the certificate -----------------------------------------------------------


def test_a_certificate_s_credential_verifies_offline_and_says_what_the_certificate_says(
    world, client
):
    case = world.case_in("certified")
    certificate = case.certificate
    token, did_doc, lists = download(client, certificate)

    assert core.verify(token, did_doc, lists) == core.Verdict(
        "valid", "signature, dates and status"
    )
    credential = payload(token)
    body = world.auditor_membership.certification_body
    assert credential["issuer"] == {
        "id": f"did:web:127.0.0.1%3A8000:bodies:{body.slug}",
        "type": ["CredentialIssuer"],
        "name": body.name,
    }
    assert did_doc["id"] == credential["issuer"]["id"]
    assert credential["type"] == ["VerifiableCredential", "DigitalConformityCredential"]
    assert credential["validFrom"] == f"{certificate.valid_from.isoformat()}T00:00:00Z"
    assert credential["validUntil"] == f"{certificate.valid_until.isoformat()}T23:59:59Z"
    subject = credential["credentialSubject"]
    assert subject["issuedToParty"]["registeredId"] == world.agency.registration_number
    assert subject["issuedToParty"]["registrationCountry"] == "NP"
    assert subject["scope"]["countries"] == ["NP", "QA"]
    assert subject["scope"]["corridors"] == ["NP-QA"]
    assert subject["scope"]["sectors"] == ["construction"]
    assert subject["scope"]["standard"] == {"code": world.standard.code, "version": "1.0"}
    principles = list(world.standard.principles.order_by("position"))
    assert [a["assessmentCriteria"][0]["id"] for a in subject["assessment"]] == [
        p.code for p in principles
    ]
    assert all(a["conformance"] is True for a in subject["assessment"])
    assert [entry["statusPurpose"] for entry in credential["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    # The PDF it names, byte for byte.
    link = subject["conformityCertificate"]
    pdf = client.get(link["linkURL"].removeprefix("http://127.0.0.1:8000"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == link["sha256"]
    assert Credential.objects.get().pdf_sha256 == link["sha256"]


def test_the_credential_is_given_only_with_the_verification_code(world, client):
    certificate = world.case_in("certified").certificate
    url = reverse("api:certificate-credential", args=[certificate.number])
    assert client.get(url, {"code": "wrong"}).status_code == 404
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("api:certificate-credential", args=["FR-2099-999999"]),
            {"code": certificate.verification_code},
        ).status_code
        == 404
    )


def test_the_verification_page_offers_the_credential(world, client):
    certificate = world.case_in("certified").certificate
    page = client.get(
        reverse("web:verify-certificate", args=[certificate.number]),
        {"code": certificate.verification_code},
    )
    link = (
        reverse("api:certificate-credential", args=[certificate.number])
        + f"?code={certificate.verification_code}"
    )
    assert f'href="{link}" download' in page.content.decode()


def test_the_certificate_pdf_carries_the_credential(world, client):
    case = world.case_in("certified")
    client.force_login(world.agency_member)
    answer = client.get(f"/api/v1/cases/{case.pk}/certificate/")
    assert answer.status_code == 200
    attachments = PdfReader(io.BytesIO(answer.content)).attachments
    assert list(attachments) == [CREDENTIAL_FILE]
    assert attachments[CREDENTIAL_FILE][0].decode() == Credential.objects.get().token


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("flip_byte", "bad_signature"),
        ("valid_until", "bad_signature"),
        ("other_key", "bad_signature"),
    ],
)
def test_a_tampered_credential_fails_with_its_reason(world, client, tamper, reason):
    certificate = world.case_in("certified").certificate
    token, did_doc, lists = download(client, certificate)
    header, body, signature = token.split(".")
    if tamper == "flip_byte":
        raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        raw[40] ^= 0x01
        body = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
        forged = f"{header}.{body}.{signature}"
    elif tamper == "valid_until":
        credential = payload(token)
        credential["validUntil"] = "2099-12-31T23:59:59Z"
        body = base64.urlsafe_b64encode(json.dumps(credential).encode()).decode().rstrip("=")
        forged = f"{header}.{body}.{signature}"
    else:
        kid = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
        forged = core.sign(payload(token), core.generate_key(), kid)
    assert core.verify(forged, did_doc, lists).reason == reason
    assert core.verify(forged, did_doc, lists).result == "invalid"


def test_an_expired_certificate_s_credential_is_expired(world, client):
    certificate = world.case_in("certified").certificate
    later = timezone.make_aware(
        timezone.datetime.combine(
            certificate.valid_until + timedelta(days=1), timezone.datetime.min.time()
        )
    )
    token, did_doc, _ = download(client, certificate)
    assert core.verify(token, did_doc, None, now=later) == core.Verdict(
        "expired", "valid_until", f"{certificate.valid_until.isoformat()}T23:59:59Z"
    )


# --- status following the case -------------------------------------------------------------


def test_suspension_sets_the_bit_reinstatement_clears_it_withdrawal_revokes(world, client):
    case = world.case_in("certified")
    certificate = case.certificate
    assert verdict(client, certificate).result == "valid"

    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint under investigation.")
    assert verdict(client, certificate) == core.Verdict(
        "suspended",
        "suspension",
        f"{payload(Credential.objects.get().token)['credentialStatus'][1]['id']}",
    )

    services.case_reinstate(actor=world.reviewer, case=refreshed(case))
    assert verdict(client, certificate).result == "valid"

    services.case_withdraw(
        actor=world.reviewer, case=refreshed(case), reason="Complaint substantiated."
    )
    assert verdict(client, certificate).result == "revoked"
    assert Credential.objects.get().revoked_at is not None


def test_withdrawn_while_suspended_reads_revoked_with_either_list_old(world, client):
    case = world.case_in("suspended")
    certificate = case.certificate
    _, _, before = download(client, certificate)
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")
    token, did_doc, after = download(client, certificate)
    credential = Credential.objects.get()
    assert (credential.suspended, credential.revoked_at is not None) == (True, True)
    assert core.verify(token, did_doc, after).result == "revoked"
    # An old revocation list beside a fresh suspension list: still not valid.
    revocation, suspension = (
        entry["statusListCredential"] for entry in payload(token)["credentialStatus"]
    )
    mixed = {revocation: before[revocation], suspension: after[suspension]}
    assert core.verify(token, did_doc, mixed).result == "suspended"


def test_a_list_kept_from_before_a_withdrawal_stops_vouching_after_a_day(world, client):
    case = world.case_in("certified")
    token, did_doc, kept = download(client, case.certificate)
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")
    later = timezone.now() + timedelta(hours=25)
    assert core.verify(token, did_doc, kept, now=later).reason == "status_list_expired"
    assert payload(next(iter(kept.values())))["validUntil"]


def test_a_certificate_without_credential_is_suspended_and_reinstated_without_a_key(world):
    """Certificates issued before credentials: their suspension never waits for a key."""
    case = world.case_in("certified")
    Credential.objects.all().delete()
    IssuerKey.objects.all().delete()
    with override_settings(CREDENTIAL_DEVELOPMENT_KEYS=False):
        services.case_suspend(
            actor=world.reviewer, case=case, reason="Complaint under investigation."
        )
        assert refreshed(case).state == "suspended"
        services.case_reinstate(actor=world.reviewer, case=refreshed(case))
        services.case_withdraw(
            actor=world.reviewer, case=refreshed(case), reason="Complaint substantiated."
        )
    assert refreshed(case).state == "withdrawn"
    assert not Credential.objects.exists()


def test_a_withdrawal_overturned_gets_a_new_credential_the_old_one_stays_revoked(world, client):
    add_reviewer(world)
    appeal = lodged(world, "withdrawn")
    case = appeal.case
    old = Credential.objects.get()
    services.appeal_decide(
        actor=world.appeal_reviewer, appeal=appeal, outcome="overturned", rationale=ANSWER
    )
    assert refreshed(case).state == "certified"
    old.refresh_from_db()
    new = Credential.objects.exclude(pk=old.pk).get()
    assert old.revoked_at is not None
    assert (new.revoked_at, new.suspended) == (None, False)
    assert new.status_index != old.status_index
    # What the API gives now is the new one, and it is valid; the old one is still revoked.
    token, did_doc, lists = download(client, case.certificate)
    assert token == new.token
    assert core.verify(token, did_doc, lists).result == "valid"
    assert core.verify(old.token, did_doc, lists).result == "revoked"


def test_a_reissue_under_a_new_name_gets_a_credential_of_its_revision(world, client):
    case = world.case_in("certified")
    identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )
    change = world.agency.identity_changes.get()
    identity.identity_change_approve(actor=world.reviewer, change=change)
    first, second = Credential.objects.order_by("pk")
    assert (first.revision, second.revision) == (1, 2)
    token, did_doc, lists = download(client, refreshed(case).certificate)
    assert token == second.token
    assert (
        payload(token)["credentialSubject"]["issuedToParty"]["tradingName"] == "Everest Fair Jobs"
    )
    assert core.verify(token, did_doc, lists).result == "valid"
    assert core.verify(first.token, did_doc, lists).result == "valid"  # the old revision too


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


# --- shapes and an independent implementation -----------------------------------------------

# The shapes the specifications give (W3C DID 1.0 with JsonWebKey methods, VC Data Model 2.0,
# Bitstring Status List 1.0, UNTP DCC), written here as JSON schemas of our own.
DID_DOCUMENT = {
    "type": "object",
    "required": ["@context", "id", "verificationMethod", "assertionMethod"],
    "properties": {
        "id": {"type": "string", "pattern": "^did:web:[^:]+(:[A-Za-z0-9._-]+)*$"},
        "verificationMethod": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "controller", "publicKeyJwk"],
                "properties": {
                    "type": {"const": "JsonWebKey"},
                    "publicKeyJwk": {
                        "type": "object",
                        "required": ["kty", "crv", "x"],
                        "properties": {"kty": {"const": "OKP"}, "crv": {"const": "Ed25519"}},
                        "not": {"required": ["d"]},
                    },
                },
            },
        },
        "assertionMethod": {"type": "array", "items": {"type": "string"}},
    },
}
STATUS_LIST = {
    "type": "object",
    "required": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject"],
    "properties": {
        "@context": {"type": "array", "contains": {"const": core.VC_CONTEXT}},
        "type": {"type": "array", "contains": {"const": "BitstringStatusListCredential"}},
        "credentialSubject": {
            "type": "object",
            "required": ["type", "statusPurpose", "encodedList"],
            "properties": {
                "type": {"const": "BitstringStatusList"},
                "statusPurpose": {"enum": ["revocation", "suspension"]},
                "encodedList": {"type": "string", "pattern": "^u[A-Za-z0-9_-]+$"},
            },
        },
    },
}
DCC = {
    "type": "object",
    "required": [
        "@context",
        "type",
        "id",
        "issuer",
        "validFrom",
        "validUntil",
        "credentialSubject",
        "credentialStatus",
    ],
    "properties": {
        "@context": {"type": "array", "prefixItems": [{"const": core.VC_CONTEXT}]},
        "type": {"type": "array", "contains": {"const": "DigitalConformityCredential"}},
        "issuer": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "string", "pattern": "^did:web:"}},
        },
        "validFrom": {"type": "string", "format": "date-time"},
        "validUntil": {"type": "string", "format": "date-time"},
        "credentialSubject": {
            "type": "object",
            "required": [
                "type",
                "assessorLevel",
                "assessmentLevel",
                "attestationType",
                "issuedToParty",
                "scope",
                "assessment",
                "conformityCertificate",
            ],
            "properties": {
                "type": {"type": "array", "contains": {"const": "ConformityAttestation"}},
                "assessorLevel": {
                    "enum": ["Self", "Commercial", "Buyer", "Membership", "Unspecified", "3rdParty"]
                },
                "assessmentLevel": {
                    "enum": [
                        "GovtApproval",
                        "GlobalMLA",
                        "Accredited",
                        "Verified",
                        "Validated",
                        "Unspecified",
                    ]
                },
                "attestationType": {
                    "enum": [
                        "certification",
                        "declaration",
                        "inspection",
                        "testing",
                        "verification",
                        "validation",
                        "calibration",
                    ]
                },
                "issuedToParty": {"type": "object", "required": ["name", "registeredId"]},
                "assessment": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["referenceStandard", "assessmentCriteria", "conformance"],
                        "properties": {"conformance": {"type": "boolean"}},
                    },
                },
                "conformityCertificate": {
                    "type": "object",
                    "required": ["linkURL", "sha256"],
                    "properties": {"sha256": {"pattern": "^[0-9a-f]{64}$"}},
                },
            },
        },
        "credentialStatus": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["type", "statusPurpose", "statusListIndex", "statusListCredential"],
                "properties": {
                    "type": {"const": "BitstringStatusListEntry"},
                    "statusListIndex": {"pattern": "^[0-9]+$"},
                },
            },
        },
    },
}


def test_did_document_status_lists_and_credential_have_their_specs_shapes(world, client):
    token, did_doc, lists = download(client, world.case_in("certified").certificate)
    jsonschema.validate(did_doc, DID_DOCUMENT)
    jsonschema.validate(payload(token), DCC, format_checker=jsonschema.FormatChecker())
    for listed in lists.values():
        credential = payload(listed)
        jsonschema.validate(credential, STATUS_LIST)
        bits = core.decode_list(credential["credentialSubject"]["encodedList"])
        assert len(bits) * 8 >= 131_072


def test_an_independent_jose_library_checks_the_credential_and_its_lists(world, client):
    """PyJWT (not joserfc, which signs) with the key from the DID document."""
    token, did_doc, lists = download(client, world.case_in("certified").certificate)
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["typ"], header["cty"]) == ("EdDSA", "vc+jwt", "vc")
    method = next(m for m in did_doc["verificationMethod"] if m["id"] == header["kid"])
    key = jwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA")
    # A credential is not a JWT's claims set (no exp/nbf): its own dates are checked above.
    claims = jwt.decode(token, key.key, algorithms=["EdDSA"], options={"verify_exp": False})
    assert claims == payload(token)
    for listed in lists.values():
        assert jwt.decode(listed, key.key, algorithms=["EdDSA"])["type"][1] == (
            "BitstringStatusListCredential"
        )


# --- many at once (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_certifications_and_suspensions_at_once_keep_every_entry_and_bit_right(client):
    """Ten reviewers certify ten cases of one body at once: ten distinct entries of one
    list; then eight of them are suspended at once: exactly those eight read suspended."""
    from tests.certification.test_concurrency import run_at_once

    world = World()
    waiting = [world.case_in("in_review")]
    for _ in range(9):
        agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
        world.agency = agency
        waiting.append(world.case_in("in_review"))
    queue = list(waiting)
    results, failures = run_at_once(
        10,
        lambda: services.case_certify(actor=world.reviewer, case=queue.pop(), rationale=RATIONALE),
    )
    assert failures == [] and len(results) == 10
    assert sorted(Credential.objects.values_list("status_index", flat=True)) == list(range(10))
    assert StatusList.objects.get().next_index == 10

    cases = [refreshed(case) for case in waiting]
    suspended, kept = cases[:8], cases[8:]
    queue = list(suspended)
    results, failures = run_at_once(
        8,
        lambda: services.case_suspend(
            actor=world.reviewer, case=queue.pop(), reason="Complaint under investigation."
        ),
    )
    assert failures == [] and len(results) == 8
    connection.close()
    for case in suspended:
        assert verdict(client, refreshed(case).certificate).result == "suspended"
    for case in kept:
        assert verdict(client, refreshed(case).certificate).result == "valid"
