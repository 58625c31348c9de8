"""The public certification status of agencies, for employers and the registry.

A handful of queries whatever the number of agencies asked about: the current certificate
of each is its latest one already valid from, and its status is derived from its case.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, AuditState
from certification.models import (
    TERMINAL_STATES,
    Appeal,
    AppealState,
    CaseState,
    Certificate,
    CertificateRevision,
    CertificateStatus,
    CertificationCase,
    TransitionEvent,
)
from recruiters.models import Agency


class PublicStatus(models.TextChoices):
    """What employers, the registry and webhooks say of an agency (DESIGN.md §2). This
    module is the only one that works it out: from the agency's current certificate, or
    from its open case when it has none."""

    CERTIFIED = "certified", _("Certified")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    IN_PROGRESS = "in_progress", _("Certification in progress")
    NOT_CERTIFIED = "not_certified", _("Not certified")


CERTIFIED, SUSPENDED, WITHDRAWN, EXPIRED, IN_PROGRESS, NOT_CERTIFIED = PublicStatus.values
PUBLIC_STATUS = {
    CertificateStatus.VALID: PublicStatus.CERTIFIED,
    CertificateStatus.SUSPENDED: PublicStatus.SUSPENDED,
    CertificateStatus.WITHDRAWN: PublicStatus.WITHDRAWN,
    CertificateStatus.EXPIRED: PublicStatus.EXPIRED,
}


def with_former_name(certificates):
    """Certificates annotated with `former_name`: the name its latest superseded revision
    recorded, when a reissue changed it (else None). In the same query, so that a list
    costs no more for it."""
    former = (
        CertificateRevision.objects.filter(certificate=OuterRef("pk"))
        .exclude(agency_name=OuterRef("agency_name"))
        .order_by("-revision")
        .values("agency_name")[:1]
    )
    return certificates.annotate(former_name=Subquery(former))


def current_certificates_queryset(today: date):
    """One certificate per agency that has one: the latest already valid from today."""
    latest = (
        Certificate.objects.filter(case__agency=OuterRef("case__agency"), valid_from__lte=today)
        .order_by("-valid_from", "-id")
        .values("pk")[:1]
    )
    return with_former_name(
        Certificate.objects.filter(valid_from__lte=today, pk=Subquery(latest)).select_related(
            "case__agency", "standard"
        )
    )


def certified_agency_count(today: date) -> int:
    """How many agencies are certified today: a certificate in force, its case certified."""
    return (
        Certificate.objects.filter(
            case__state=CaseState.CERTIFIED, valid_from__lte=today, valid_until__gte=today
        )
        .values("case__agency")
        .distinct()
        .count()
    )


def former_name(certificate: Certificate, today: date | None = None) -> str | None:
    """The agency's name before an approved rename, shown beside the certified name
    ("formerly ...") while the certificate is valid or suspended; None otherwise. Read from
    the `with_former_name` annotation when the certificate was loaded with it."""
    if certificate.revision == 1:
        return None
    if certificate.status_on(today or timezone.localdate()) not in SHOWS_FORMER_NAME:
        return None
    if hasattr(certificate, "former_name"):
        return certificate.former_name
    return (
        certificate.revisions.exclude(agency_name=certificate.agency_name)
        .order_by("-revision")
        .values_list("agency_name", flat=True)
        .first()
    )


SHOWS_FORMER_NAME = frozenset({CertificateStatus.VALID, CertificateStatus.SUSPENDED})


def certified_as(certificate: Certificate) -> dict:
    """The agency's name and country as its certificate records them (at issue, or at its
    last reissue), and the name it had before a rename ("formerly")."""
    return {
        "name": certificate.agency_name,
        "country": certificate.agency_country.code,
        "former_name": former_name(certificate),
    }


def certificate_summary(certificate: Certificate) -> dict:
    return {
        "number": certificate.number,
        "revision": certificate.revision,
        "former_name": former_name(certificate),
        "issued": certificate.issued_on.isoformat(),
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "scope": {
            "countries": certificate.countries,
            "corridors": certificate.corridors,
            "sectors": certificate.sectors,
        },
        "standard": {"code": certificate.standard.code, "version": certificate.standard.version},
    }


def statuses_for(
    agency_ids: Iterable[int], today: date
) -> dict[int, tuple[str, Certificate | None]]:
    """agency id -> (public status, current certificate): two queries for any number."""
    agency_ids = list(agency_ids)
    certificates = {
        c.case.agency_id: c
        for c in current_certificates_queryset(today).filter(case__agency_id__in=agency_ids)
    }
    uncertified = [a for a in agency_ids if a not in certificates]
    in_progress = (
        set(
            CertificationCase.objects.filter(agency_id__in=uncertified)
            .exclude(state__in=TERMINAL_STATES)
            .values_list("agency_id", flat=True)
        )
        if uncertified
        else set()
    )
    result = {}
    for agency_id in agency_ids:
        certificate = certificates.get(agency_id)
        if certificate is not None:
            result[agency_id] = (str(PUBLIC_STATUS[certificate.status_on(today)]), certificate)
        else:
            result[agency_id] = (IN_PROGRESS if agency_id in in_progress else NOT_CERTIFIED, None)
    return result


def under_appeal(agency_ids: Iterable[int]) -> set[int] | None:
    """The agencies among these with an appeal lodged and not yet answered, when the scheme
    shows appeals on the public status (APPEAL_SHOWN_ON_PUBLIC_STATUS); None when it does
    not, and then nothing is said of them. The decision appealed stays in force: the
    status itself is unchanged. One query."""
    if not settings.APPEAL_SHOWN_ON_PUBLIC_STATUS:
        return None
    return set(
        Appeal.objects.filter(
            case__agency_id__in=list(agency_ids), state=AppealState.LODGED
        ).values_list("case__agency_id", flat=True)
    )


def _with_appeal(data: dict, agency_id: int, appealed: set[int] | None) -> dict:
    """`under_appeal` added to a status answer, only where the scheme shows it."""
    if appealed is not None:
        data["under_appeal"] = agency_id in appealed
    return data


def public_status(agency_id: int, today: date | None = None) -> tuple[str, Certificate | None]:
    """One agency's (public status, current certificate), as the status endpoint answers.
    Read inside a use case's transaction, before and after its transition, it gives the
    old and new status that webhooks announce."""
    return statuses_for([agency_id], today or timezone.localdate())[agency_id]


# --- the status of one agency, cached ----------------------------------------------------
# The status endpoint is what employers' systems poll. Its answer is cached per agency
# and day, and dropped when an event of the agency's cases is committed, so that a change
# is seen at once where the cache is shared (Redis: REDIS_URL); a per-process cache
# (development) may lag by at most STATUS_CACHE_SECONDS.

STATUS_CACHE_SECONDS = 300


def _status_key(public_id, day: date) -> str:
    return f"agency-status:{public_id}:{day.isoformat()}"


def status_cache_invalidate(public_id) -> None:
    today = timezone.localdate()
    cache.delete_many(
        [_status_key(public_id, today + timedelta(days=shift)) for shift in (-1, 0, 1)]
    )


def cached_agency_status(public_id, compute) -> tuple[str, bytes] | None:
    """(ETag, JSON body) for the agency, from the cache or `compute(public_id)` (None:
    unknown). The body is kept rendered: a hit costs one cache read and nothing else."""
    key = _status_key(public_id, timezone.localdate())
    hit = cache.get(key)
    if hit is not None:
        return hit
    data = compute(public_id)
    if data is None:
        return None
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    cache.set(key, (etag, body), STATUS_CACHE_SECONDS)
    return etag, body


# --- what the API and the web pages show of one agency, or of a supplier list ---


def agency_ref(agency: Agency) -> dict:
    return {"id": str(agency.public_id), "name": agency.name, "country": agency.country.code}


def agency_status(agency: Agency) -> dict:
    today = timezone.localdate()
    public_status, certificate = statuses_for([agency.pk], today)[agency.pk]
    events = TransitionEvent.objects.filter(
        case__agency=agency, subject_type=TransitionEvent.Subject.CASE
    )
    since = events.order_by("-id").values_list("created_at", flat=True).first()
    last_audit = (
        Audit.objects.filter(case__agency=agency, state=AuditState.COMPLETED)
        .order_by("-completed_at")
        .values("kind", "completed_at")
        .first()
    )
    data = {
        "agency": agency_ref(agency),
        "status": public_status,
        "certificate": certificate_summary(certificate) if certificate else None,
        "since": since.isoformat() if since else None,
        "last_audit": {
            "kind": last_audit["kind"],
            "completed_at": last_audit["completed_at"].isoformat(),
        }
        if last_audit
        else None,
    }
    return _with_appeal(data, agency.pk, under_appeal([agency.pk]))


def _normalise(number: str) -> str:
    return " ".join(number.split()).upper()


def supplier_check(suppliers: list[dict]) -> list[dict]:
    """One result per supplier, in order; a constant number of queries whatever the count."""
    ids = {s["id"] for s in suppliers if "id" in s}
    pairs = {
        (s["country"].upper(), _normalise(s["registration_number"]))
        for s in suppliers
        if "country" in s
    }
    agencies = []
    if ids:
        agencies += list(Agency.objects.filter(public_id__in=ids))
    if pairs:
        # A superset by country and number, narrowed to the exact pairs here.
        candidates = Agency.objects.annotate(number=Upper("registration_number")).filter(
            country__in={c for c, _n in pairs}, number__in={n for _c, n in pairs}
        )
        agencies += [
            a for a in candidates if (a.country.code, _normalise(a.registration_number)) in pairs
        ]
    by_id = {a.public_id: a for a in agencies}
    by_pair = {(a.country.code, _normalise(a.registration_number)): a for a in agencies}
    statuses = statuses_for({a.pk for a in agencies}, timezone.localdate())
    appealed = under_appeal(statuses)
    results = []
    for supplier in suppliers:
        if "id" in supplier:
            agency = by_id.get(supplier["id"])
            shown = {"id": str(supplier["id"])}
        else:
            agency = by_pair.get(
                (supplier["country"].upper(), _normalise(supplier["registration_number"]))
            )
            shown = {
                "country": supplier["country"],
                "registration_number": supplier["registration_number"],
            }
        if agency is None:
            results.append(
                {"input": shown, "status": "not_found", "agency": None, "certificate": None}
            )
            continue
        public_status, certificate = statuses[agency.pk]
        results.append(
            _with_appeal(
                {
                    "input": shown,
                    "status": public_status,
                    "agency": agency_ref(agency),
                    "certificate": certificate_summary(certificate) if certificate else None,
                },
                agency.pk,
                appealed,
            )
        )
    return results


_DUMMY_CODE = secrets.token_urlsafe(24)


# What a certificate number can be (ours are FR-2026-000123): anything else is not looked up.
CERTIFICATE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,19}")


def certificate_verify(number: str, code: str) -> Certificate | None:
    """The certificate when number and code match, else None, the same whichever is wrong.
    The code is compared even when the number is unknown, so that timing tells nothing."""
    certificate = (
        with_former_name(Certificate.objects.select_related("case__agency", "standard"))
        .filter(number=number)
        .first()
        if CERTIFICATE_NUMBER.fullmatch(number)
        else None
    )
    expected = certificate.verification_code if certificate else _DUMMY_CODE
    if not secrets.compare_digest(code.encode(), expected.encode()) or certificate is None:
        return None
    return certificate
