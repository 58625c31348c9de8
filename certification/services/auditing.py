"""Planning audits, recording findings and completing audits, initial and surveillance."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from audits import services as audit_records
from audits.models import Audit, AuditKind, AuditState
from audits.selectors import engine_findings
from certification.errors import TransitionNotAllowed
from certification.labels import day, state_words
from certification.models import CaseKind, CaseState, CertificationCase, TransitionEvent
from certification.selectors import auditor_ineligibility, score_case_self_assessment
from certification.selectors.surveys import audit_survey_signals
from certification.services._base import (
    fire,
    lock_case,
    lock_rows,
    record,
    require,
    require_assigned_auditor,
    require_auditor,
    require_reason,
    require_reviewer,
    require_transition,
)
from recruiters import permissions
from recruiters.models import Membership
from scoring import engine
from scoring.catalogue import catalogue_get


def check_auditor(auditor: Membership, agency, today: date) -> None:
    """Raise TransitionNotAllowed unless the auditor may audit the agency today."""
    problem = auditor_ineligibility(auditor, agency, today)
    if problem is not None:
        raise problem


def _audit_snapshot(audit: Audit) -> dict:
    return {
        "audit": audit.pk,
        "kind": audit.kind,
        "lead_auditor": audit.lead_auditor.user.username,
        "stage1_date": audit.stage1_date.isoformat(),
        "stage2_date": audit.stage2_date.isoformat(),
    }


def _assign_audit(
    case, auditor: Membership, kind: str, stage1_date: date, stage2_date: date, today: date
) -> Audit:
    """The auditor, checked, leads a new audit of the case and becomes its assigned auditor.
    An audit is planned from today on: a date in the past would let it be completed at once,
    before anyone went on site."""
    if stage1_date < today:
        raise ValidationError(
            {
                "stage1_date": gettext(
                    "The document review is planned from today (%(day)s), not before."
                )
                % {"day": day(today)}
            }
        )
    check_auditor(auditor, case.agency, today)
    audit = audit_records.audit_create(
        case=case, kind=kind, lead_auditor=auditor, stage1_date=stage1_date, stage2_date=stage2_date
    )
    case.assigned_auditor = auditor
    return audit


def case_plan_audit(
    *,
    actor,
    case: CertificationCase,
    auditor: Membership,
    stage1_date: date,
    stage2_date: date,
    now=None,
) -> Audit:
    """A reviewer accepts the application and assigns an auditor (DESIGN.md §2)."""
    require_reviewer(actor)
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "plan_audit")
        breaches = (case.self_assessment.result or {}).get("zero_tolerance_breaches", [])
        if breaches:
            raise TransitionNotAllowed(
                gettext("the self-assessment declares zero-tolerance breaches: %(codes)s")
                % {"codes": ", ".join(breaches)},
                guard="no_declared_breach",
            )
        kind = AuditKind.RECERTIFICATION if case.kind == CaseKind.RENEWAL else AuditKind.INITIAL
        audit = _assign_audit(case, auditor, kind, stage1_date, stage2_date, today)
        fire(case, "plan_audit", actor=actor, snapshot=_audit_snapshot(audit))
    return audit


def surveillance_audit_plan(
    *,
    actor,
    case: CertificationCase,
    auditor: Membership,
    stage1_date: date,
    stage2_date: date,
    kind: str = AuditKind.SURVEILLANCE,
    reason: str = "",
    now=None,
) -> Audit:
    """A reviewer plans a surveillance (or special) audit of a certified agency; `reason`
    says why a special one (a complaint)."""
    require_reviewer(actor)
    if kind not in (AuditKind.SURVEILLANCE, AuditKind.SPECIAL):
        raise ValidationError({"kind": "a certified case has surveillance or special audits"})
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        case = lock_case(case)
        if case.state != CaseState.CERTIFIED:
            raise TransitionNotAllowed(
                gettext(
                    "surveillance audits are planned for certified cases; this one is %(state)s"
                )
                % {"state": state_words(case.state)},
                guard="state",
            )
        if case.audits.filter(state__in=[AuditState.PLANNED, AuditState.IN_PROGRESS]).exists():
            raise TransitionNotAllowed(
                gettext("an audit of this case is already planned or in progress"),
                guard="one_audit",
            )
        audit = _assign_audit(case, auditor, kind, stage1_date, stage2_date, today)
        case.save()
        record(
            case,
            "audit_plan",
            "",
            audit.state,
            actor=actor,
            reason=(reason or "").strip(),
            snapshot=_audit_snapshot(audit),
            subject=(TransitionEvent.Subject.AUDIT, audit.pk),
        )
    return audit


def _current_audit(case: CertificationCase, state: str, message: str, guard: str) -> Audit:
    audits = lock_rows(case.audits.filter(state=state))
    if not audits:
        raise TransitionNotAllowed(message, guard=guard)
    return audits[-1]


def case_start_audit(*, actor, case: CertificationCase) -> Audit:
    """The assigned auditor begins the planned audit (initial, or surveillance of a certified case)."""
    require_auditor(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.state != CaseState.CERTIFIED:
            require_transition(case, "start_audit")
        require_assigned_auditor(actor, case)
        audit = _current_audit(
            case, AuditState.PLANNED, "no audit of this case is planned", "audit_planned"
        )
        audit.start()
        audit.started_at = timezone.now()
        audit.save()
        record(
            case,
            "audit_start",
            AuditState.PLANNED,
            audit.state,
            actor=actor,
            subject=(TransitionEvent.Subject.AUDIT, audit.pk),
        )
        if case.state == CaseState.AUDIT_PLANNED:
            fire(case, "start_audit", actor=actor, snapshot={"audit": audit.pk})
    return audit


def finding_record(
    *, actor, case: CertificationCase, criterion: str, grade: str, text: str = "", indicators=()
):
    """The lead auditor records (or corrects) the finding on one criterion of the audit in progress."""
    require_auditor(actor)
    with transaction.atomic():
        case = lock_case(case)
        audit = _current_audit(
            case,
            AuditState.IN_PROGRESS,
            "no audit of this case is in progress",
            "audit_in_progress",
        )
        require_assigned_auditor(actor, case)
        require(
            permissions.is_lead_auditor(actor, audit.lead_auditor),
            gettext("only the audit's lead auditor records findings"),
        )
        return audit_records.finding_upsert(
            audit=audit,
            criterion_code=criterion,
            grade=grade,
            text=text or "",
            indicators=list(indicators),
            actor=actor,
        )


def _require_on_site_done(audit, today, reason: str) -> str:
    """An audit is completed on or after its on-site (stage 2) date; earlier only where
    AUDIT_EARLY_COMPLETION_ALLOWED is on, with the reason (the visit brought forward)."""
    reason = (reason or "").strip()
    if today >= audit.stage2_date:
        return reason
    if not settings.AUDIT_EARLY_COMPLETION_ALLOWED:
        raise TransitionNotAllowed(
            gettext("the on-site stage of this audit is on %(day)s: complete it from that day")
            % {"day": day(audit.stage2_date)},
            guard="on_site_date",
        )
    return require_reason(
        reason,
        gettext("complete an audit before its on-site date (%(day)s)")
        % {"day": day(audit.stage2_date)},
    )


def survey_signals_unaddressed(audit: Audit, catalogue, recorded) -> list[str]:
    """The criteria of the case's standard on which workers' survey answers raised a signal
    since the agency's previous audit and whose finding has no note yet: what the auditor
    must still look at (records, interviews) and write down. A signal on a criterion the
    case's standard version does not have names nothing to address here."""
    signalled = [entry.criterion for entry in audit_survey_signals(audit)]
    if not signalled:
        return []
    notes = {f.criterion: (f.note or "").strip() for f in recorded}
    criteria = {c.code for c in catalogue.criteria}
    return [code for code in signalled if code in criteria and not notes.get(code)]


