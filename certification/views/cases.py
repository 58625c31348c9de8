"""Signed-in pages about cases: the dashboard, a case, its transitions, the review queue
and an auditor's audits."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from audits.models import Audit, AuditState, CorrectiveAction
from certification import labels, services, transitions
from certification.forms.cases import (
    CertifyForm,
    CompleteAuditForm,
    OpenCaseForm,
    PlanAuditForm,
    QueueFilter,
    TransitionForm,
)
from certification.models import TERMINAL_STATES, CaseState, CertificationCase, WatchedAgency
from certification.selectors import (
    auditors_for,
    case_certificate,
    dashboards,
    links,
    open_corrective_actions,
    self_assessment_result,
)
from certification.selectors.consequences import CONFIRMED_STEPS, consequence
from certification.selectors.record import audits_under_way, case_record
from certification.selectors.screening import screening_hits
from certification.services import dispatch
from certification.views.common import (
    SERVICE_ERRORS,
    access_of,
    apply_service_errors,
    case_or_404,
    roles_of,
)
from certification.views.survey_batches import case_survey_summary
from monitoring.selectors import complaints_of_agency
from recruiters.identifiers import parse_id, parse_uuid
from recruiters.links.services import link_review_record, linked_party
from recruiters.models import Agency
from recruiters.permissions import is_reviewer

# Transitions offered on the case page: all but the scheduler's own.
CASE_PAGE_TRANSITIONS = [n for n, t in transitions.CASE_TRANSITIONS.items() if t.on_pages]


def _deadlines(case_ids) -> dict[int, list]:
    """Open corrective actions' due dates, per case: one query."""
    found: dict[int, list] = {}
    for action in (
        open_corrective_actions(finding__audit__case__in=case_ids)
        .select_related("finding__criterion", "finding__audit")
        .order_by("plan_due")
    ):
        found.setdefault(action.finding.audit.case_id, []).append(action)
    return found


@login_required
@require_GET
def dashboard(request):
    roles = roles_of(request)
    access = access_of(request)
    context = {"roles": roles}
    if roles.agencies:
        cases = list(
            CertificationCase.objects.filter(agency__in=roles.agencies)
            .select_related("agency", "standard", "certificate")
            .order_by("agency__name", "-created_at")
        )
        deadlines = _deadlines([c.pk for c in cases])
        left = dashboards.questions_left([c for c in cases if c.state == CaseState.DRAFT])
        open_agencies = {c.agency_id for c in cases if c.state not in TERMINAL_STATES}
        context["agency_cases"] = [
            {
                "case": case,
                "next_step": labels.NEXT_STEP[case.state],
                "actions": deadlines.get(case.pk, []),
                "certificate": case_certificate(case, in_force=True),
                "questions_left": left.get(case.pk),
            }
            for case in cases
        ]
        context["agency_numbers"] = dashboards.agency_numbers(context["agency_cases"])
        context["can_open"] = [a for a in roles.agencies if a.pk not in open_agencies]
        context["watchers"] = WatchedAgency.objects.filter(
            agency__in=roles.agencies
        ).select_related("employer", "agency")
    if roles.is_auditor:
        context["audits"] = (
            Audit.objects.filter(lead_auditor__user=request.user)
            .exclude(state__in=[AuditState.COMPLETED, AuditState.CANCELLED])
            .select_related("case__agency")
            .order_by("stage2_date")
        )
        context["auditor_numbers"] = dashboards.auditor_numbers(request.user)
    if roles.is_reviewer:
        numbers = dashboards.reviewer_numbers(access.cases())
        context["reviewer_numbers"] = numbers
        context["queue_count"] = sum(count for _state, count, _oldest in numbers.queue)
        context["decisions_chart"] = [
            (date_format(month, "M Y"), count) for month, count in numbers.decisions_by_month
        ]
    if roles.employer:
        numbers = dashboards.employer_numbers(roles.employer)
        context["employer_numbers"] = numbers
        context["watched_chart"] = [
            (labels.label("status", status), count) for status, count in numbers.by_status
        ]
    return render(request, "certification/dashboard.html", context)


