"""The domain's codes in words, in English and French (gettext): the one place that
turns a code into what a person reads, for pages, notices and the services' messages."""

from django.utils.translation import gettext_lazy as _

from audits.models import AuditKind, AuditState, Bearer, CorrectiveActionState, Grade, Route
from certification.models import CaseState
from certification.status import PublicStatus

LABELS = {
    "status": {
        **dict(PublicStatus.choices),
        "not_found": _("Not found"),
        "valid": _("Valid"),
        "not_yet_valid": _("Not yet valid"),
    },
    "state": dict(CaseState.choices),
    "grade": dict(Grade.choices),
    "audit_state": dict(AuditState.choices),
    "audit_kind": dict(AuditKind.choices),
    "corrective_state": dict(CorrectiveActionState.choices),
    "answer_status": {
        "compliant": _("Compliant"),
        "non_compliant": _("Not compliant"),
        "not_applicable": _("Not applicable"),
        "unanswered": _("Unanswered"),
        "not_scored": _("Not scored"),
    },
    "readiness": {
        "ready": _("Ready"),
        "not_ready": _("Not ready"),
        "incomplete": _("Incomplete"),
    },
    "indicator": {
        "abuse_of_vulnerability": _("Abuse of vulnerability"),
        "deception": _("Deception"),
        "restriction_of_movement": _("Restriction of movement"),
        "isolation": _("Isolation"),
        "physical_sexual_violence": _("Physical and sexual violence"),
        "intimidation_threats": _("Intimidation and threats"),
        "retention_of_identity_documents": _("Retention of identity documents"),
        "withholding_of_wages": _("Withholding of wages"),
        "debt_bondage": _("Debt bondage"),
        "abusive_working_living_conditions": _("Abusive working and living conditions"),
        "excessive_overtime": _("Excessive overtime"),
    },
    "cost": {
        "recruitment_fee": _("Recruitment fee"),
        "medical": _("Medical examinations"),
        "insurance": _("Insurance"),
        "skills_test": _("Skills and qualification tests"),
        "training": _("Training and orientation"),
        "equipment": _("Equipment"),
        "travel_lodging": _("Travel and lodging"),
        "administrative": _("Administrative costs (passports, visas, permits)"),
        "illegitimate": _("Illegitimate costs (bribes, kickbacks)"),
    },
    "bearer": dict(Bearer.choices),
    "route": dict(Route.choices),
    "yes_no": {"yes": _("Yes"), "no": _("No")},
}


def label(vocabulary: str, code) -> str:
    if code is None:
        return ""
    return str(LABELS.get(vocabulary, {}).get(code, str(code).replace("_", " ")))


def state_words(state: str) -> str:
    """A state of a case, a corrective action or an audit, in lower-case words ("corrective
    action"), for a sentence."""
    for vocabulary in ("state", "corrective_state", "audit_state"):
        if state in LABELS[vocabulary]:
            return label(vocabulary, state).lower()
    return state.replace("_", " ")
