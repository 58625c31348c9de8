"""Each case transition as a service call, with valid arguments, for table-driven tests."""

from django.utils import timezone

from certification import services
from certification.models import CaseState
from tests.certification.world import COMPLIANT, RATIONALE, REFUSAL, after_validity


def _submit(world, case, actor):
    if case.state == CaseState.DRAFT:
        services.self_assessment_save_answers(
            actor=world.agency_member, case=case, answers=dict(COMPLIANT)
        )
    return services.case_submit(actor=actor, case=case)


def _complete(world, case, actor):
    if case.state == CaseState.AUDITING:
        world.record_findings(case)
    return services.case_complete_audit(actor=actor, case=case)


def _close(world, case, actor):
    if case.state == CaseState.CORRECTIVE_ACTION:
        world.answer_corrective_actions(case)
    return services.case_close_corrective_actions(actor=actor, case=case)


def _plan(world, case, actor):
    today = timezone.localdate()
    return services.case_plan_audit(
        actor=actor,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )


def _expire(world, case, actor):
    now = after_validity(case) if hasattr(case, "certificate") else None
    return services.case_expire(actor=actor, case=case, now=now)


CALLS = {
    "submit": _submit,
    "return_to_agency": lambda w, c, a: services.case_return_to_agency(
        actor=a, case=c, reason="Evidence missing."
    ),
    "plan_audit": _plan,
    "start_audit": lambda w, c, a: services.case_start_audit(actor=a, case=c),
    "complete_audit": _complete,
    "close_corrective_actions": _close,
    "certify": lambda w, c, a: services.case_certify(actor=a, case=c, rationale=RATIONALE),
    "refuse": lambda w, c, a: services.case_refuse(actor=a, case=c, rationale=REFUSAL),
    "suspend": lambda w, c, a: services.case_suspend(actor=a, case=c, reason="Complaint."),
    "reinstate": lambda w, c, a: services.case_reinstate(actor=a, case=c),
    "withdraw": lambda w, c, a: services.case_withdraw(
        actor=a, case=c, reason="Complaint substantiated."
    ),
    "expire": _expire,
    "cancel": lambda w, c, a: services.case_cancel(actor=a, case=c),
}

# DESIGN.md §2: (source, transition) -> target. Anything else is refused.
TARGETS = {
    ("draft", "submit"): "submitted",
    ("submitted", "return_to_agency"): "draft",
    ("submitted", "plan_audit"): "audit_planned",
    ("audit_planned", "start_audit"): "auditing",
    ("auditing", "complete_audit"): "in_review",  # corrective_action when non-conformities
    ("corrective_action", "close_corrective_actions"): "in_review",
    ("in_review", "certify"): "certified",
    ("in_review", "refuse"): "refused",
    ("corrective_action", "refuse"): "refused",
    ("certified", "suspend"): "suspended",
    ("suspended", "reinstate"): "certified",
    ("certified", "withdraw"): "withdrawn",
    ("suspended", "withdraw"): "withdrawn",
    ("certified", "expire"): "expired",
    ("suspended", "expire"): "expired",
    ("draft", "cancel"): "cancelled",
    ("submitted", "cancel"): "cancelled",
    ("audit_planned", "cancel"): "cancelled",
}

# The role that may fire each transition, used where the role does not matter.
ACTOR_ROLE = {
    "submit": "agency_member",
    "return_to_agency": "reviewer",
    "plan_audit": "reviewer",
    "start_audit": "assigned_auditor",
    "complete_audit": "assigned_auditor",
    "close_corrective_actions": "assigned_auditor",
    "certify": "reviewer",
    "refuse": "reviewer",
    "suspend": "reviewer",
    "reinstate": "reviewer",
    "withdraw": "reviewer",
    "expire": "scheduler",
    "cancel": "agency_member",
}