def _require_survey_signals_addressed(audit: Audit, catalogue, recorded) -> None:
    """A worker's report is a signal to check, never a breach (DOMAIN.md §8): the engine
    does not score it, but the audit is not complete until its finding on each criterion
    signalled says what was found."""
    unaddressed = survey_signals_unaddressed(audit, catalogue, recorded)
    if unaddressed:
        raise TransitionNotAllowed(
            ngettext(
                "workers' survey answers raised a signal on %(codes)s: write in the finding's "
                "notes what you checked and found",
                "workers' survey answers raised signals on %(codes)s: write in each finding's "
                "notes what you checked and found",
                len(unaddressed),
            )
            % {"codes": ", ".join(unaddressed)}
            + ". "
            + gettext(
                "Never write that a worker or the survey reported it: the agency reads the "
                "finding notes."
            ),
            guard="survey_signals",
        )


def case_complete_audit(
    *, actor, case: CertificationCase, reason: str = "", now=None
) -> engine.AuditResult:
    """The auditor completes the audit once every criterion has a finding, from its on-site
    date, and the finding on each criterion with a workers' survey signal has a note (guard
    `survey_signals`). The engine's result, with its discrepancies, is stored; a corrective
    action opens for every non-conformity. An initial audit moves the case to corrective
    action or review; a surveillance audit with a major non-conformity suspends the
    certificate."""
    today = timezone.localdate(now or timezone.now())
    require_auditor(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.state != CaseState.CERTIFIED:
            require_transition(case, "complete_audit")
        require_assigned_auditor(actor, case)
        audit = _current_audit(
            case,
            AuditState.IN_PROGRESS,
            "no audit of this case is in progress",
            "audit_in_progress",
        )
        reason = _require_on_site_done(audit, today, reason)
        catalogue = catalogue_get(code=case.standard.code, version=case.standard.version)
        recorded = engine_findings(audit)
        found = {f.criterion for f in recorded}
        missing = [c.code for c in catalogue.criteria if c.code not in found]
        if missing:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s criterion has no finding: %(codes)s",
                    "%(count)s criteria have no finding: %(codes)s",
                    len(missing),
                )
                % {"count": len(missing), "codes": ", ".join(missing)},
                guard="findings_complete",
            )
        _require_survey_signals_addressed(audit, catalogue, recorded)
        compared = (
            score_case_self_assessment(case) if audit.kind != AuditKind.SURVEILLANCE else None
        )
        result = engine.score_audit(catalogue, recorded, compared)
        opened = audit_records.audit_record_result(audit=audit, result=result, today=today)
        audit.complete()
        audit.save()
        snapshot = {
            "audit": audit.pk,
            "certifiable": result.certifiable,
            "overall_conformity": result.overall_conformity,
            "counts": dict(result.counts),
            "open_majors": list(result.open_majors),
            "discrepancy_share": result.discrepancy_share,
            "corrective_actions": len(opened),
        }
        if today < audit.stage2_date:
            snapshot["early"] = {
                "stage2_date": audit.stage2_date.isoformat(),
                "on": today.isoformat(),
            }
        record(
            case,
            "audit_complete",
            AuditState.IN_PROGRESS,
            audit.state,
            actor=actor,
            reason=reason,
            snapshot=snapshot,
            subject=(TransitionEvent.Subject.AUDIT, audit.pk),
        )
        if case.state == CaseState.AUDITING:
            fire(
                case,
                "complete_audit",
                actor=actor,
                reason=reason,
                snapshot=snapshot,
                non_conformities=bool(opened),
            )
        elif result.open_majors:
            fire(
                case,
                "suspend",
                actor=actor,
                reason=f"{audit.get_kind_display().lower()} audit found major non-conformities: "
                f"{', '.join(result.open_majors)}",
                snapshot=snapshot,
            )
    return result
