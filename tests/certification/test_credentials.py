"""Certificates as signed credentials (issue 17): issued with the certificate, given
with the verification code, embedded in the PDF, checked offline on the files a verifier
downloads; tampering named; the shapes of the specifications; an independent JOSE library."""

import base64
import hashlib
import io
import json
from datetime import timedelta

import jsonschema
import jwt
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification.models import Credential
from certification.pdf import CREDENTIAL_FILE
from certification.vc import core
from tests.certification.credentials_helpers import download, payload
from tests.certification.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


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
