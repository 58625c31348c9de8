"""Certificates as signed credentials (docs/credentials.md): the issuers' keys, issuing a
credential for each certificate and revision, and its status following the case.

The credential is issued inside the transaction that certifies (or reissues) and its
status bits change inside the transaction of each transition (services/_base.fire), so
that no committed state disagrees with the lists. Without a key for the issuing body the
transition is refused, whole: nothing is certified without its credential."""

import contextlib
import hashlib
import logging
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audits.models import AuditKind, AuditState
from certification.errors import TransitionNotAllowed
from certification.models import CaseState, Certificate, Credential, IssuerKey, StatusList
from certification.selectors import open_corrective_actions
from certification.vc import core
from recruiters.models import CertificationBody

log = logging.getLogger(__name__)

# The audits whose lead auditor's body certifies, and so signs.
CERTIFYING_AUDITS = (AuditKind.INITIAL, AuditKind.RECERTIFICATION)


STATUS_LIST_CLOCK_SKEW = 300  # seconds


class KeyProblem(Exception):
    """A body's key cannot be made or used; the message says what to do."""


# --- Identities ----------------------------------------------------------------------------


def host() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).netloc


def body_did(body: CertificationBody) -> str:
    """did:web:<host>[:<path of PUBLIC_BASE_URL>]:bodies:<slug>, which resolves to
    PUBLIC_BASE_URL/bodies/<slug>/did.json."""
    prefix = [part for part in urlsplit(settings.PUBLIC_BASE_URL).path.split("/") if part]
    return core.did_web(host(), *prefix, "bodies", body.slug)


def body_did_document(body: CertificationBody) -> dict:
    """Every key the body ever signed with; a retired one with its time of retirement."""
    did = body_did(body)
    keys = [
        (key.name, key.public_jwk, _retired(key.retired_at) if key.retired_at else None)
        for key in body.issuer_keys.order_by("created_at", "id")
    ]
    return core.did_document(did, keys)


def status_list_url(status_list: StatusList, purpose: str) -> str:
    return (
        f"{settings.PUBLIC_BASE_URL}/bodies/{status_list.certification_body.slug}"
        f"/status/{status_list.number}/{purpose}/"
    )


def _retired(moment: datetime) -> str:
    """The retirement, to the next whole second: a signature's `iat` is in whole seconds,
    and what the key signed in the second it was retired came before it (a retired key
    signs nothing: the retirement and the next signature take the same row lock)."""
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return _instant(moment)


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Keys ----------------------------------------------------------------------------------


def key_environment_variable(body: CertificationBody) -> str:
    return "CREDENTIAL_KEY_" + re.sub(r"[^A-Z0-9]", "_", body.slug.upper())


def key_path(body: CertificationBody, name: str) -> Path:
    return Path(settings.CREDENTIAL_KEY_DIR) / body.slug / f"{name}.pem"


