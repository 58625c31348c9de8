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
from django.db.models import Q
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
    CertificateStatus,
    CertificationCase,
    TransitionEvent,
    certificate_status,
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


def current_certificates_queryset(today: date):
    """One certificate per agency that has one: the latest already valid from today. A row
    filter on what the services keep (`superseded_on`, certificates_keep_current), so that
    the registry reads it from its indexes, whatever the number of agencies."""
    return (
        Certificate.objects.filter(valid_from__lte=today)
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=today))
        .select_related("case__agency", "standard")
    )


def certificates_keep_current(agency_id: int) -> None:
    """After a certificate of the agency is issued, in the same transaction (the agency's
    row is locked by events.status_before): each of its certificates is superseded on the
    day the next one, in (valid_from, id) order, takes over. The current certificate on a
    day is then the one valid from before it and not yet superseded: the latest valid
    from that day, as before, without a subquery per row."""
    certificates = list(
        Certificate.objects.filter(case__agency_id=agency_id)
        .order_by("valid_from", "id")
        .only("pk", "valid_from", "superseded_on")
    )
    following = None
    changed = []
    for certificate in reversed(certificates):
        if certificate.superseded_on != following:
            certificate.superseded_on = following
            changed.append(certificate)
        following = certificate.valid_from
    Certificate.objects.bulk_update(changed, ["superseded_on"])


# The home page's count: cached for a minute and dropped when a status changes, so that
# it no longer costs a count of the register per visit.
CERTIFIED_COUNT_KEY = "certified-agency-count"


def certified_agency_count(today: date) -> int:
    """How many agencies are certified today: a current certificate in force, its case
    certified (one current certificate per agency: no DISTINCT). Kept for a minute under
    the registry's version, so that a count made before a change is never read after it."""
    key = f"{CERTIFIED_COUNT_KEY}:{registry_version()}:{today.isoformat()}"
    count = cache.get(key)
    if count is None:
        count = (
            current_certificates_queryset(today)
            .filter(case__state=CaseState.CERTIFIED, valid_until__gte=today)
            .count()
        )
        cache.set(key, count, 60)
    return count


def former_name(certificate: Certificate, today: date | None = None) -> str | None:
    """The agency's name before an approved rename, shown beside the certified name
    ("formerly ...") while the certificate is valid or suspended; None otherwise. Kept on
    the certificate by its reissue (services/identity.py)."""
    if certificate.revision == 1 or not certificate.former_name:
        return None
    status = certificate.status_on(today or timezone.localdate())
    return shown_former_name(certificate.revision, certificate.former_name, status)


def shown_former_name(revision: int, former: str, status: str) -> str | None:
    """The rule of `former_name`, for a certificate read as values (status: its
    CertificateStatus on the day)."""
    return former if revision > 1 and former and status in SHOWS_FORMER_NAME else None


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


def _in_progress(agency_ids: list[int]) -> set[int]:
    """The agencies among these with a case still open (one query; none for none)."""
    if not agency_ids:
        return set()
    return set(
        CertificationCase.objects.filter(agency_id__in=agency_ids)
        .exclude(state__in=TERMINAL_STATES)
        .values_list("agency_id", flat=True)
    )


def statuses_for(
    agency_ids: Iterable[int], today: date
) -> dict[int, tuple[str, Certificate | None]]:
    """agency id -> (public status, current certificate): two queries for any number."""
    agency_ids = list(agency_ids)
    certificates = {
        c.case.agency_id: c
        for c in current_certificates_queryset(today).filter(case__agency_id__in=agency_ids)
    }
    in_progress = _in_progress([a for a in agency_ids if a not in certificates])
    result = {}
    for agency_id in agency_ids:
        certificate = certificates.get(agency_id)
        if certificate is not None:
            result[agency_id] = (str(PUBLIC_STATUS[certificate.status_on(today)]), certificate)
        else:
            result[agency_id] = (IN_PROGRESS if agency_id in in_progress else NOT_CERTIFIED, None)
    return result


