"""The domain's codes in words, in English and French (gettext): the one place that
turns a code into what a person reads, for pages, notices and the services' messages; and
the standard's own texts in the reader's language."""

import logging
from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audits.models import (
    COST_CATEGORY_LABELS,
    AuditKind,
    AuditState,
    Bearer,
    CorrectiveActionState,
    Grade,
    Route,
)
from certification.models import AgencyEvent, AppealState, CaseState, IdentityChangeState
from certification.status import PublicStatus
from recruiters.dates import day
from recruiters.models import SectorCode

logger = logging.getLogger(__name__)

LABELS = {
    "status": {
        **dict(PublicStatus.choices),
        "not_found": _("Not found"),
        "invalid": _("Not understood"),
        "valid": _("Valid"),
        "not_yet_valid": _("Not yet valid"),
    },
    "state": dict(CaseState.choices),
    "grade": dict(Grade.choices),
    "audit_state": dict(AuditState.choices),
    "audit_kind": dict(AuditKind.choices),
    "corrective_state": dict(CorrectiveActionState.choices),
    "identity_change_state": dict(IdentityChangeState.choices),
    "appeal_state": dict(AppealState.choices),
    "agency_event": dict(AgencyEvent.Kind.choices),
    "identity_field": {
        "name": _("Name"),
        "legal_name": _("Legal name"),
        "registration_number": _("Registration number"),
        "licence_number": _("Recruitment licence number"),
        "country": _("Country"),
        "address": _("Address"),
        "website": _("Website"),
        "size_band": _("Workers placed a year"),
        "sectors": _("Sectors"),
        "corridors": _("Corridors"),
    },
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
    "cost": COST_CATEGORY_LABELS,
    "sector": dict(SectorCode.choices),
    "bearer": dict(Bearer.choices),
    "route": dict(Route.choices),
    "yes_no": {"yes": _("Yes"), "no": _("No")},
}


def label(vocabulary: str, code) -> str:
    if code is None:
        return ""
    return str(LABELS.get(vocabulary, {}).get(code, str(code).replace("_", " ")))


def grade_in_words(finding) -> str:
    """A finding's grade, and why it counts as more serious when it does: "Minor
    non-conformity; treated as major non-conformity because C2.1 is zero-tolerance"."""
    entered = label("grade", finding.grade)
    effective = finding.effective_grade or finding.grade
    if effective == finding.grade:
        return entered
    if finding.indicators:
        because = gettext("it shows forced-labour indicators: %(indicators)s") % {
            "indicators": ", ".join(label("indicator", i).lower() for i in finding.indicators)
        }
    elif finding.criterion.zero_tolerance:
        because = gettext("%(criterion)s is zero-tolerance") % {"criterion": finding.criterion.code}
    else:  # no rule of ours makes it so: say what it is
        because = gettext("the scoring engine said so")
    return gettext("%(entered)s; treated as %(effective)s because %(because)s") % {
        "entered": entered,
        "effective": label("grade", effective).lower(),
        "because": because,
    }


def state_words(state: str) -> str:
    """A state of a case, a corrective action or an audit, in lower-case words ("corrective
    action"), for a sentence."""
    for vocabulary in ("state", "corrective_state", "audit_state"):
        if state in LABELS[vocabulary]:
            return label(vocabulary, state).lower()
    return state.replace("_", " ")


# What the agency sees about its case: the state in words and what to do next.
NEXT_STEP = {
    CaseState.DRAFT: _(
        "Answer every question of the self-assessment, check the preview, then submit it."
    ),
    CaseState.SUBMITTED: _("The scheme is screening your self-assessment and will plan an audit."),
    CaseState.AUDIT_PLANNED: _(
        "An audit is planned: prepare the documents the auditor will ask for."
    ),
    CaseState.AUDITING: _("The audit is under way."),
    CaseState.CORRECTIVE_ACTION: _(
        "Answer each non-conformity with a corrective action plan and evidence before its due date."
    ),
    CaseState.IN_REVIEW: _("An independent reviewer is taking the certification decision."),
    CaseState.CERTIFIED: _(
        "Certified. Keep your practices up to date for the surveillance audits."
    ),
    CaseState.SUSPENDED: _("Suspended. Close the open corrective actions to be reinstated."),
    CaseState.REFUSED: _("Certification was refused. You may apply again."),
    CaseState.WITHDRAWN: _("The certificate was withdrawn."),
    CaseState.EXPIRED: _("The certificate expired. Open a new application to be certified again."),
    CaseState.CANCELLED: _("The application was cancelled."),
}


def reader_language() -> str:
    """The standard's language for the reader: fr or en."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def localized(obj, field: str) -> str:
    """`obj.<field>_fr` for a French reader when it is filled, `obj.<field>_en` otherwise."""
    if reader_language() == "fr" and getattr(obj, f"{field}_fr", ""):
        return getattr(obj, f"{field}_fr")
    return getattr(obj, f"{field}_en", "")


def choice_label(choice: dict) -> str:
    """A choice of a question (code and label in both languages) in the reader's words."""
    return choice["label"].get(reader_language()) or choice["label"]["en"]


