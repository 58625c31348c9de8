"""Complaints driven from the scheme's side (DESIGN.md §1): receiving one, moving it on,
and its consequences. A consequence is the case's own workflow (a special audit, a
suspension, a withdrawal) called with the complaint as its reason, never a write from
monitoring into a case. The complaint's own rules are in monitoring/services.py."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from audits.models import Audit, AuditKind
from certification.complaint_notices import RECEIVED, STATE
from certification.errors import PermissionDenied, TransitionNotAllowed, ValidationError
from certification.models import CertificationCase
from certification.services._base import require_reason
from certification.services.auditing import surveillance_audit_plan
from certification.services.decisions import case_suspend, case_withdraw
from certification.tasks import send_complaint_notice
from monitoring import services as complaints
from monitoring.models import Complaint, ComplaintEvent, Direction, State


def complaint_receive(**intake) -> tuple[Complaint, str]:
    """File a complaint (monitoring.services.complaint_file) and tell the reviewers, once
    it is saved, that one came in: its number only."""
    with transaction.atomic():
        complaint, code = complaints.complaint_file(**intake)
        transaction.on_commit(partial(send_complaint_notice, complaint.pk, RECEIVED))
    return complaint, code


def _require_impartial(actor, agency_id: int | None, case_id: int | None) -> None:
    # ISO/IEC 17065 §7.13: people not involved in the matter. Whoever audited the agency
    # (any of its cases, not only the one linked, which a link could change) or the case
    # checks what the complaint says; they do not handle it.
    audits = Audit.objects.filter(lead_auditor__user=actor)
    involved = False
    if agency_id is not None:
        involved = audits.filter(case__agency_id=agency_id).exists()
    if not involved and case_id is not None:
        involved = audits.filter(case_id=case_id).exists()
    if involved:
        raise PermissionDenied(
            gettext("you audited the agency this complaint concerns: another reviewer handles it")
        )


def _locked(actor, complaint: Complaint) -> Complaint:
    """The complaint read again under its row lock (the caller's copy may predate a link or a
    step), once the actor is known to be impartial. Called inside a transaction."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=complaint.pk)
    )
    _require_impartial(actor, complaint.agency_id, complaint.case_id)
    return complaint


def complaint_handle(
    *,
    actor,
    complaint: Complaint,
    name: str,
    message: str,
    note: str = "",
    referral: str = "",
    shared_summary: str | None = None,
    now=None,
) -> ComplaintEvent:
    """A reviewer moves a complaint on (monitoring.services.complaint_transition); the
    complainant, when they left an e-mail address, hears that its state changed."""
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        event = complaints.complaint_transition(
            actor=actor,
            complaint=complaint,
            name=name,
            message=message,
            note=note,
            referral=referral,
            shared_summary=shared_summary,
            now=now,
        )
        transaction.on_commit(partial(send_complaint_notice, complaint.pk, STATE))
    return event


def complaint_link_case(
    *,
    actor,
    complaint: Complaint,
    case: CertificationCase | None,
    shared_summary=None,
    move_agency: bool = False,
) -> Complaint:
    """Link the complaint to a certification case, and so to its agency (one the intake did
    not find is set here). A case of another agency than the one the complaint names moves
    the complaint to that agency only when `move_agency` says so: a mistyped number must not
    show a complaint to another agency's auditors."""
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        if case is not None:
            _require_impartial(actor, case.agency_id, case.pk)
            if complaint.agency_id not in (None, case.agency_id) and not move_agency:
                raise ValidationError(
                    {
                        "case": gettext(
                            "Case %(case)s is of %(other)s; the complaint is about %(agency)s. "
                            "Confirm that it is about %(other)s to move it."
                        )
                        % {
                            "case": case.pk,
                            "other": case.agency.name,
                            "agency": complaint.agency.name,
                        }
                    }
                )
        return complaints.complaint_link(
            actor=actor,
            complaint=complaint,
            agency=case.agency if case else complaint.agency,
            case=case,
            shared_summary=shared_summary,
        )


def _substantiated_case(complaint: Complaint, what: str) -> CertificationCase:
    if complaint.state != State.SUBSTANTIATED:
        raise TransitionNotAllowed(
            gettext("%(what)s follows a substantiated complaint; this one is %(state)s")
            % {"what": what, "state": complaint.get_state_display().lower()},
            guard="complaint_state",
        )
    if complaint.case_id is None:
        raise ValidationError(
            {"case": gettext("Link the complaint to the agency's certification case first.")}
        )
    return complaint.case


def _reason(complaint: Complaint, reason: str) -> str:
    return gettext("complaint %(number)s substantiated: %(reason)s") % {
        "number": complaint.number,
        "reason": reason,
    }


def complaint_order_special_audit(
    *, actor, complaint: Complaint, auditor, stage1_date, stage2_date, note: str = "", now=None
) -> Audit:
    """A special audit of the agency's certified case, planned through the workflow
    (surveillance_audit_plan, kind special) with the complaint as its reason."""
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        case = _substantiated_case(complaint, gettext("a special audit"))
        audit = surveillance_audit_plan(
            actor=actor,
            case=case,
            auditor=auditor,
            stage1_date=stage1_date,
            stage2_date=stage2_date,
            kind=AuditKind.SPECIAL,
            reason=gettext("ordered on complaint %(number)s") % {"number": complaint.number},
            now=now,
        )
        complaints.complaint_note(
            actor=actor,
            complaint=complaint,
            name="order_special_audit",
            note=note,
            detail={"case": case.pk, "audit": audit.pk},
            now=now,
        )
    return audit


def complaint_suspend(*, actor, complaint: Complaint, reason: str, now=None) -> CertificationCase:
    """Suspend the agency's certificate (case_suspend), the complaint named in the reason."""
    reason = require_reason(reason, gettext("suspend a certificate"))
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        case = _substantiated_case(complaint, gettext("a suspension"))
        case = case_suspend(actor=actor, case=case, reason=_reason(complaint, reason), now=now)
        complaints.complaint_note(
            actor=actor,
            complaint=complaint,
            name="suspend",
            detail={"case": case.pk},
            now=now,
        )
    return case


def complaint_withdraw_certificate(
    *, actor, complaint: Complaint, reason: str, now=None
) -> CertificationCase:
    """Withdraw the agency's certificate (case_withdraw), the complaint named in the reason."""
    reason = require_reason(reason, gettext("withdraw a certificate"))
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        case = _substantiated_case(complaint, gettext("a withdrawal"))
        case = case_withdraw(actor=actor, case=case, reason=_reason(complaint, reason))
        complaints.complaint_note(
            actor=actor,
            complaint=complaint,
            name="withdraw_certificate",
            detail={"case": case.pk},
            now=now,
        )
    return case


def complaint_message(*, actor, complaint: Complaint, direction: str, text: str, now=None):
    """A reviewer's message to the complainant (who hears by e-mail that there is one, when
    they left an address) or an internal note."""
    with transaction.atomic():
        complaint = _locked(actor, complaint)
        message = complaints.complaint_write(
            actor=actor, complaint=complaint, direction=direction, text=text, now=now
        )
        if message.direction == Direction.TO_COMPLAINANT:
            transaction.on_commit(partial(send_complaint_notice, complaint.pk, STATE))
    return message