def _write_private(path: Path, pem: bytes) -> None:
    """Readable by the operator only, never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)


def create_key(
    body: CertificationBody, *, rotate: bool = False, development: bool = False, now=None
) -> tuple[IssuerKey, Path]:
    """A new Ed25519 key for the body: the private half written to its file, the public
    half recorded. With `rotate`, the key in use is retired now: it signs nothing more and
    stays in the DID document for what it signed before."""
    with transaction.atomic():
        body = CertificationBody.objects.select_for_update().get(pk=body.pk)
        # After the lock: an issue holding it signs before the retirement, never after.
        now = now or timezone.now()
        active = body.issuer_keys.filter(retired_at__isnull=True).first()
        if active is not None and not rotate:
            raise KeyProblem(
                gettext("%(body)s already signs with %(key)s: rotate it to make a new one.")
                % {"body": body.name, "key": active.name}
            )
        # The day it was made, and a random part: two made on one day differ.
        name = f"key-{now.astimezone(UTC):%Y%m%d}-{secrets.token_hex(3)}"
        key = core.generate_key()
        path = key_path(body, name)
        try:
            _write_private(path, core.private_pem(key))
        except OSError as error:
            raise KeyProblem(
                gettext("Cannot write the key to %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        if active is not None:
            active.retired_at = now
            active.save(update_fields=["retired_at"])
        record = IssuerKey.objects.create(
            certification_body=body,
            name=name,
            public_jwk=core.public_jwk(key),
            development=development,
            created_at=now,
        )
    return record, path


def _private_key(record: IssuerKey):
    """The private half of the key in use: from the body's environment variable when it
    holds this key, else from the key's file (after a rotation the variable may still
    hold the retired key until the operator replaces it)."""
    body = record.certification_body
    variable = key_environment_variable(body)
    path = key_path(body, record.name)
    sources = []
    if os.environ.get(variable):
        sources.append((variable, os.environ[variable]))
    with contextlib.suppress(OSError):  # no file: the variable alone, or nothing
        sources.append((str(path), path.read_bytes()))
    words = {"key": record.name, "body": body.name, "variable": variable}
    if not sources:
        log.error(
            "the private key %s of %s is neither in %s nor in %s",
            record.name,
            body.slug,
            variable,
            path,
        )
        raise KeyProblem(
            gettext(
                "the private key %(key)s of %(body)s is neither in the environment variable "
                "%(variable)s nor in its key file (the server's log names the file)"
            )
            % words
        )
    for source, pem in sources:
        try:
            key = core.load_key(pem)
        except ValueError:
            log.error("%s holds no Ed25519 private key in PEM", source)
            continue
        if core.public_jwk(key) == record.public_jwk:
            return key
        log.error("%s holds another key than %s of %s", source, record.name, body.slug)
    raise KeyProblem(
        gettext(
            "the private key found for %(key)s of %(body)s is another key, or not an Ed25519 "
            "key (the server's log says where it was read)"
        )
        % words
    )


def signing_key(body: CertificationBody):
    """The body's key in use, as (its record, the private key). A development set-up
    (settings.CREDENTIAL_DEVELOPMENT_KEYS) makes one on first need."""
    record = body.issuer_keys.filter(retired_at__isnull=True).first()
    if record is None:
        if not settings.CREDENTIAL_DEVELOPMENT_KEYS:
            raise KeyProblem(
                gettext(
                    "%(body)s has no signing key: make one with `manage.py credential_key %(slug)s`"
                )
                % {"body": body.name, "slug": body.slug}
            )
        record, path = create_key(body, development=True)
        log.warning("made a development signing key for %s at %s", body.slug, path)
    if record.development and not settings.CREDENTIAL_DEVELOPMENT_KEYS:
        raise KeyProblem(
            gettext(
                "%(body)s signs with a development key, which signs nothing outside "
                "development: rotate it with `manage.py credential_key %(slug)s --rotate`"
            )
            % {"body": body.name, "slug": body.slug}
        )
    record.certification_body = body
    return record, _private_key(record)


# --- Issuing -------------------------------------------------------------------------------


def issuer_body(case) -> CertificationBody | None:
    """The body that certifies: its lead auditor's, on the case's last certifying audit."""
    audit = (
        case.audits.filter(kind__in=CERTIFYING_AUDITS)
        .exclude(state=AuditState.CANCELLED)
        .select_related("lead_auditor__certification_body")
        .order_by("-created_at", "-id")
        .first()
    )
    membership = audit.lead_auditor if audit else case.assigned_auditor
    return membership.certification_body if membership else None


def _allocate(body: CertificationBody) -> tuple[StatusList, int]:
    """The next free entry of the body's newest list (a new list when it is full), under a
    lock of the body's row, so that two issues never take the same entry."""
    CertificationBody.objects.select_for_update().filter(pk=body.pk).exists()
    status_list = body.status_lists.order_by("-number").first()
    if status_list is None or status_list.next_index >= status_list.size:
        status_list = StatusList.objects.create(
            certification_body=body,
            number=status_list.number + 1 if status_list else 1,
            size=core.STATUS_LIST_SIZE,
        )
    index = status_list.next_index
    status_list.next_index += 1
    status_list.save(update_fields=["next_index"])
    status_list.certification_body = body
    return status_list, index


def _principles(certificate: Certificate) -> tuple[core.PrincipleAssessment, ...]:
    """A principle conforms when none of its criteria has a non-conformity still open on
    the case (certification needs every major one closed; a minor may still be open)."""
    open_principles = set(
        open_corrective_actions(finding__audit__case=certificate.case).values_list(
            "finding__criterion__principle__code", flat=True
        )
    )
    return tuple(
        core.PrincipleAssessment(
            code=principle.code,
            title=principle.title_en,
            conforms=principle.code not in open_principles,
        )
        for principle in certificate.standard.principles.order_by("position")
    )


def _refused(problem: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        gettext("the certificate's credential cannot be signed: %(problem)s")
        % {"problem": problem},
        guard="issuer_key",
    )


