"""One entry point for firing a case transition by its name, for the API and the web pages
alike, so that both reach exactly the same use case."""

from datetime import date

from certification.models import CertificationCase
from certification.services.assessment import case_cancel, case_return_to_agency, case_submit
from certification.services.auditing import case_complete_audit, case_plan_audit, case_start_audit
from certification.services.corrective import case_close_corrective_actions
from certification.services.decisions import (
    case_certify,
    case_expire,
    case_refuse,
    case_reinstate,
    case_suspend,
    case_withdraw,
)
from recruiters.models import Membership

TRANSITION_NAMES = (
    "submit",
    "return_to_agency",
    "plan_audit",
    "start_audit",
    "complete_audit",
    "close_corrective_actions",
    "certify",
    "refuse",
    "suspend",
    "reinstate",
    "withdraw",
    "expire",
    "cancel",
)


def case_fire(
    *,
    actor,
    case: CertificationCase,
    name: str,
    reason: str = "",
    auditor: Membership | None = None,
    stage1_date: date | None = None,
    stage2_date: date | None = None,
) -> None:
    """Fire the named transition through its use case. `reason` is the rationale of a
    decision; `auditor` and the stage dates are for plan_audit only."""
    calls = {
        "submit": lambda: case_submit(actor=actor, case=case),
        "return_to_agency": lambda: case_return_to_agency(actor=actor, case=case, reason=reason),
        "plan_audit": lambda: case_plan_audit(
            actor=actor,
            case=case,
            auditor=auditor,
            stage1_date=stage1_date,
            stage2_date=stage2_date,
        ),
        "start_audit": lambda: case_start_audit(actor=actor, case=case),
        "complete_audit": lambda: case_complete_audit(actor=actor, case=case),
        "close_corrective_actions": lambda: case_close_corrective_actions(actor=actor, case=case),
        "certify": lambda: case_certify(actor=actor, case=case, rationale=reason),
        "refuse": lambda: case_refuse(actor=actor, case=case, rationale=reason),
        "suspend": lambda: case_suspend(actor=actor, case=case, reason=reason),
        "reinstate": lambda: case_reinstate(actor=actor, case=case, reason=reason),
        "withdraw": lambda: case_withdraw(actor=actor, case=case, reason=reason),
        "expire": lambda: case_expire(actor=actor, case=case),
        "cancel": lambda: case_cancel(actor=actor, case=case, reason=reason),
    }
    if name not in calls:
        raise ValueError(f"unknown transition {name!r}")
    calls[name]()
