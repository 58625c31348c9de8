"""Signed credentials, status lists and their offline check, in plain Python (no Django).

A credential is secured as the UN Transparency Protocol says: an enveloping JOSE signature
(compact JWS, `typ` `vc+jwt`, `cty` `vc`, `alg` `EdDSA`) whose payload is the credential's
JSON. Suspension and withdrawal are bits of W3C Bitstring Status Lists, signed the same way.
The issuer's keys come from its `did:web` document; a key rotated out carries the time it
was retired (`revoked`, as the W3C Controlled Identifiers spec names it): what it signed
before stays valid, what it signed after does not.

`verify()` never raises on bad input: every outcome is a `Verdict` with a named result."""

import base64
import gzip
import json
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.registry import HeaderParameter

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
JWK_CONTEXT = "https://w3id.org/security/jwk/v1"
# Bitstring Status List: at least 16 KiB (131,072 entries), so that a verifier who
# downloads the whole list tells the issuer nothing of which certificate it checks.
STATUS_LIST_SIZE = 131_072
PURPOSES = ("revocation", "suspension")
MAX_LIST = 16 * 1024 * 1024  # bytes once inflated: 128 M entries
HEADER = {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc"}
# `iat` in the protected header: when it was signed, for key rotation (JWS allows it).
REGISTRY = jws.JWSRegistry(
    header_registry={"iat": HeaderParameter("Issued at", "int")}, algorithms=["EdDSA"]
)


# --- Results -------------------------------------------------------------------------------

VALID = "valid"
SUSPENDED = "suspended"
REVOKED = "revoked"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
INVALID = "invalid"


@dataclass(frozen=True)
class Verdict:
    result: str  # one of the six above
    reason: str  # a code: why (for INVALID), or what was checked
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.result == VALID

    def __str__(self) -> str:
        words = f"{self.result}: {self.reason}"
        return f"{words} ({self.detail})" if self.detail else words


# --- Keys and the issuer's DID document ----------------------------------------------------


def generate_key() -> OKPKey:
    return OKPKey.generate_key("Ed25519")


def load_key(pem: bytes | str) -> OKPKey:
    """An Ed25519 private key from PEM (PKCS#8), refused if it is anything else."""
    key = OKPKey.import_key(pem)
    if key.as_dict().get("crv") != "Ed25519" or not key.is_private:
        raise ValueError("not an Ed25519 private key")
    return key


def private_pem(key: OKPKey) -> bytes:
    return key.as_pem(private=True)


def public_jwk(key: OKPKey) -> dict:
    return {name: value for name, value in key.as_dict(private=False).items() if name != "kid"}


def did_web(host: str, *path: str) -> str:
    """`did:web:example.org:bodies:verity` resolves to https://example.org/bodies/verity/did.json;
    a port is percent-encoded."""
    return ":".join(["did:web", host.replace(":", "%3A"), *path])


def did_document(did: str, keys) -> dict:
    """The issuer's DID document: every key it ever signed with, as (name, public JWK,
    retired at: ISO datetime or None). Retired keys stay, for what they signed before."""
    methods = []
    for name, jwk, retired_at in keys:
        method = {
            "id": f"{did}#{name}",
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": jwk,
        }
        if retired_at:
            method["revoked"] = retired_at
        methods.append(method)
    return {
        "@context": [DID_CONTEXT, JWK_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


@contextmanager
def _eddsa():
    """RFC 9864 (2025) deprecates `EdDSA` for the fully specified `Ed25519`; the UNTP
    profile and verifiers in the field still name `EdDSA`, so we sign with it, on purpose."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


# --- Signing -------------------------------------------------------------------------------


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(credential: dict, key: OKPKey, kid: str, now: datetime | None = None) -> str:
    """The credential as `application/vc+jwt`: kid is the verification method's full id;
    `iat` (in the signed header) is when it was signed, checked against key rotation."""
    issued_at = int((now or datetime.now(UTC)).timestamp())
    header = {**HEADER, "kid": kid, "iat": issued_at}
    with _eddsa():
        return jws.serialize_compact(header, _json(credential), key, registry=REGISTRY)


# --- Bitstring Status List -----------------------------------------------------------------


def new_bits(size: int = STATUS_LIST_SIZE) -> bytearray:
    return bytearray(size // 8)


def get_bit(bits: bytes, index: int) -> bool:
    # The spec's order: index 0 is the most significant bit of the first byte.
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    if value:
        bits[index // 8] |= 0x80 >> (index % 8)
    else:
        bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF


def encode_list(bits: bytes) -> str:
    """GZIP, then base64url without padding, with the multibase prefix `u`."""
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList lacks the multibase prefix u")
    body = encoded[1:]
    # Bounded: a signed list is still input; a few kilobytes must not inflate to gigabytes.
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    bits = inflate.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), MAX_LIST)
    if inflate.unconsumed_tail or not inflate.eof:
        raise ValueError("encodedList is larger than any status list")
    return bits


def status_list_credential(
    *, url: str, issuer: str, purpose: str, bits: bytes, valid_from: str, valid_until: str = ""
) -> dict:
    """A signed list says until when it may be trusted (`validUntil`): past it, a verifier
    must download it again, so that a list kept from before a withdrawal stops vouching."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        **({"validUntil": valid_until} if valid_until else {}),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }


def status_entry(*, url: str, purpose: str, index: int) -> dict:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


# --- Verifying -----------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.verdict = Verdict(INVALID, reason, detail)


def _instant(value: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise _Invalid("malformed_date", f"{what}: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _header(token: str) -> dict:
    if not isinstance(token, str) or token.count(".") != 2:
        raise _Invalid("malformed_jws", "not a compact JWS of three parts")
    try:
        part = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise _Invalid("malformed_jws", "the protected header is not JSON") from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise _Invalid(
            "unsupported_algorithm", str(header.get("alg") if isinstance(header, dict) else "")
        )
    if header.get("typ") != "vc+jwt":
        raise _Invalid("malformed_jws", f"typ is {header.get('typ')!r}, not vc+jwt")
    return header


def _method(did_doc: dict, kid: str) -> dict:
    assertion = did_doc.get("assertionMethod") or []
    methods = did_doc.get("verificationMethod") or []
    if not isinstance(assertion, list) or not isinstance(methods, list):
        raise _Invalid("malformed_did_document", "assertionMethod and verificationMethod are lists")
    # DID Core allows a method embedded in assertionMethod as well as one referred to by id.
    allowed = {
        item if isinstance(item, str) else item.get("id")
        for item in assertion
        if isinstance(item, str | dict)
    }
    embedded = [item for item in assertion if isinstance(item, dict)]
    for method in methods + embedded:
        if isinstance(method, dict) and method.get("id") == kid:
            if kid not in allowed:
                raise _Invalid("key_not_for_assertion", kid)
            jwk = method.get("publicKeyJwk")
            if not isinstance(jwk, dict):
                raise _Invalid("malformed_did_document", f"{kid} has no publicKeyJwk")
            if "d" in jwk:
                raise _Invalid("private_key_published", kid)
            return method
    raise _Invalid("unknown_key", kid or "no kid in the header")


def open_token(token: str, did_doc: dict) -> tuple[dict, dict, dict]:
    """The credential a token carries, once its signature is checked with the issuer's key
    named by `kid`; raises _Invalid."""
    header = _header(token)
    if not isinstance(did_doc, dict) or not str(did_doc.get("id", "")).startswith("did:"):
        raise _Invalid("malformed_did_document", "no did: id")
    kid = str(header.get("kid") or "")
    if not kid.startswith(f"{did_doc.get('id')}#"):
        raise _Invalid("issuer_mismatch", f"{kid or 'no kid'} is not a key of {did_doc.get('id')}")
    method = _method(did_doc, kid)
    try:
        key = OKPKey.import_key(method["publicKeyJwk"])
        with _eddsa():
            opened = jws.deserialize_compact(token, key, registry=REGISTRY)
    except (JoseError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, JoseError) and "signature" in type(error).__name__.lower():
            raise _Invalid("bad_signature") from None
        raise _Invalid("malformed_jws", type(error).__name__) from None
    try:
        credential = json.loads(opened.payload)
    except ValueError:
        raise _Invalid("malformed_payload", "the payload is not JSON") from None
    if not isinstance(credential, dict):
        raise _Invalid("malformed_payload", "the payload is not a JSON object")
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer != did_doc.get("id"):
        raise _Invalid("issuer_mismatch", f"issuer {issuer!r}, key of {did_doc.get('id')!r}")
    return credential, method, header


def _signed_at(header: dict, method: dict, fallback: datetime) -> datetime:
    """When a token says it was signed; refused when its key was retired by then."""
    iat = header.get("iat")
    if iat is None:
        signed_at = fallback
    elif type(iat) is int and 0 <= iat < 253_402_300_800:  # not a bool, before year 10000
        signed_at = datetime.fromtimestamp(iat, UTC)
    else:
        raise _Invalid("malformed_jws", f"iat {iat!r}")
    if method.get("revoked") and signed_at >= _instant(method["revoked"], "revoked"):
        raise _Invalid("key_retired", f"{method['id']} was retired on {method['revoked']}")
    return signed_at


def _list_bit(entry: dict, lists: dict, did_doc: dict, now: datetime) -> bool:
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or url not in lists:
        raise _Invalid("status_list_missing", str(url))
    status_list, method, header = open_token(lists[url], did_doc)
    list_from = _instant(status_list.get("validFrom"), "the status list's validFrom")
    _signed_at(header, method, list_from)
    if status_list.get("validUntil") is not None and now > _instant(
        status_list["validUntil"], "the status list's validUntil"
    ):
        raise _Invalid("status_list_expired", f"{url}: download it again")
    if now < list_from:
        raise _Invalid("status_list_mismatch", f"{url} is not valid yet")
    subject = status_list.get("credentialSubject")
    types = status_list.get("type")
    if (
        not isinstance(subject, dict)
        or not isinstance(types, list)
        or "BitstringStatusListCredential" not in types
        or status_list.get("id") != url
    ):
        raise _Invalid("status_list_mismatch", f"{url} is not the list the credential names")
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise _Invalid("status_list_mismatch", f"{url} is not a {entry.get('statusPurpose')} list")
    try:
        bits = decode_list(subject["encodedList"])
        index = int(entry["statusListIndex"])
    except (KeyError, ValueError, OSError, TypeError):
        raise _Invalid("malformed_status_list", url) from None
    if len(bits) * 8 < STATUS_LIST_SIZE:
        raise _Invalid("malformed_status_list", f"{url} has fewer than {STATUS_LIST_SIZE} entries")
    if not 0 <= index < len(bits) * 8:
        raise _Invalid("malformed_status_list", f"index {index} outside the list")
    return get_bit(bits, index)


def verify(token: str, did_doc: dict, status_lists: dict | None = None, now=None) -> Verdict:
    """Check a credential with files only: its signature with the issuer's key, that key's
    rotation, its dates, and (when the status lists are given: URL -> signed list) its
    revocation and suspension bits. Status lists are checked before the dates: a withdrawn
    certificate says so even once it has expired."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    try:
        credential, method, header = open_token(token, did_doc)
        valid_from = _instant(credential.get("validFrom"), "validFrom")
        valid_until = _instant(credential.get("validUntil"), "validUntil")
        _signed_at(header, method, valid_from)
        entries = credential.get("credentialStatus") or []
        entries = [entries] if isinstance(entries, dict) else entries
        if not isinstance(entries, list):
            raise _Invalid("malformed_payload", "credentialStatus")
        if status_lists is not None:
            by_purpose = {
                entry.get("statusPurpose"): entry for entry in entries if isinstance(entry, dict)
            }
            missing = [purpose for purpose in PURPOSES if purpose not in by_purpose]
            if missing:
                # Ours always carry both: without them a list proves nothing.
                raise _Invalid("status_entries_missing", ", ".join(missing))
            for purpose, result in (("revocation", REVOKED), ("suspension", SUSPENDED)):
                if _list_bit(by_purpose[purpose], status_lists, did_doc, now):
                    return Verdict(result, purpose, str(by_purpose[purpose].get("id", "")))
        if now > valid_until:
            return Verdict(EXPIRED, "valid_until", credential["validUntil"])
        if now < valid_from:
            return Verdict(NOT_YET_VALID, "valid_from", credential["validFrom"])
        checked = (
            "signature, dates and status" if status_lists is not None else "signature and dates"
        )
        return Verdict(VALID, checked)
    except _Invalid as invalid:
        return invalid.verdict
    except (
        RecursionError,
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        OverflowError,
    ) as error:
        # Shapes no check above foresaw: still a named result, never a traceback.
        return Verdict(INVALID, "malformed_input", type(error).__name__)


# --- The Digital Conformity Credential -----------------------------------------------------


@dataclass(frozen=True)
class PrincipleAssessment:
    code: str  # the principle's code in the standard, e.g. "P1"
    title: str
    conforms: bool


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate says, as plain values (the Django layer reads them from its rows)."""

    number: str
    revision: int
    issuer: str  # the certification body's did:web
    issuer_name: str
    agency_name: str
    agency_legal_name: str
    agency_registration_number: str
    agency_licence_number: str
    agency_country: str
    scheme_name: str
    standard_code: str
    standard_version: str
    valid_from: str  # ISO date
    valid_until: str  # ISO date
    countries: tuple[str, ...]
    corridors: tuple[str, ...]
    sectors: tuple[str, ...]
    principles: tuple[PrincipleAssessment, ...]
    verification_url: str
    pdf_url: str
    pdf_sha256: str
    status: tuple[dict, ...] = ()  # status_entry(...) for each purpose
    credential_id: str = ""  # a URN of its own (default: the revision of the verification URL)


def conformity_credential(facts: CertificateFacts) -> dict:
    """A `DigitalConformityCredential` for one revision of a certificate: the agency as
    `issuedToParty`, one assessment per principle, the scope, and the PDF with its digest.
    Validity runs from the first to the end of the last day (UTC)."""
    return {
        "@context": [VC_CONTEXT],
        "type": ["VerifiableCredential", "DigitalConformityCredential"],
        "id": facts.credential_id or f"{facts.verification_url}#revision-{facts.revision}",
        "issuer": {"id": facts.issuer, "type": ["CredentialIssuer"], "name": facts.issuer_name},
        "validFrom": f"{facts.valid_from}T00:00:00Z",
        "validUntil": f"{facts.valid_until}T23:59:59Z",
        "credentialSubject": {
            "type": ["ConformityAttestation"],
            "id": facts.verification_url,
            "name": f"{facts.scheme_name}: {facts.number}",
            "assessorLevel": "3rdParty",
            "assessmentLevel": "Accredited",
            "attestationType": "certification",
            "issuedToParty": {
                "type": ["Party"],
                "name": facts.agency_legal_name or facts.agency_name,
                "tradingName": facts.agency_name,
                "registeredId": facts.agency_registration_number,
                "licenceNumber": facts.agency_licence_number,
                "registrationCountry": facts.agency_country,
            },
            "scope": {
                "type": ["ConformityScheme"],
                "name": facts.scheme_name,
                "standard": {"code": facts.standard_code, "version": facts.standard_version},
                "countries": list(facts.countries),
                "corridors": list(facts.corridors),
                "sectors": list(facts.sectors),
            },
            "assessment": [
                {
                    "type": ["ConformityAssessment"],
                    "referenceStandard": {
                        "code": facts.standard_code,
                        "version": facts.standard_version,
                    },
                    "assessmentCriteria": [{"id": principle.code, "name": principle.title}],
                    "conformityTopic": "social.labour",
                    "conformance": principle.conforms,
                }
                for principle in facts.principles
            ],
            "conformityCertificate": {
                "type": ["Link"],
                "linkURL": facts.pdf_url,
                "linkType": "application/pdf",
                "sha256": facts.pdf_sha256,
            },
        },
        "credentialStatus": list(facts.status),
    }