def issue(certificate: Certificate, *, now=None) -> Credential:
    """Sign a credential of the certificate's current revision, with two status entries of
    one new index. Raises TransitionNotAllowed (guard `issuer_key`) when it cannot."""
    from certification.pdf import certificate_pdf, verification_url  # the PDF reads us

    now = now or timezone.now()
    case = certificate.case
    body = issuer_body(case)
    if body is None:
        raise _refused(gettext("no certification body audited the case"))
    status_list, index = _allocate(body)  # first: its lock orders us with a rotation
    try:
        key_record, key = signing_key(body)
    except KeyProblem as problem:
        raise _refused(str(problem)) from None
    credential = Credential(
        certificate=certificate,
        revision=certificate.revision,
        key=key_record,
        status_list=status_list,
        status_index=index,
        issued_at=now,
        suspended=case.state == CaseState.SUSPENDED,
    )
    # The PDF as issued (the day's status; what its digest in the credential names).
    pdf = certificate_pdf(certificate, language=case.language, today=timezone.localdate(now))
    credential.pdf = pdf
    credential.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    facts = core.CertificateFacts(
        number=certificate.number,
        revision=certificate.revision,
        issuer=body_did(body),
        issuer_name=body.name,
        agency_name=certificate.agency_name,
        agency_legal_name=certificate.agency_legal_name,
        agency_registration_number=certificate.agency_registration_number,
        agency_licence_number=certificate.agency_licence_number,
        agency_country=certificate.agency_country.code,
        scheme_name=settings.CREDENTIAL_SCHEME_NAME,
        standard_code=certificate.standard.code,
        standard_version=certificate.standard.version,
        valid_from=certificate.valid_from.isoformat(),
        valid_until=certificate.valid_until.isoformat(),
        countries=tuple(certificate.countries),
        corridors=tuple(certificate.corridors),
        sectors=tuple(certificate.sectors),
        principles=_principles(certificate),
        verification_url=verification_url(certificate),
        pdf_url=f"{settings.PUBLIC_BASE_URL}/api/v1/credentials/{credential.public_id}/pdf/",
        pdf_sha256=credential.pdf_sha256,
        status=tuple(
            core.status_entry(
                url=status_list_url(status_list, purpose), purpose=purpose, index=index
            )
            for purpose in core.PURPOSES
        ),
        credential_id=f"urn:uuid:{credential.public_id}",
    )
    credential.token = core.sign(
        core.conformity_credential(facts), key, f"{body_did(body)}#{key_record.name}", now
    )
    credential.save()
    return credential


# --- Status following the case -------------------------------------------------------------


def follow_case(case, *, issue_missing: bool = False, now=None) -> None:
    """After a transition of a case with a certificate, in its transaction: suspended while
    the case is, revoked (for good) once it is withdrawn. With `issue_missing` (certify, an
    overturn, a reissue under a new identity) a certificate in force with no live
    credential of its revision gets one; a suspension, a reinstatement or an expiry only
    changes bits, so that a missing key never holds one up."""
    certificate = Certificate.objects.filter(case=case).first()
    if certificate is None:
        return
    now = now or timezone.now()
    live = Credential.objects.filter(certificate=certificate, revoked_at__isnull=True)
    if case.state == CaseState.WITHDRAWN:
        # The suspension bit is left as it was: a verifier holding an older revocation
        # list and a newer suspension list must not see both clear.
        live.update(revoked_at=now)
        return
    suspended = case.state == CaseState.SUSPENDED
    live.exclude(suspended=suspended).update(suspended=suspended)
    if (
        issue_missing
        and case.state in (CaseState.CERTIFIED, CaseState.SUSPENDED)
        and not live.filter(revision=certificate.revision).exists()
    ):
        certificate.case = case
        issue(certificate, now=now)


def current_credential(certificate: Certificate) -> Credential | None:
    """The newest credential of the certificate (revoked ones included: a verifier must
    see the revocation)."""
    return certificate.credentials.defer("pdf").order_by("-id").first()


def status_list_token(status_list: StatusList, purpose: str, *, now=None) -> str:
    """The list as a signed BitstringStatusListCredential, its bits read from the rows at
    this moment, signed with the body's key in use."""
    bits = core.new_bits(status_list.size)
    credentials = Credential.objects.filter(status_list=status_list)
    if purpose == "revocation":
        credentials = credentials.filter(revoked_at__isnull=False)
    else:
        credentials = credentials.filter(suspended=True)
    for index in credentials.values_list("status_index", flat=True):
        core.set_bit(bits, index, True)
    body = status_list.certification_body
    now = now or timezone.now()  # before the key: signed no later than its retirement
    key_record, key = signing_key(body)
    listed = core.status_list_credential(
        url=status_list_url(status_list, purpose),
        issuer=body_did(body),
        purpose=purpose,
        bits=bits,
        # A verifier's clock a little behind ours still takes it.
        valid_from=_instant(now - timedelta(seconds=STATUS_LIST_CLOCK_SKEW)),
        valid_until=_instant(now + timedelta(hours=settings.CREDENTIAL_STATUS_LIST_HOURS)),
    )
    return core.sign(listed, key, f"{body_did(body)}#{key_record.name}", now)
