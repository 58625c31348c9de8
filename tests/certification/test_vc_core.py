"""The credential core (certification/vc/core.py): signing, status lists and the offline
verifier, with files only. Interoperability: every credential also opens with PyJWT."""

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from certification.vc import core

DID = "did:web:register.example.org:bodies:verity"
LIST = "https://register.example.org/credentials/status/verity/{}/1"
SIGNED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DURING = datetime(2027, 6, 1, tzinfo=UTC)


def facts(**changes):
    values = dict(
        number="FR-2026-000042",
        revision=1,
        issuer=DID,
        issuer_name="Verity Certification",
        agency_name="Himalaya Fair Jobs",
        agency_legal_name="Himalaya Fair Jobs Pvt. Ltd.",
        agency_registration_number="NP-123",
        agency_licence_number="LIC-9",
        agency_country="NP",
        scheme_name="fairrecruit",
        standard_code="FRS",
        standard_version="1.0",
        valid_from="2026-12-01",
        valid_until="2029-11-30",
        countries=("NP", "QA"),
        corridors=("NP-QA",),
        sectors=("construction",),
        principles=(
            core.PrincipleAssessment("P1", "Respect for laws", True),
            core.PrincipleAssessment("P2", "No fees to workers", True),
        ),
        verification_url="https://register.example.org/verify/FR-2026-000042/",
        pdf_url="https://register.example.org/certificates/FR-2026-000042.pdf",
        pdf_sha256="ab" * 32,
        status=(
            core.status_entry(url=LIST.format("revocation"), purpose="revocation", index=7),
            core.status_entry(url=LIST.format("suspension"), purpose="suspension", index=7),
        ),
    )
    values.update(changes)
    return core.CertificateFacts(**values)


@pytest.fixture(scope="module")
def keys():
    return {"k1": core.generate_key(), "k2": core.generate_key()}


def did_doc(keys, retired=None):
    retired = retired or {}
    return core.did_document(
        DID, [(name, core.public_jwk(key), retired.get(name)) for name, key in keys.items()]
    )


def lists(keys, *, revoked=(), suspended=(), issuer=DID, kid="k1"):
    signed = {}
    for purpose, indexes in (("revocation", revoked), ("suspension", suspended)):
        bits = core.new_bits()
        for index in indexes:
            core.set_bit(bits, index, True)
        url = LIST.format(purpose)
        status_list = core.status_list_credential(
            url=url, issuer=issuer, purpose=purpose, bits=bits, valid_from="2026-12-01T00:00:00Z"
        )
        signed[url] = core.sign(status_list, keys[kid], f"{issuer}#{kid}", now=SIGNED)
    return signed


def token(keys, kid="k1", now=SIGNED, **changes):
    return core.sign(core.conformity_credential(facts(**changes)), keys[kid], f"{DID}#{kid}", now)


def test_a_credential_verifies_with_its_status_lists(keys):
    verdict = core.verify(token(keys), did_doc(keys), lists(keys), now=DURING)
    assert (verdict.result, verdict.reason) == ("valid", "signature, dates and status")
    assert core.verify(token(keys), did_doc(keys), now=DURING).result == "valid"


