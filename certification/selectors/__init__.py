"""Reads about cases: who sees which, what they may do, scores, eligible auditors."""

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from audits.models import CorrectiveAction, CorrectiveActionState
from audits.selectors import engine_answers
from certification import transitions
from certification.errors import TransitionNotAllowed
from certification.labels import day
from certification.models import CaseState, Certificate, CertificationCase, TransitionEvent
from recruiters import permissions
from recruiters.models import ConflictOfInterest, Membership, Role
from scoring import engine
from scoring.catalogue import catalogue_get

# A case has a certificate from its certification on, whatever became of it later.
CERTIFIED_ONCE = frozenset(
    {CaseState.CERTIFIED, CaseState.SUSPENDED, CaseState.WITHDRAWN, CaseState.EXPIRED}
)
IN_FORCE = frozenset({CaseState.CERTIFIED, CaseState.SUSPENDED})


def case_replay_state(*, case: CertificationCase) -> str | None:
    """The state the event log leads to, checking that each event starts where the last one
    ended. Raises ValueError on a gap: the log must explain every state the case had."""
    state = None
    for event in TransitionEvent.objects.filter(
        case=case, subject_type=TransitionEvent.Subject.CASE
    ).order_by("id"):
        if event.source != (state or ""):
            raise ValueError(
                f"event {event.pk} ({event.transition}) starts at {event.source!r}, not {state!r}"
            )
        state = event.target
    return state


class CaseAccess:
    """What one person may see of cases, worked out once per request, so that a list costs
    the same number of queries whatever its length."""

    def __init__(self, user):
        self.user = user
        self.is_reviewer = permissions.is_reviewer(user)
        self.agency_ids = (
            set(
                user.memberships.filter(role="agency_member", is_active=True).values_list(
                    "agency_id", flat=True
                )
            )
            if user.is_authenticated and user.is_active
            else set()
        )

    def cases(self):
        """The cases this person may see: reviewers all; agency members their agency's;
        auditors those they are or were assigned to."""
        if not (self.user.is_authenticated and self.user.is_active):
            return CertificationCase.objects.none()
        queryset = CertificationCase.objects.select_related(
            "agency", "standard", "assigned_auditor__user", "certificate"
        )
        if self.is_reviewer:
            return queryset
        audited = CertificationCase.objects.filter(audits__lead_auditor__user=self.user).values(
            "pk"
        )
        return queryset.filter(
            Q(agency_id__in=self.agency_ids)
            | Q(assigned_auditor__user=self.user)
            | Q(pk__in=audited)
        )

    def roles(self, case: CertificationCase) -> frozenset[str]:
        """The roles this person holds on the case: the one place they are worked out."""
        roles = set()
        if case.agency_id in self.agency_ids:
            roles.add(transitions.AGENCY_MEMBER)
        if permissions.is_lead_auditor(self.user, case.assigned_auditor):
            roles.add(transitions.ASSIGNED_AUDITOR)
        if self.is_reviewer:
            roles.add(transitions.REVIEWER)
        return frozenset(roles)

    def available_transitions(self, case: CertificationCase) -> list[str]:
        """Transitions the case's state allows and this person's roles permit; guards such
        as missing answers are checked when the transition is tried."""
        roles = self.roles(case)
        return sorted(
            t.name
            for t in case.get_available_state_transitions()
            if roles & transitions.case_transition(t.name).roles
        )


def case_certificate(case: CertificationCase, *, in_force: bool = False) -> Certificate | None:
    """The certificate a case shows: once certified, whatever became of it (or, with
    `in_force`, only while certified or suspended)."""
    states = IN_FORCE if in_force else CERTIFIED_ONCE
    return getattr(case, "certificate", None) if case.state in states else None


def score_case_self_assessment(case: CertificationCase) -> engine.SelfAssessmentResult:
    """The engine's result for the case's answers as they are now."""
    catalogue = catalogue_get(code=case.standard.code, version=case.standard.version)
    return engine.score_self_assessment(
        catalogue,
        engine_answers(case.self_assessment),
        readiness_threshold=settings.SCORING_READINESS_THRESHOLD,
    )


def self_assessment_result(case: CertificationCase) -> dict:
    """The self-assessment's result with its reasons: as stored at submission, or scored
    live while the case is a draft."""
    stored = case.self_assessment.result
    return stored if stored is not None else score_case_self_assessment(case).to_dict()


def auditor_ineligibility(
    auditor: Membership, agency, today: date, conflicts: list[str] | None = None
) -> TransitionNotAllowed | None:
    """Why the auditor may not audit the agency today, or None (DOMAIN.md §5): an active
    auditor of a body accredited today, with no declared conflict of interest with the
    agency. `conflicts` are the kinds declared, when the caller has already read them."""
    if auditor.role != Role.AUDITOR or not auditor.is_active or not auditor.user.is_active:
        return TransitionNotAllowed(
            gettext("%(auditor)s is not an active auditor") % {"auditor": auditor.user.username},
            guard="auditor_active",
        )
    body = auditor.certification_body
    if not body.is_accredited_on(today):
        return TransitionNotAllowed(
            gettext("the accreditation of %(body)s is not valid on %(day)s (%(start)s to %(end)s)")
            % {
                "body": body.name,
                "day": day(today),
                "start": day(body.accredited_from),
                "end": day(body.accredited_until),
            },
            guard="auditor_accredited",
        )
    if conflicts is None:
        conflicts = ConflictOfInterest.objects.filter(auditor=auditor, agency=agency).values_list(
            "kind", flat=True
        )
    conflicts = sorted(conflicts)
    if conflicts:
        return TransitionNotAllowed(
            gettext("%(auditor)s declared a conflict of interest with %(agency)s (%(kinds)s)")
            % {
                "auditor": auditor.user.username,
                "agency": agency.name,
                "kinds": ", ".join(conflicts),
            },
            guard="conflict_of_interest",
        )
    return None


def auditors_for(agency, today: date) -> list[tuple[Membership, TransitionNotAllowed | None]]:
    """Every auditor, each with why it may not audit the agency (None: eligible), eligible
    first. Two queries whatever the number of auditors."""
    auditors = list(
        Membership.objects.filter(role=Role.AUDITOR)
        .select_related("user", "certification_body")
        .order_by("certification_body__name", "user__username")
    )
    declared: dict[int, list[str]] = {}
    for auditor_id, kind in ConflictOfInterest.objects.filter(agency=agency).values_list(
        "auditor_id", "kind"
    ):
        declared.setdefault(auditor_id, []).append(kind)
    rows = [(a, auditor_ineligibility(a, agency, today, declared.get(a.pk, []))) for a in auditors]
    return sorted(rows, key=lambda row: row[1] is not None)


def open_corrective_actions(**filters):
    """Corrective actions still open: every one not verified closed (an accepted plan
    included: it is closed by its verification)."""
    return CorrectiveAction.objects.filter(**filters).exclude(state=CorrectiveActionState.VERIFIED)


def open_major_codes(case: CertificationCase) -> list[str]:
    """The criteria of the case's open major non-conformities."""
    return list(
        open_corrective_actions(finding__audit__case=case, severity="major")
        .order_by("finding__criterion__code")
        .values_list("finding__criterion__code", flat=True)
    )