# What a certificate's summary needs, read as values where many are answered at once.
SUMMARY_VALUES = (
    "case__agency_id",
    "case__state",
    "number",
    "revision",
    "former_name",
    "issued_on",
    "valid_from",
    "valid_until",
    "countries",
    "corridors",
    "sectors",
    "standard__code",
    "standard__version",
)


def _summary_of_values(row: dict, status: str) -> dict:
    """certificate_summary's answer from a row of SUMMARY_VALUES (status: its
    CertificateStatus today); a test holds the two to the same answer."""
    return {
        "number": row["number"],
        "revision": row["revision"],
        "former_name": shown_former_name(row["revision"], row["former_name"], status),
        "issued": row["issued_on"].isoformat(),
        "valid_from": row["valid_from"].isoformat(),
        "valid_until": row["valid_until"].isoformat(),
        "scope": {
            "countries": row["countries"],
            "corridors": row["corridors"],
            "sectors": row["sectors"],
        },
        "standard": {"code": row["standard__code"], "version": row["standard__version"]},
    }


def _statuses_as_values(agency_ids: list[int], today: date) -> dict[int, tuple[str, dict | None]]:
    """statuses_for as values: agency id -> (public status, certificate summary or None).
    Two queries, no model object: for the bulk check of thousands of suppliers."""
    rows = current_certificates_queryset(today).filter(case__agency_id__in=agency_ids)
    summaries = {}
    for row in rows.values(*SUMMARY_VALUES):
        status = certificate_status(
            row["case__state"], row["valid_from"], row["valid_until"], today
        )
        summaries[row["case__agency_id"]] = (
            str(PUBLIC_STATUS[status]),
            _summary_of_values(row, status),
        )
    in_progress = _in_progress([a for a in agency_ids if a not in summaries])
    return {
        agency_id: summaries.get(agency_id)
        or (IN_PROGRESS if agency_id in in_progress else NOT_CERTIFIED, None)
        for agency_id in agency_ids
    }


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


def status_cache_key(public_id) -> str:
    """Where today's answer for the agency is cached (read by config/public_reads.py in
    the same round trip as the throttle's count)."""
    return _status_key(public_id, timezone.localdate())


# Left where an answer was dropped, for longer than a read takes: an answer computed from
# before the change, by a read that began before it committed, cannot be kept over it
# (answers are kept with cache.add, which leaves an existing key alone); after the mark
# expires, the next read keeps the fresh answer.
DROPPED = "dropped"
DROPPED_SECONDS = 5


def status_cache_invalidate(public_id, registry: bool = True) -> None:
    """Once a change of the agency's case commits: its status and its certificates'
    verification answers are dropped and, when the change shows in the registry
    (`registry`), the registry's pages and counts (under its version)."""
    today = timezone.localdate()
    days = [today + timedelta(days=shift) for shift in (-1, 0, 1)]
    numbers = Certificate.objects.filter(case__agency__public_id=public_id).values_list(
        "number", flat=True
    )
    keys = [_status_key(public_id, day) for day in days] + [
        _verification_key(number, day) for number in numbers for day in days
    ]
    cache.set_many(dict.fromkeys(keys, DROPPED), DROPPED_SECONDS)
    if registry:
        registry_cache_invalidate()


def kept(value):
    """A cached value, or None for none or a dropped one."""
    return None if value is None or value == DROPPED else value


# The registry's API pages, kept rendered for a minute under a version that every change
# of a case (status_cache_invalidate) or of an agency's scope replaces: a page read after
# a change committed is read anew. What changes without the services (the admin) is seen
# within the minute.
REGISTRY_VERSION_KEY = "registry-version"
REGISTRY_CACHE_SECONDS = 60


def registry_cache_invalidate() -> None:
    cache.set(REGISTRY_VERSION_KEY, secrets.token_hex(8), None)


def registry_page_key(version: str, base_url: str, query: str) -> str:
    """Where a page is kept: per day (statuses follow the date), version, the host the
    links name, and the query (filters and cursor)."""
    digest = hashlib.sha256(f"{base_url}?{query}".encode()).hexdigest()[:32]
    return f"registry-page:{timezone.localdate().isoformat()}:{version}:{digest}"


