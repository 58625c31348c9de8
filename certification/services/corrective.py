"""Corrective actions: the agency answers each non-conformity, the auditor accepts, rejects
and verifies; the case then goes to review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django_fsm import can_proceed

from audits.models import CorrectiveAction, CorrectiveActionState, Evidence
from certification.errors import TransitionNotAllowed
from certification.labels import day, label, state_words
from certification.models import CaseState, CertificationCase, TransitionEvent
from certification.services._base import (
    fire,
    lock_case,
    lock_rows,
    record,
    require,
    require_agency_member,
    require_assigned_auditor,
    require_auditor,
    require_reason,
    require_transition,
)
from recruiters import permissions

# A corrective action is answered while its case waits on it, or after certification
# (surveillance findings, suspension).
_CASE_STATES = (CaseState.CORRECTIVE_ACTION, CaseState.CERTIFIED, CaseState.SUSPENDED)


# A corrective action's steps and states in the reader's words.
ACTION_STEPS = {
    "submit": pgettext_lazy("corrective action", "submit"),
    "accept": pgettext_lazy("corrective action", "accept"),
    "reject": pgettext_lazy("corrective action", "reject"),
    "verify": pgettext_lazy("corrective action", "verify"),
}


def _lock(action: CorrectiveAction) -> tuple[CertificationCase, CorrectiveAction]:
    case = lock_case(action.finding.audit.case_id)
    [action] = lock_rows(CorrectiveAction.objects.filter(pk=action.pk))
    if case.state not in _CASE_STATES:
        raise TransitionNotAllowed(
            gettext("corrective actions are not answered while the case is %(state)s")
            % {"state": state_words(case.state)},
            guard="state",
        )
    return case, action


def _require_state(action: CorrectiveAction, name: str) -> None:
    if not can_proceed(getattr(action, name)):
        raise TransitionNotAllowed(
            gettext("cannot %(step)s a corrective action that is %(state)s")
            % {
                "step": ACTION_STEPS.get(name, name),
                "state": label("corrective_state", action.state).lower(),
            },
            guard="corrective_action_state",
        )


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def _move(case, action: CorrectiveAction, name: str, *, actor, reason: str = "") -> None:
    _require_state(action, name)
    source = action.state
    getattr(action, name)()
    action.save()
    record(
        case,
        f"corrective_action_{name}",
        source,
        action.state,
        actor=actor,
        reason=reason,
        snapshot={"criterion": action.finding.criterion.code, "severity": action.severity},
        subject=(TransitionEvent.Subject.CORRECTIVE_ACTION, action.pk),
    )


def _require_audit_lead(actor, action: CorrectiveAction) -> None:
    require(
        permissions.is_lead_auditor(actor, action.finding.audit.lead_auditor),
        "only the lead auditor of the audit may review its corrective actions",
    )


def corrective_action_submit(
    *, actor, corrective_action: CorrectiveAction, root_cause: str, action: str
) -> CorrectiveAction:
    """The agency sends its root cause and action; again after a rejection."""
    require_agency_member(actor, corrective_action.finding.audit.case)
    root_cause, action = (root_cause or "").strip(), (action or "").strip()
    problems = {}
    if not root_cause:
        problems["root_cause"] = "Say what caused the non-conformity."
    if not action:
        problems["action"] = "Say what the agency does about it."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        case, locked = _lock(corrective_action)
        locked.root_cause, locked.action = root_cause, action
        locked.submitted_at = timezone.now()
        _move(case, locked, "submit", actor=actor)
    return locked


def corrective_action_accept(
    *, actor, corrective_action: CorrectiveAction, note: str = ""
) -> CorrectiveAction:
    """The auditor accepts the plan, saying why it answers the non-conformity."""
    _require_audit_lead(actor, corrective_action)
    with transaction.atomic():
        case, locked = _lock(corrective_action)
        _require_state(locked, "accept")
        locked.acceptance_note = _require_note(
            note, gettext("Say why the plan answers the non-conformity.")
        )
        locked.accepted_at = timezone.now()
        _move(case, locked, "accept", actor=actor, reason=locked.acceptance_note)
    return locked


def corrective_action_reject(
    *, actor, corrective_action: CorrectiveAction, reason: str
) -> CorrectiveAction:
    """Sent back to the agency with the reason; it resubmits."""
    _require_audit_lead(actor, corrective_action)
    reason = require_reason(reason, gettext("reject a corrective action"))
    with transaction.atomic():
        case, locked = _lock(corrective_action)
        locked.rejection_reason = reason
        _move(case, locked, "reject", actor=actor, reason=reason)
    return locked


def corrective_action_verify(
    *, actor, corrective_action: CorrectiveAction, note: str = ""
) -> CorrectiveAction:
    """The auditor has seen the action carried out and the non-conformity closed: says
    what was checked, and, for a major one, has evidence attached since the agency's
    answer (to the corrective action by the agency, or to the finding by the auditor)."""
    _require_audit_lead(actor, corrective_action)
    with transaction.atomic():
        case, locked = _lock(corrective_action)
        _require_state(locked, "verify")
        locked.verification_note = _require_note(
            note, gettext("Say what you checked to verify the closure.")
        )
        if locked.severity == "major" and not _evidence_since_answer(locked):
            raise TransitionNotAllowed(
                gettext(
                    "a major non-conformity is verified on evidence: attach a file to the "
                    "corrective action or its finding first (none since %(day)s)"
                )
                % {"day": day(timezone.localdate(locked.submitted_at))},
                guard="closure_evidence",
            )
        locked.verified_at = timezone.now()
        _move(case, locked, "verify", actor=actor, reason=locked.verification_note)
    return locked


def _evidence_since_answer(action: CorrectiveAction) -> bool:
    return Evidence.objects.filter(
        Q(corrective_action=action) | Q(finding_id=action.finding_id),
        uploaded_at__gte=action.submitted_at,
    ).exists()


def _codes(actions) -> str:
    return ", ".join(a.finding.criterion.code for a in actions)


def case_close_corrective_actions(*, actor, case: CertificationCase) -> CertificationCase:
    """Every major non-conformity verified closed and every minor one with an accepted plan:
    the case goes to the independent decision."""
    require_auditor(actor)
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "close_corrective_actions")
        require_assigned_auditor(actor, case)
        actions = list(
            CorrectiveAction.objects.filter(finding__audit__case=case)
            .select_related("finding__criterion")
            .order_by("finding__criterion__code")
        )
        open_majors = [
            a
            for a in actions
            if a.severity == "major" and a.state != CorrectiveActionState.VERIFIED
        ]
        if open_majors:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s major non-conformity is not verified closed: %(codes)s",
                    "%(count)s major non-conformities are not verified closed: %(codes)s",
                    len(open_majors),
                )
                % {"count": len(open_majors), "codes": _codes(open_majors)},
                guard="majors_verified",
            )
        unplanned = [
            a
            for a in actions
            if a.severity == "minor"
            and a.state not in (CorrectiveActionState.ACCEPTED, CorrectiveActionState.VERIFIED)
        ]
        if unplanned:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s minor non-conformity has no accepted plan: %(codes)s",
                    "%(count)s minor non-conformities have no accepted plan: %(codes)s",
                    len(unplanned),
                )
                % {"count": len(unplanned), "codes": _codes(unplanned)},
                guard="minors_planned",
            )
        fire(
            case,
            "close_corrective_actions",
            actor=actor,
            snapshot={"corrective_actions": len(actions)},
        )
    return case
