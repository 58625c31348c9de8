"""The auditor's workspace: the audit page (every criterion, the agency's answers beside a
grade, notes, forced-labour indicators and evidence) and corrective actions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from audits.models import AuditState, CorrectiveAction, Evidence, Finding, Grade
from audits.selectors import engine_answers
from certification import services
from certification.forms.auditing import (
    AcceptForm,
    ActionEvidenceForm,
    CorrectiveActionForm,
    FindingEvidenceForm,
    FindingsForm,
    RejectForm,
    VerifyForm,
)
from certification.forms.cases import CompleteAuditForm
from certification.labels import answer_text
from certification.selectors.consequences import consequence
from certification.selectors.surveys import (
    audit_survey_signals,
    signals_in_words,
    survey_signals_reader,
    survey_signals_since,
)
from certification.views.common import (
    SERVICE_ERRORS,
    access_of,
    apply_service_errors,
    case_or_404,
    field_slug,
)
from monitoring.selectors import complaints_of_agency
from recruiters import permissions
from scoring.models import Criterion, Question


def _auditor_case(request, pk: int):
    case = case_or_404(request, pk)
    if "assigned_auditor" not in access_of(request).roles(case):
        raise Http404
    return case


def _criteria(case) -> list:
    return list(
        Criterion.objects.filter(standard=case.standard)
        .select_related("principle")
        .order_by("principle__position", "position")
    )


def _findings(audit) -> dict:
    findings = Finding.objects.filter(audit=audit).select_related("criterion") if audit else []
    return {f.criterion_id: f for f in findings}


def _audit_context(case, audit, form, criteria, findings, *, user):
    answers = engine_answers(case.self_assessment)
    statuses = {
        q["code"]: q["status"] for q in (case.self_assessment.result or {}).get("questions", [])
    }
    questions: dict[int, list] = {}
    for question in Question.objects.filter(standard=case.standard).order_by("position"):
        questions.setdefault(question.criterion_id, []).append(
            {
                "question": question,
                "answer": answers.get(question.code),
                "shown": answer_text(question, answers.get(question.code)),
                "status": statuses.get(question.code),
            }
        )
    evidence: dict[int, list] = {}
    for item in Evidence.objects.filter(finding__in=findings.values()).order_by("uploaded_at"):
        evidence.setdefault(item.finding_id, []).append(item)
    survey = _survey_signals(case, audit, criteria, findings, user=user)
    rows = []
    for criterion in criteria:
        slug = field_slug(criterion.code)
        found = findings.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "slug": slug,
                "finding": found,
                "answers": questions.get(criterion.pk, []),
                "grade": form[f"grade-{slug}"] if form else None,
                "text": form[f"text-{slug}"] if form else None,
                "indicators": form[f"indicators-{slug}"] if form else None,
                "evidence": evidence.get(found.pk, []) if found else [],
                "signal": survey["by_criterion"].get(criterion.code),
            }
        )
    return {
        "case": case,
        "audit": audit,
        "form": form,
        "rows": rows,
        "graded": len(findings),
        "total": len(criteria),
        "not_applicable": sum(1 for f in findings.values() if f.grade == Grade.NOT_APPLICABLE),
        "findings": findings,
        "complete_form": _complete_form(case, audit),
        # An audit checks what complaints said (never the complainant's words).
        "agency_complaints": complaints_of_agency(case.agency_id),
        # ... and what workers reported in the survey (counts of answers, never who).
        "survey": survey,
    }


def _survey_signals(case, audit, criteria, findings, *, user) -> dict:
    """The workers' survey signals the audit must address (since the agency's previous
    audit; for a completed audit, up to the day it was completed), under their criteria; on
    an audit in progress, which are addressed (a finding with a note: what
    `case_complete_audit` asks) and which not yet. Only for a reviewer or the agency's
    current auditor (`survey_signals_reader`): the auditor of a case since refused or
    withdrawn reads the old audit page without the agency's signals (`shown` false)."""
    if audit is None or not survey_signals_reader(user, case.agency):
        return {
            "shown": audit is None,
            "signals": [],
            "by_criterion": {},
            "unaddressed": [],
            "since": None,
        }
    in_progress = audit.state == AuditState.IN_PROGRESS
    noted = {f.criterion.code for f in findings.values() if (f.text or "").strip()}
    codes = {c.code for c in criteria}
    since = survey_signals_since(audit)
    signals = signals_in_words(
        audit_survey_signals(audit),
        standard=case.standard,
        addressed=noted if in_progress else None,
    )
    return {
        "shown": True,
        "signals": signals,
        "by_criterion": {entry.criterion: entry for entry in signals},
        "unaddressed": [
            e.criterion for e in signals if in_progress and e.criterion in codes and not e.addressed
        ],
        "since": since,
    }