def registry_version() -> str:
    """The current version, made when there is none (after a restart of the cache)."""
    version = cache.get(REGISTRY_VERSION_KEY)
    if version is None:
        cache.add(REGISTRY_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(REGISTRY_VERSION_KEY)
    return version


# A certificate's verification answer, kept with a digest of its code (never the code):
# a hit is the throttle's round trip and a constant-time comparison of digests.
VERIFICATION_CACHE_SECONDS = 300


def _verification_key(number: str, day: date) -> str:
    return f"certificate-verification:{number}:{day.isoformat()}"


def verification_cache_key(number: str) -> str | None:
    """None for what is no certificate number (never a key of arbitrary text)."""
    if not CERTIFICATE_NUMBER.fullmatch(number):
        return None
    return _verification_key(number, timezone.localdate())


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def cached_agency_status(public_id, compute) -> tuple[str, bytes] | None:
    """(ETag, JSON body) for the agency, from the cache or `compute(public_id)` (None:
    unknown). The body is kept rendered: a hit costs one cache read and nothing else."""
    key = status_cache_key(public_id)
    hit = kept(cache.get(key))
    if hit is not None:
        return hit
    data = compute(public_id)
    if data is None:
        return None
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    cache.add(key, (etag, body), STATUS_CACHE_SECONDS)
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


def supplier_check_lines(lines: list[dict]) -> list[dict]:
    """A result for every line of a bulk check, in order: the valid ones checked (the same
    queries as supplier_check), a malformed one `invalid` with what is wrong."""
    checked = iter(supplier_check([line for line in lines if "invalid" not in line]))
    return [
        {
            "input": {"text": line["text"]},
            "status": "invalid",
            "agency": None,
            "certificate": None,
            "errors": [{"attr": None, "detail": line["invalid"]}],
        }
        if "invalid" in line
        else next(checked)
        for line in lines
    ]


def supplier_check(suppliers: list[dict]) -> list[dict]:
    """One result per supplier, in order; three queries whatever the count (agencies,
    certificates, open cases; a fourth for appeals where they are shown), all read as
    values."""
    ids = {s["id"] for s in suppliers if "id" in s}
    pairs = {
        (s["country"].upper(), _normalise(s["registration_number"]))
        for s in suppliers
        if "country" in s
    }
    # One query: those by id, and a superset by country and number narrowed to the exact
    # pairs here, as a UNION of two index scans (an OR of the two would read every agency),
    # unordered (the order is the suppliers').
    base = (
        Agency.objects.annotate(number=Upper("registration_number"))
        .order_by()
        .values("pk", "public_id", "name", "country", "registration_number")
    )
    parts = []
    if ids:
        parts.append(base.filter(public_id__in=ids))
    if pairs:
        parts.append(
            base.filter(country__in={c for c, _n in pairs}, number__in={n for _c, n in pairs})
        )
    agencies = list(parts[0].union(*parts[1:])) if parts else []
    by_id = {a["public_id"]: a for a in agencies if a["public_id"] in ids}
    by_pair = {
        key: a
        for a in agencies
        if (key := (a["country"], _normalise(a["registration_number"]))) in pairs
    }
    found = {a["pk"] for a in (*by_id.values(), *by_pair.values())}
    statuses = _statuses_as_values(sorted(found), timezone.localdate())
    appealed = under_appeal(found)
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
        public_status, summary = statuses[agency["pk"]]
        results.append(
            _with_appeal(
                {
                    "input": shown,
                    "status": public_status,
                    "agency": {
                        "id": str(agency["public_id"]),
                        "name": agency["name"],
                        "country": agency["country"],
                    },
                    "certificate": summary,
                },
                agency["pk"],
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
        Certificate.objects.select_related("case__agency", "standard").filter(number=number).first()
        if CERTIFICATE_NUMBER.fullmatch(number)
        else None
    )
    expected = certificate.verification_code if certificate else _DUMMY_CODE
    if not secrets.compare_digest(code.encode(), expected.encode()) or certificate is None:
        return None
    return certificate
