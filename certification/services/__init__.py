"""Every use case of the workflow: one keyword-only function each, taking the acting user
(None: the scheduler). Each checks the role (PermissionDenied), locks its rows, checks the
guards (TransitionNotAllowed, naming the failed one), fires the transition, writes the
TransitionEvent and sends notices once the transaction commits."""

from certification.services.appeals import (
    appeal_decide,
    appeal_file_open,
    appeal_lodge,
    appeals_due,
    case_overturn,
)
from certification.services.assessment import (
    case_cancel,
    case_open,
    case_return_to_agency,
    case_submit,
    self_assessment_import_workbook,
    self_assessment_save_answers,
)
from certification.services.auditing import (
    case_complete_audit,
    case_plan_audit,
    case_start_audit,
    finding_record,
    surveillance_audit_plan,
)
from certification.services.corrective import (
    case_close_corrective_actions,
    corrective_action_accept,
    corrective_action_reject,
    corrective_action_submit,
    corrective_action_verify,
)
from certification.services.decisions import (
    case_certify,
    case_expire,
    case_open_renewal,
    case_refuse,
    case_reinstate,
    case_suspend,
    case_withdraw,
)
from certification.services.evidence import evidence_open, evidence_take_back, evidence_upload
from certification.services.identity import (
    agency_profile_update,
    identity_change_approve,
    identity_change_reject,
    identity_change_request,
)

__all__ = [
    "agency_profile_update",
    "appeal_decide",
    "appeal_file_open",
    "appeal_lodge",
    "appeals_due",
    "case_cancel",
    "case_certify",
    "case_close_corrective_actions",
    "case_complete_audit",
    "case_expire",
    "case_open",
    "case_open_renewal",
    "case_overturn",
    "case_plan_audit",
    "case_refuse",
    "case_reinstate",
    "case_return_to_agency",
    "case_start_audit",
    "case_submit",
    "case_suspend",
    "case_withdraw",
    "corrective_action_accept",
    "corrective_action_reject",
    "corrective_action_submit",
    "corrective_action_verify",
    "evidence_open",
    "evidence_take_back",
    "evidence_upload",
    "finding_record",
    "identity_change_approve",
    "identity_change_reject",
    "identity_change_request",
    "self_assessment_import_workbook",
    "self_assessment_save_answers",
    "surveillance_audit_plan",
]