def _complete_form(case, audit, data=None):
    """Completing the audit: what it will do, ticked, and (only before the on-site date,
    where allowed) why so early."""
    if audit is None or audit.state != AuditState.IN_PROGRESS:
        return None
    return CompleteAuditForm(
        data,
        audit=audit,
        today=timezone.localdate(),
        consequence=consequence(case, "complete_audit"),
    )


def _current_audit(case):
    return (
        case.audits.filter(state__in=[AuditState.PLANNED, AuditState.IN_PROGRESS])
        .select_related("lead_auditor__user")
        .order_by("-pk")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_page(request, pk: int):
    case = _auditor_case(request, pk)
    audit = _current_audit(case)
    if audit is None:
        audit = (
            case.audits.filter(state=AuditState.COMPLETED)
            .select_related("lead_auditor__user")
            .order_by("-completed_at")
            .first()
        )
    criteria, findings = _criteria(case), _findings(audit)
    in_progress = audit is not None and audit.state == AuditState.IN_PROGRESS
    form = None
    status = 200
    if in_progress:
        form = FindingsForm(
            request.POST if request.method == "POST" else None, criteria=criteria, findings=findings
        )
        if request.method == "POST":
            if form.is_valid():
                saved = 0
                for criterion, grade, text, indicators in form.changes(findings):
                    try:
                        services.finding_record(
                            actor=request.user,
                            case=case,
                            criterion=criterion.code,
                            grade=grade,
                            text=text,
                            indicators=indicators,
                        )
                        saved += 1
                    except SERVICE_ERRORS as error:
                        status = 400
                        slug = field_slug(criterion.code)
                        for message in getattr(error, "messages", [str(error)]):
                            field = message.split(":", 1)[0]
                            target = {
                                "text": f"text-{slug}",
                                "indicators": f"indicators-{slug}",
                                "grade": f"grade-{slug}",
                            }.get(field, f"grade-{slug}")
                            form.add_error(target, message)
                if status == 200:
                    messages.success(
                        request,
                        gettext("%(count)s finding(s) saved.") % {"count": saved},
                    )
                    return redirect("web:audit", pk=case.pk)
            else:
                status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "certification/audit.html",
        # after a partly refused save, the findings read again show what was kept
        _audit_context(
            case,
            audit,
            form,
            criteria,
            _findings(audit) if status == 400 else findings,
            user=request.user,
        ),
        status=status,
    )


@login_required
@require_POST
def audit_step(request, pk: int, step: str):
    """Start or complete the audit (initial, renewal or surveillance)."""
    case = _auditor_case(request, pk)
    if step not in ("start", "complete"):
        raise Http404
    if step == "start":
        try:
            services.case_start_audit(actor=request.user, case=case)
        except SERVICE_ERRORS as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, gettext("The audit has started."))
        return redirect("web:audit", pk=case.pk)
    audit = _current_audit(case)
    form = _complete_form(case, audit, request.POST)
    if form is None:
        messages.error(request, gettext("No audit of this case is in progress."))
        return redirect("web:audit", pk=case.pk)
    status = 400
    if form.is_valid():
        try:
            services.case_complete_audit(
                actor=request.user, case=case, reason=form.cleaned_data.get("reason", "")
            )
        except SERVICE_ERRORS as error:
            status = apply_service_errors(form, error)
        else:
            messages.success(request, gettext("The audit is complete."))
            return redirect("web:case", pk=case.pk)
    # the audit page again, the refusal beside the form and what was typed kept
    criteria, findings = _criteria(case), _findings(audit)
    context = _audit_context(
        case,
        audit,
        FindingsForm(None, criteria=criteria, findings=findings),
        criteria,
        findings,
        user=request.user,
    )
    context["complete_form"] = form
    return render(request, "certification/audit.html", context, status=status)


