"""Reads about an agency's certified identity: whether a change of it needs a reviewer,
its requests, its history, the certificates a change reissues."""

from datetime import date

from certification.models import (
    TERMINAL_STATES,
    AgencyEvent,
    CaseState,
    Certificate,
    CertificationCase,
    IdentityChange,
    IdentityChangeState,
)

# A case in one of these states holds the agency's identity: from submission, the
# scheme screens, audits and certifies the agency as it then is. A draft is the agency's
# own; a refused, withdrawn, expired or cancelled case is over (and its certificate, if
# any, no longer valid), so none of them locks. A valid or suspended certificate's case is
# certified or suspended, so it locks too.
LOCKING_STATES = frozenset(CaseState) - TERMINAL_STATES - {CaseState.DRAFT}

# The certificates a change reissues: in force or yet to start (a renewal's).
REISSUED_STATES = frozenset({CaseState.CERTIFIED, CaseState.SUSPENDED})


def agency_is_locked(agency) -> bool:
    """True when a change of the agency's identity must be requested and approved."""
    return CertificationCase.objects.filter(agency=agency, state__in=LOCKING_STATES).exists()


def agency_live_cases(agency) -> list[CertificationCase]:
    """The agency's cases that are not over (a draft included): their history records
    what happens to the agency's identity."""
    return list(
        CertificationCase.objects.filter(agency=agency)
        .exclude(state__in=TERMINAL_STATES)
        .select_related("agency")
        .order_by("pk")
    )


def identity_change_pending(agency) -> IdentityChange | None:
    return IdentityChange.objects.filter(agency=agency, state=IdentityChangeState.PENDING).first()


def identity_change_list(*, agency=None, state: str | None = None):
    """Requests, newest first, with what a list shows (a constant number of queries)."""
    changes = IdentityChange.objects.select_related("agency", "requested_by", "decided_by")
    if agency is not None:
        changes = changes.filter(agency=agency)
    if state:
        changes = changes.filter(state=state)
    return changes


def agency_history(agency):
    """The agency's history, newest first."""
    return AgencyEvent.objects.filter(agency=agency).select_related("actor", "identity_change")


def certificates_to_reissue(agency, today: date):
    """The agency's certificates that name it to the public today or will: valid or
    suspended, or a renewal's not yet valid."""
    return Certificate.objects.filter(
        case__agency=agency, case__state__in=REISSUED_STATES, valid_until__gte=today
    )