def answer_text(question, value) -> str:
    """An answer as the reader sees it: the label of a choice, yes or no in their language,
    a number without trailing zeros; worker costs are shown as a table elsewhere."""
    if value is None:
        return ""
    if value == "not_applicable":
        return str(_("Not applicable"))
    if question.answer_type == "yes_no":
        return label("yes_no", value)
    if question.answer_type == "choice":
        for choice in question.choices:
            if choice["code"] == value:
                return choice_label(choice)
    if question.answer_type == "number":
        number = Decimal(str(value))
        return format(number.normalize() if number == number.to_integral() else number, "f")
    return str(value)


def sectors_in_words(codes) -> str:
    """Sectors by their names in the active language, as people read them."""
    return ", ".join(label("sector", code) for code in codes or ())


# The log's events of what a case holds: their states are of the thing, not the case.
_EVENT_VOCABULARIES = (
    ("corrective_action_", "corrective_state"),
    ("audit_", "audit_state"),
    ("identity_change_", "identity_change_state"),
    ("appeal_", "appeal_state"),
)


def event_state(name: str, code) -> str:
    """A state named in an event of the log, in words: the case's, or its audit's,
    corrective action's, identity change's or appeal's for their own events."""
    for prefix, vocabulary in _EVENT_VOCABULARIES:
        if name.startswith(prefix) and vocabulary in LABELS:
            return label(vocabulary, code)
    return label("state", code)


# The scoring engine's reasons (a code and parameters, scoring/engine/core.py) in words.
_EXPLANATIONS = {
    "rule_expected": _("expected answer: %(answer)s"),
    "rule_choices": _("compliant answers: %(choices)s"),
    "rule_between": _("between %(low)s and %(high)s"),
    "rule_at_least": _("at least %(low)s"),
    "rule_at_most": _("at most %(high)s"),
    "rule_no_worker_cost": _("no cost borne by a worker"),
    "rule_not_scored": _("not scored"),
    "effect_zero_tolerance_breach": _(
        "Not compliant: zero-tolerance criterion %(criterion)s is breached, which blocks "
        "certification whatever the score."
    ),
    "effect_not_compliant": _("Not compliant: criterion %(criterion)s is not met."),
    "effect_required_unanswered": _(
        "Unanswered: the question is required, so the self-assessment cannot be ready."
    ),
    "effect_optional_unanswered": _("Unanswered: the question is optional and not counted."),
    "zero_tolerance_breached": _("Zero-tolerance criteria breached: %(criteria)s."),
    "nothing_applies": _("No criterion applies."),
    "score_below_threshold": _(
        "The overall score, %(score)s, is below the threshold of %(threshold)s."
    ),
    "open_majors": _("Open major non-conformities: %(criteria)s."),
    "criteria_without_finding": _("Criteria without a finding: %(criteria)s."),
}


def _worker_bore(item: dict) -> str:
    return gettext(
        "a worker bore %(amount)s %(currency)s (%(category)s, %(route)s; cost no. %(number)s)"
    ) % {
        "amount": number_format(Decimal(str(item["amount"]))),
        "currency": item["currency"],
        "category": label("cost", item["category"]).lower(),
        "route": label("route", item["route"]).lower(),
        "number": int(item["item"]) + 1,  # people count from one
    }


def explain(reason, question=None) -> str:
    """One of the engine's reasons in the reader's language. `reason` is as stored in a
    result (a dict with `code` and `params`), or plain text from a result of engine 1.0
    (shown as it is: it was never anything else). `question`, when given, words the answers
    a rule names (its choices, yes or no). A stored reason this cannot word shows its own
    text: a page never fails on one."""
    if reason is None:
        return ""
    if hasattr(reason, "to_dict"):
        reason = reason.to_dict()
    if not isinstance(reason, dict):
        return str(reason)
    try:
        return _explain(reason, question)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        logger.warning("a reason could not be worded: %r", reason, exc_info=True)
        return str(reason.get("text") or reason.get("code") or "")


def _explain(reason: dict, question) -> str:
    code, params = reason.get("code"), dict(reason.get("params") or {})
    if code == "worker_bore":
        return "; ".join(_worker_bore(item) for item in params["items"])
    if code == "required_unanswered":
        count = int(params["count"])
        return ngettext(
            "%(count)s required question unanswered.",
            "%(count)s required questions unanswered.",
            count,
        ) % {"count": count}
    if code not in _EXPLANATIONS:
        return str(reason.get("text") or code)
    if code == "rule_expected":
        params["answer"] = label("yes_no", params.get("answer"))
    if code == "rule_choices":
        shown = {c["code"]: choice_label(c) for c in getattr(question, "choices", None) or ()}
        params["choices"] = ", ".join(shown.get(c, c) for c in params.get("choices", ()))
    if isinstance(params.get("criteria"), list | tuple):
        params["criteria"] = ", ".join(str(c) for c in params["criteria"])
    for key in ("score", "threshold", "low", "high"):
        if key in params and params[key] is not None:
            params[key] = number_format(Decimal(str(params[key])))
    return str(_EXPLANATIONS[code]) % params


def system_reason(case, message: str, **params) -> str:
    """The why of a step the scheme takes by itself (expiry, an overdue surveillance audit),
    kept in the log as a sentence in the case's language, with its days in long form:
    `message` is marked with gettext_noop and translated here."""
    with translation.override(case.language or "en"):
        shown = {
            key: day(value) if hasattr(value, "isoformat") else value
            for key, value in params.items()
        }
        return gettext(message) % shown
