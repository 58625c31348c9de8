"""What a heavy step will do, in words, for the confirmation the case page asks before it:
"The certificate FR-2026-000004 will be suspended; 3 employers watching this agency will be
told." One sentence per step that cannot be taken back or weighs on others."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext, ngettext

from audits.models import AuditKind, AuditState, Finding
from certification.models import CertificationCase, WatchedAgency

# The steps the case page confirms before taking them.
CONFIRMED_STEPS = frozenset(
    {"submit", "certify", "refuse", "suspend", "withdraw", "complete_audit", "cancel"}
)


def _watchers(case: CertificationCase) -> str:
    count = (
        WatchedAgency.objects.filter(agency_id=case.agency_id)
        .values("employer_id")
        .distinct()
        .count()
    )
    if not count:
        return gettext("no employer watches this agency")
    return ngettext(
        "%(count)s employer watching this agency will be told",
        "%(count)s employers watching this agency will be told",
        count,
    ) % {"count": count}


def _certificate_number(case: CertificationCase) -> str:
    certificate = getattr(case, "certificate", None)
    return certificate.number if certificate else ""


def consequence(case: CertificationCase, name: str) -> str | None:
    """What taking the step `name` on the case will do, or None for a light step."""
    agency = case.agency.name
    if name == "submit":
        return gettext(
            "The self-assessment of %(agency)s will go to the scheme; it cannot be changed "
            "again unless a reviewer returns it."
        ) % {"agency": agency}
    if name == "certify":
        return gettext(
            "A certificate will be issued to %(agency)s for %(years)s years and listed on the "
            "public register; %(watchers)s."
        ) % {
            "agency": agency,
            "years": settings.CERTIFICATE_VALIDITY_YEARS,
            "watchers": _watchers(case),
        }
    if name == "refuse":
        return gettext(
            "Certification of %(agency)s will be refused and this case closed for good; the "
            "agency would have to apply again."
        ) % {"agency": agency}
    if name == "suspend":
        return gettext(
            "The certificate %(number)s will be suspended and shown so on the public register; "
            "%(watchers)s."
        ) % {"number": _certificate_number(case), "watchers": _watchers(case)}
    if name == "withdraw":
        return gettext(
            "The certificate %(number)s will be withdrawn for good and its open audits "
            "cancelled; %(watchers)s."
        ) % {"number": _certificate_number(case), "watchers": _watchers(case)}
    if name == "complete_audit":
        audit = case.audits.filter(state=AuditState.IN_PROGRESS).first()
        findings = Finding.objects.filter(audit=audit) if audit else Finding.objects.none()
        recorded = findings.count()
        # a forced-labour indicator makes any finding a major non-conformity (DOMAIN.md §5)
        non_conformities = findings.filter(
            Q(grade__in=["minor", "major"]) | ~Q(indicators=[])
        ).count()
        sentence = gettext(
            "The audit will be closed with %(findings)s, which can no longer be changed; a "
            "corrective action will open for the agency for each non-conformity (%(count)s "
            "so far)."
        ) % {
            "findings": ngettext("%(count)s finding", "%(count)s findings", recorded)
            % {"count": recorded},
            "count": non_conformities,
        }
        if audit is not None and audit.kind in (AuditKind.SURVEILLANCE, AuditKind.SPECIAL):
            sentence += " " + gettext(
                "A major non-conformity suspends the certificate %(number)s at once; %(watchers)s."
            ) % {"number": _certificate_number(case), "watchers": _watchers(case)}
        return sentence
    if name == "cancel":
        return gettext(
            "The application of %(agency)s will be cancelled; this cannot be undone."
        ) % {"agency": agency}
    return None