@login_required
@require_POST
def case_open(request):
    form = OpenCaseForm(request.POST)
    agencies = {str(a.public_id): a for a in roles_of(request).agencies}
    if not form.is_valid() or str(form.cleaned_data["agency"]) not in agencies:
        raise Http404
    try:
        case = services.case_open(
            actor=request.user,
            agency=agencies[str(form.cleaned_data["agency"])],
            language=form.cleaned_data["language"],
        )
    except SERVICE_ERRORS as error:
        messages.error(request, str(getattr(error, "message", error)))
        return redirect("web:dashboard")
    messages.success(request, gettext("A new self-assessment is open."))
    return redirect("web:self-assessment", pk=case.pk)


def transition_form(case, name: str, *, record=None, eligible=(), data=None):
    """The form of one transition on the case page, blank or bound to what was sent; a
    heavy step carries the sentence of what it will do, to be ticked."""
    kwargs = {"consequence": consequence(case, name) if name in CONFIRMED_STEPS else None}
    if name == "plan_audit":
        return PlanAuditForm(data, eligible=eligible, **kwargs)
    if name == "complete_audit":
        audit = case.audits.filter(state=AuditState.IN_PROGRESS).first()
        return CompleteAuditForm(data, audit=audit, today=timezone.localdate(), **kwargs)
    if name == "certify":
        to_confirm = (record or case_record(case)).to_confirm
        return CertifyForm(data, to_confirm=to_confirm, **kwargs)
    return TransitionForm(data, name=name, **kwargs)


def case_context(request, case, access, forms_given=None) -> dict:
    """Everything the case page shows; forms_given replaces the blank form of a transition
    that failed, so that its errors show beside it."""
    forms_given = forms_given or {}
    roles = access.roles(case)
    available = [n for n in access.available_transitions(case) if n in CASE_PAGE_TRANSITIONS]
    today = timezone.localdate()
    eligible, ineligible = [], []
    if "plan_audit" in available:
        for auditor, problem in auditors_for(case.agency, today):
            (ineligible if problem else eligible).append((auditor, problem))
    result = self_assessment_result(case)
    record = case_record(
        case,
        result=result,
        audits_under_way=audits_under_way(roles),
        survey=transitions.REVIEWER in roles,  # signals are the scheme's, never the agency's
    )
    transition_forms = [
        forms_given[name]
        if name in forms_given
        else transition_form(case, name, record=record, eligible=[a for a, _p in eligible])
        for name in available
    ]
    audits = list(case.audits.select_related("lead_auditor__user").order_by("-created_at"))
    actions = list(
        CorrectiveAction.objects.filter(finding__audit__case=case)
        .select_related("finding__criterion", "finding__audit")
        .order_by("finding__audit_id", "finding__criterion__position")
    )
    completed = [a for a in audits if a.state == AuditState.COMPLETED]
    last_audit = completed[0] if completed else None
    return {
        "case": case,
        "case_roles": roles,
        "next_step": labels.NEXT_STEP[case.state],
        "transition_forms": transition_forms,
        "ineligible": ineligible,
        "audits": audits,
        "last_audit": last_audit,
        "current_audit": next(
            (a for a in audits if a.state in (AuditState.PLANNED, AuditState.IN_PROGRESS)), None
        ),
        "actions": actions,
        "result": result,
        "record": record,
        "events": case.events.select_related("actor").order_by("-id")[:100],
        "certificate": case_certificate(case),
        # The reviewers and the case's auditor see the agency's complaints; the agency not.
        "agency_complaints": complaints_of_agency(
            case.agency_id, reviewer=transitions.REVIEWER in roles
        )
        if roles & {transitions.REVIEWER, transitions.ASSIGNED_AUDITOR}
        else None,
        "show_numbers": transitions.REVIEWER in roles,
        "agency_survey": case_survey_summary(case, roles),
        # The scheme's reviewers alone see who the agency is linked to (issue 18 §3).
        "agency_links": links.agency_links(case.agency) if transitions.REVIEWER in roles else None,
        "screening": screening_hits(case.agency) if transitions.REVIEWER in roles else None,
        "link_years": settings.LINK_CHECK_YEARS,
    }