@login_required
@require_POST
def finding_evidence(request, pk: int):
    case = _auditor_case(request, pk)
    audit = _current_audit(case)
    form = FindingEvidenceForm(request.POST, request.FILES)
    code = request.POST.get("criterion", "")
    finding = Finding.objects.filter(audit=audit, criterion__code=code).first() if audit else None
    if not form.is_valid():
        messages.error(request, gettext("Choose a file to upload."))
    elif finding is None:
        messages.error(
            request,
            gettext("Grade criterion %(code)s and save it before adding evidence.")
            % {"code": code},
        )
    else:
        try:
            services.evidence_upload(
                actor=request.user, upload=form.cleaned_data["file"], finding=finding
            )
        except SERVICE_ERRORS as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, gettext("Evidence added to %(code)s.") % {"code": code})
    return redirect("web:audit", pk=case.pk)


# --- corrective actions -------------------------------------------------------------------


def _action_or_404(request, pk: int) -> CorrectiveAction:
    cases = access_of(request).cases()
    action = (
        CorrectiveAction.objects.filter(pk=pk, finding__audit__case__in=cases.values("pk"))
        .select_related(
            "finding__criterion",
            "finding__audit__lead_auditor__user",
            "finding__audit__case__agency",
        )
        .first()
    )
    if action is None:
        raise Http404
    return action


@login_required
@require_http_methods(["GET", "POST"])
def corrective_action(request, pk: int):
    action = _action_or_404(request, pk)
    case = action.finding.audit.case
    roles = access_of(request).roles(case)
    is_agency = "agency_member" in roles
    is_lead = permissions.is_lead_auditor(request.user, action.finding.audit.lead_auditor)
    answer_form = CorrectiveActionForm(
        initial={"root_cause": action.root_cause, "action": action.action}
    )
    reject_form = RejectForm()
    accept_form, verify_form = AcceptForm(), VerifyForm()
    step_form = forms.Form({})  # carries the refusal of a step that has no fields
    step_form.is_valid()
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "submit" and is_agency:
                answer_form = CorrectiveActionForm(request.POST)
                if not answer_form.is_valid():
                    status = 400
                else:
                    services.corrective_action_submit(
                        actor=request.user, corrective_action=action, **answer_form.cleaned_data
                    )
            elif step == "evidence" and is_agency:
                evidence_form = ActionEvidenceForm(request.POST, request.FILES)
                if evidence_form.is_valid():
                    services.evidence_upload(
                        actor=request.user,
                        upload=evidence_form.cleaned_data["file"],
                        corrective_action=action,
                    )
                else:
                    messages.error(request, gettext("Choose a file to upload."))
                    return redirect("web:corrective-action", pk=action.pk)
            elif step == "accept" and is_lead:
                accept_form = AcceptForm(request.POST)  # the service checks the note
                services.corrective_action_accept(
                    actor=request.user, corrective_action=action, note=request.POST.get("note", "")
                )
            elif step == "verify" and is_lead:
                verify_form = VerifyForm(request.POST)
                services.corrective_action_verify(
                    actor=request.user, corrective_action=action, note=request.POST.get("note", "")
                )
            elif step == "reject" and is_lead:
                reject_form = RejectForm(request.POST)
                if not reject_form.is_valid():
                    status = 400
                else:
                    services.corrective_action_reject(
                        actor=request.user,
                        corrective_action=action,
                        reason=reject_form.cleaned_data["reason"],
                    )
            else:
                raise Http404
        except SERVICE_ERRORS as error:
            target = {"submit": answer_form, "reject": reject_form}.get(step, step_form)
            if isinstance(error, ValidationError) and step in ("accept", "verify"):
                target = accept_form if step == "accept" else verify_form
                target.errors.clear()  # the service's message, not the form's own
            status = apply_service_errors(target, error)
        if status == 200:
            messages.success(request, gettext("Saved."))
            return redirect("web:corrective-action", pk=action.pk)
        action = _action_or_404(request, pk)
    return render(
        request,
        "certification/corrective_action.html",
        {
            "action": action,
            "case": case,
            "is_agency": is_agency,
            "is_lead": is_lead,
            "answer_form": answer_form,
            "reject_form": reject_form,
            "accept_form": accept_form,
            "verify_form": verify_form,
            "step_form": step_form,
            "evidence_form": ActionEvidenceForm(),
            "evidence": Evidence.objects.filter(corrective_action=action).order_by("uploaded_at"),
        },
        status=status,
    )