def test_the_credential_has_the_dcc_shape(keys):
    credential = core.conformity_credential(facts())
    assert credential["type"] == ["VerifiableCredential", "DigitalConformityCredential"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["ConformityAttestation"]
    assert (subject["assessorLevel"], subject["assessmentLevel"], subject["attestationType"]) == (
        "3rdParty",
        "Accredited",
        "certification",
    )
    assert subject["issuedToParty"]["registeredId"] == "NP-123"
    assert [a["conformance"] for a in subject["assessment"]] == [True, True]
    assert subject["conformityCertificate"]["sha256"] == "ab" * 32
    assert (credential["validFrom"], credential["validUntil"]) == (
        "2026-12-01T00:00:00Z",
        "2029-11-30T23:59:59Z",
    )
    assert [entry["statusPurpose"] for entry in credential["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]


def _payload(compact: str) -> dict:
    part = compact.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _with_payload(compact: str, payload: bytes) -> str:
    header, _, signature = compact.split(".")
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{header}.{body}.{signature}"


def test_one_flipped_byte_of_the_payload_is_a_bad_signature(keys):
    compact = token(keys)
    part = compact.split(".")[1]
    raw = bytearray(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    raw[len(raw) // 2] ^= 0x01
    verdict = core.verify(_with_payload(compact, bytes(raw)), did_doc(keys), now=DURING)
    assert (verdict.result, verdict.reason) in {("invalid", "bad_signature")}


def test_a_later_valid_until_is_a_bad_signature(keys):
    compact = token(keys)
    payload = _payload(compact)
    payload["validUntil"] = "2039-11-30T23:59:59Z"
    tampered = _with_payload(compact, json.dumps(payload).encode())
    assert core.verify(tampered, did_doc(keys), now=DURING).reason == "bad_signature"


def test_another_key_under_the_issuers_kid_is_a_bad_signature(keys):
    forged = core.sign(core.conformity_credential(facts()), core.generate_key(), f"{DID}#k1")
    assert core.verify(forged, did_doc(keys), now=DURING).reason == "bad_signature"


def test_a_key_the_issuer_does_not_publish_is_unknown(keys):
    stranger = core.sign(core.conformity_credential(facts()), keys["k1"], f"{DID}#k9")
    assert core.verify(stranger, did_doc(keys), now=DURING).reason == "unknown_key"


def test_another_issuers_document_is_an_issuer_mismatch(keys):
    other = core.did_document(
        "did:web:elsewhere.example", [("k1", core.public_jwk(keys["k1"]), None)]
    )
    assert core.verify(token(keys), other, now=DURING).reason == "issuer_mismatch"


def test_rotation_keeps_old_credentials_and_refuses_later_ones(keys):
    retired = did_doc(keys, retired={"k1": "2027-01-01T00:00:00+00:00"})
    before = token(keys, kid="k1", now=SIGNED)
    after = token(keys, kid="k1", now=datetime(2027, 2, 1, tzinfo=UTC))
    new = token(keys, kid="k2", now=datetime(2027, 2, 1, tzinfo=UTC))
    assert core.verify(before, retired, now=DURING).result == "valid"
    assert core.verify(after, retired, now=DURING).reason == "key_retired"
    assert core.verify(new, retired, now=DURING).result == "valid"


def test_expired_and_not_yet_valid(keys):
    doc = did_doc(keys)
    expired = core.verify(token(keys), doc, now=datetime(2029, 12, 1, tzinfo=UTC))
    assert (expired.result, expired.detail) == ("expired", "2029-11-30T23:59:59Z")
    early = core.verify(token(keys), doc, now=SIGNED - timedelta(days=1))
    assert early.result == "not_yet_valid"


def test_suspension_and_revocation_bits(keys):
    doc = did_doc(keys)
    assert core.verify(token(keys), doc, lists(keys, suspended=[7]), now=DURING).result == (
        "suspended"
    )
    assert core.verify(token(keys), doc, lists(keys, suspended=[6, 8]), now=DURING).ok
    both = core.verify(token(keys), doc, lists(keys, revoked=[7], suspended=[7]), now=DURING)
    assert both.result == "revoked"  # withdrawal is final, whatever the suspension bit says


def test_a_status_list_of_another_issuer_does_not_count(keys):
    foreign = lists(keys, issuer="did:web:elsewhere.example")
    verdict = core.verify(token(keys), did_doc(keys), foreign, now=DURING)
    assert verdict.reason == "issuer_mismatch"


def test_a_missing_status_list_is_named(keys):
    verdict = core.verify(token(keys), did_doc(keys), {}, now=DURING)
    assert (verdict.result, verdict.reason) == ("invalid", "status_list_missing")


def test_a_list_under_the_wrong_url_is_a_mismatch(keys):
    signed = lists(keys)
    swapped = dict(zip(signed, reversed(list(signed.values())), strict=True))
    assert core.verify(token(keys), did_doc(keys), swapped, now=DURING).reason == (
        "status_list_mismatch"
    )


@pytest.mark.parametrize(
    "bad",
    ["", "not a jws", "a.b", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", None, 42, "...."],
)
def test_malformed_tokens_are_named_never_raised(keys, bad):
    verdict = core.verify(bad, did_doc(keys), now=DURING)
    assert verdict.result == "invalid"
    assert verdict.reason in {"malformed_jws", "unsupported_algorithm"}


def test_status_list_encoding_round_trips_and_is_large_enough():
    bits = core.new_bits()
    assert len(bits) * 8 == 131_072
    for index in (0, 1, 7, 8, 131_071):
        core.set_bit(bits, index, True)
    decoded = core.decode_list(core.encode_list(bits))
    assert [core.get_bit(decoded, i) for i in (0, 1, 2, 7, 8, 9, 131_070, 131_071)] == [
        True, True, False, True, True, False, False, True,
    ]  # fmt: skip
    assert decoded[0] == 0b1100_0001  # index 0 is the first byte's most significant bit
    core.set_bit(bits, 7, False)
    assert not core.get_bit(bits, 7)


def test_the_did_document_has_the_did_core_shape(keys):
    doc = did_doc(keys, retired={"k1": "2027-01-01T00:00:00+00:00"})
    assert doc["@context"][0] == "https://www.w3.org/ns/did/v1"
    assert doc["assertionMethod"] == [f"{DID}#k1", f"{DID}#k2"]
    for method in doc["verificationMethod"]:
        assert method["controller"] == DID
        assert method["publicKeyJwk"]["kty"] == "OKP"
        assert method["publicKeyJwk"]["crv"] == "Ed25519"
        assert "d" not in method["publicKeyJwk"]  # never the private part
    assert core.did_web("example.org:8000", "bodies", "verity") == (
        "did:web:example.org%3A8000:bodies:verity"
    )


def test_an_independent_jose_library_opens_the_credential(keys):
    """PyJWT (not joserfc, which signs) checks the signature with the published JWK."""
    compact = token(keys)
    jwk = did_doc(keys)["verificationMethod"][0]["publicKeyJwk"]
    public = jwt.PyJWK.from_dict(jwk, algorithm="EdDSA")
    header = jwt.get_unverified_header(compact)
    assert (header["alg"], header["typ"], header["cty"]) == ("EdDSA", "vc+jwt", "vc")
    payload = jwt.api_jws.decode_complete(compact, public.key, algorithms=["EdDSA"])["payload"]
    assert json.loads(payload)["credentialSubject"]["issuedToParty"]["name"] == (
        "Himalaya Fair Jobs Pvt. Ltd."
    )
    wrong = jwt.PyJWK.from_dict(core.public_jwk(keys["k2"]), algorithm="EdDSA")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.api_jws.decode_complete(compact, wrong.key, algorithms=["EdDSA"])


def test_the_core_imports_no_django():
    code = (
        "import sys, certification.vc.core; print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _run(tmp_path, keys, token_text, lists_=None, did=None):
    from io import StringIO

    from django.core.management import call_command

    (tmp_path / "c.jwt").write_text(token_text)
    (tmp_path / "did.json").write_text(json.dumps(did or did_doc(keys)))
    arguments = [str(tmp_path / "c.jwt"), "--did", str(tmp_path / "did.json")]
    for number, compact in enumerate((lists_ or {}).values()):
        (tmp_path / f"list{number}.jwt").write_text(compact)
        arguments += ["--status-list", str(tmp_path / f"list{number}.jwt")]
    out = StringIO()
    try:
        call_command("verify_credential", *arguments, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().strip()


def test_the_command_prints_the_verdict_and_exits_1_unless_valid(tmp_path, keys):
    current = datetime.now(UTC)
    fresh = dict(valid_from=f"{current.year - 1}-01-01", valid_until=f"{current.year + 1}-12-31")
    assert _run(tmp_path, keys, token(keys, now=current, **fresh), lists(keys)) == (
        0,
        "valid: signature, dates and status",
    )
    code, said = _run(tmp_path, keys, token(keys, now=current, **fresh), lists(keys, revoked=[7]))
    assert (code, said.split(":")[0]) == (1, "revoked")
    assert _run(tmp_path, keys, "garbage") == (
        1,
        "invalid: malformed_jws (not a compact JWS of three parts)",
    )
    code, said = _run(tmp_path, keys, token(keys), did={"id": DID})
    assert (code, said) == (1, f"invalid: unknown_key ({DID}#k1)")


def _signed_list(keys, *, kid="k1", now=SIGNED, size=core.STATUS_LIST_SIZE, **changes):
    url = LIST.format("revocation")
    status_list = core.status_list_credential(
        url=url, issuer=DID, purpose="revocation", bits=core.new_bits(size),
        valid_from="2026-12-01T00:00:00Z",
    )  # fmt: skip
    status_list.update(changes)
    return {**lists(keys), url: core.sign(status_list, keys[kid], f"{DID}#{kid}", now=now)}


def test_a_stale_status_list_is_refused(keys):
    stale = _signed_list(keys, validUntil="2027-01-01T00:00:00Z")
    assert core.verify(token(keys), did_doc(keys), stale, now=DURING).reason == (
        "status_list_expired"
    )


def test_a_status_list_signed_by_a_retired_key_after_retirement_is_refused(keys):
    retired = did_doc(keys, retired={"k1": "2027-01-01T00:00:00+00:00"})
    late = _signed_list(keys, now=datetime(2027, 2, 1, tzinfo=UTC))
    assert core.verify(token(keys), retired, late, now=DURING).reason == "key_retired"


def test_a_short_list_and_a_gzip_bomb_are_malformed(keys):
    short = _signed_list(keys, size=8)
    assert core.verify(token(keys), did_doc(keys), short, now=DURING).reason == (
        "malformed_status_list"
    )
    bomb = _signed_list(keys, size=8 * (core.MAX_LIST + 1024))
    assert core.verify(token(keys), did_doc(keys), bomb, now=DURING).reason == (
        "malformed_status_list"
    )


def test_status_is_never_claimed_without_status_entries(keys):
    bare = token(keys, status=())
    assert core.verify(bare, did_doc(keys), lists(keys), now=DURING).reason == (
        "status_entries_missing"
    )


def test_an_iat_that_is_not_a_plain_integer_is_malformed(keys):
    credential = core.conformity_credential(facts())
    header = {**core.HEADER, "kid": f"{DID}#k1", "iat": True}
    with core._eddsa():
        flagged = core.jws.serialize_compact(
            header, core._json(credential), keys["k1"], registry=core.REGISTRY
        )
    assert core.verify(flagged, did_doc(keys), now=DURING).reason in {"malformed_jws"}


@pytest.mark.parametrize(
    "change",
    [
        {"assertionMethod": 5},
        {"verificationMethod": 5},
        {"assertionMethod": [{"id": "x"}, 5, None]},
        {"id": None},
    ],
)
def test_hostile_did_documents_are_named(keys, change):
    verdict = core.verify(token(keys), {**did_doc(keys), **change}, now=DURING)
    assert verdict.result == "invalid"
    assert verdict.reason in {"malformed_did_document", "key_not_for_assertion", "unknown_key"}


def test_a_published_private_key_is_refused(keys):
    doc = did_doc(keys)
    doc["verificationMethod"][0]["publicKeyJwk"] = keys["k1"].as_dict(private=True)
    assert core.verify(token(keys), doc, now=DURING).reason == "private_key_published"


def test_deeply_nested_json_is_named_not_raised(keys):
    header = base64.urlsafe_b64encode(b"[" * 100_000).decode().rstrip("=")
    verdict = core.verify(f"{header}.e30.AA", did_doc(keys), now=DURING)
    assert verdict.result == "invalid"