@login_required
@require_GET
def case_detail(request, pk: int):
    access = access_of(request)
    case = access.cases().filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "certification/case.html", case_context(request, case, access))


@login_required
@require_POST
def case_transition(request, pk: int, name: str):
    access = access_of(request)
    case = case_or_404(request, pk)
    if name not in CASE_PAGE_TRANSITIONS or name not in access.available_transitions(case):
        messages.error(request, gettext("This step is not open to you now."))
        return redirect("web:case", pk=case.pk)
    eligible = (
        [a for a, problem in auditors_for(case.agency, timezone.localdate()) if not problem]
        if name == "plan_audit"
        else ()
    )
    form = transition_form(case, name, eligible=eligible, data=request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        extra = {k: data[k] for k in transitions.case_transition(name).arguments if k in data}
        try:
            dispatch.case_fire(
                actor=request.user, case=case, name=name, reason=data.get("reason", ""), **extra
            )
        except SERVICE_ERRORS as error:
            status = apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Done: %(step)s.") % {"step": form.label})
            return redirect("web:case", pk=case.pk)
    case = access.cases().get(pk=case.pk)
    return render(
        request,
        "certification/case.html",
        case_context(request, case, access, {name: form}),
        status=status,
    )


@login_required
@require_GET
def review_queue(request):
    """Reviewers: cases by state, oldest change first."""
    access = access_of(request)
    if not access.is_reviewer:
        raise Http404
    form = QueueFilter(request.GET or None)
    cases = access.cases().exclude(state__in=TERMINAL_STATES)
    state = form.cleaned_data.get("state") if form.is_valid() else ""
    if state:
        cases = cases.filter(state=state)
    else:
        cases = cases.filter(state__in=[CaseState.SUBMITTED, CaseState.IN_REVIEW])
    page = Paginator(cases.order_by("updated_at", "pk"), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "certification/review_queue.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, (now - c.updated_at).days) for c in page.object_list],
            "query": f"state={state}" if state else "",
        },
    )


@login_required
@require_GET
def auditor_audits(request):
    """An auditor's audits, the open ones first."""
    if not roles_of(request).is_auditor:
        raise Http404
    audits = (
        Audit.objects.filter(lead_auditor__user=request.user)
        .select_related("case__agency")
        .order_by("-stage2_date", "-pk")
    )
    page = Paginator(audits, 50).get_page(request.GET.get("page"))
    return render(request, "certification/audits.html", {"page": page})


@login_required
@require_POST
def agency_link_review(request, public_id):
    """A reviewer's decision on one match of the link check, from the case page; anyone
    else is told nothing exists."""
    if not is_reviewer(request.user):
        raise Http404
    agency = Agency.objects.filter(public_id=public_id).first()
    other = linked_party(parse_uuid(request.POST.get("other")))
    if agency is None or other is None:
        raise Http404
    try:
        link_review_record(
            actor=request.user,
            subject=agency,
            other=other,
            kind=request.POST.get("kind", "")[:20],
            mine=request.POST.get("mine", ""),
            theirs=request.POST.get("theirs", ""),
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", "")[:1000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Your decision on the match is recorded."))
    case_id = parse_id(request.POST.get("case"))
    case = access_of(request).cases().filter(pk=case_id).first() if case_id else None
    return redirect("web:case", pk=case.pk) if case else redirect("web:review-queue")
