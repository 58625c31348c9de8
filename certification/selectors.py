"""Reads about cases."""

from django.db.models import Q

from certification.models import CertificationCase, TransitionEvent
from certification.services._base import is_lead_auditor
from recruiters import permissions

# Who may fire each case transition (DESIGN.md §2); "scheduler" is run_due_work.
TRANSITION_ROLES: dict[str, frozenset[str]] = {
    "submit": frozenset({"agency_member"}),
    "return_to_agency": frozenset({"reviewer"}),
    "plan_audit": frozenset({"reviewer"}),
    "start_audit": frozenset({"assigned_auditor"}),
    "complete_audit": frozenset({"assigned_auditor"}),
    "close_corrective_actions": frozenset({"assigned_auditor"}),
    "certify": frozenset({"reviewer"}),
    "refuse": frozenset({"reviewer", "scheduler"}),
    "suspend": frozenset({"reviewer", "scheduler"}),
    "reinstate": frozenset({"reviewer"}),
    "withdraw": frozenset({"reviewer", "scheduler"}),
    "expire": frozenset({"scheduler"}),
    "cancel": frozenset({"agency_member"}),
}


def case_roles(*, case: CertificationCase, user) -> frozenset[str]:
    """The roles a user holds on a case."""
    roles = set()
    if permissions.is_agency_member(user, case.agency):
        roles.add("agency_member")
    if is_lead_auditor(user, case.assigned_auditor):
        roles.add("assigned_auditor")
    if permissions.is_reviewer(user):
        roles.add("reviewer")
    return frozenset(roles)


def case_available_transitions(*, case: CertificationCase, user) -> list[str]:
    """Transitions the case's state allows and the user's roles permit; guards such as
    missing answers are checked when the transition is tried."""
    roles = case_roles(case=case, user=user)
    return sorted(
        transition.name
        for transition in case.get_available_state_transitions()
        if roles & TRANSITION_ROLES[transition.name]
    )


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
        roles = set()
        if case.agency_id in self.agency_ids:
            roles.add("agency_member")
        if is_lead_auditor(self.user, case.assigned_auditor):
            roles.add("assigned_auditor")
        if self.is_reviewer:
            roles.add("reviewer")
        return frozenset(roles)

    def available_transitions(self, case: CertificationCase) -> list[str]:
        roles = self.roles(case)
        return sorted(
            t.name
            for t in case.get_available_state_transitions()
            if roles & TRANSITION_ROLES[t.name]
        )


def self_assessment_result(case: CertificationCase) -> dict:
    """The self-assessment's result with its reasons: as stored at submission, or scored
    live while the case is a draft."""
    from certification.services.assessment import score_case_self_assessment

    stored = case.self_assessment.result
    return stored if stored is not None else score_case_self_assessment(case).to_dict()
