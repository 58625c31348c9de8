"""Appeal pages: a case's appeals, where the agency's members lodge one; the reviewers'
list of appeals waiting for an answer, the one due soonest first; and a reviewer's appeal
page with its answer. Thin: the services judge; their refusals show beside the form, with
what was typed kept. The case's auditors and everyone else get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from certification import services
from certification.errors import TransitionNotAllowed
from certification.forms.appeals import AppealAnswerForm, AppealForm
from certification.selectors.appeals import appeals_open, appeals_visible, may_see_appeals
from certification.services.appeals import appeal_period_end, appealable_decision
from certification.views.common import SERVICE_ERRORS, access_of, apply_service_errors, case_or_404


def _carry_out(form, act) -> int | None:
    """`act(cleaned_data)` on a valid form: None when done, else the page's status (400,
    or the service's refusal, put on the form beside what was typed)."""
    if not form.is_valid():
        return 400
    try:
        act(form.cleaned_data)
    except SERVICE_ERRORS as error:
        return apply_service_errors(form, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def case_appeals(request, pk: int):
    """The case's appeals; its agency's members appeal its refusal, suspension or
    withdrawal here while they may (the page says why not otherwise)."""
    access = access_of(request)
    case = case_or_404(request, pk)
    if not may_see_appeals(access, case):
        raise Http404
    is_member = case.agency_id in access.agency_ids
    if request.method == "POST" and not is_member:
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None) if is_member else None
    status = 200
    if request.method == "POST":
        status = _carry_out(
            form,
            lambda given: services.appeal_lodge(
                actor=request.user, case=case, grounds=given["grounds"], files=given["files"]
            ),
        )
        if status is None:
            messages.success(
                request,
                gettext(
                    "Your appeal is lodged. The decision stays in force until a reviewer "
                    "who took no part in it answers."
                ),
            )
            return redirect("web:case-appeals", pk=case.pk)
    decision, why_not = None, None
    try:
        decision = appealable_decision(case, timezone.localdate())
    except TransitionNotAllowed as refusal:
        why_not = str(refusal)
    return render(
        request,
        "certification/appeals.html",
        {
            "case": case,
            "appeals": appeals_visible(access).filter(case=case).order_by("lodged_at", "pk"),
            "form": form if form is not None and (decision or form.is_bound) else None,
            "decision": decision,
            "until": appeal_period_end(decision) if decision else None,
            "why_not": why_not,
            "is_reviewer": access.is_reviewer,
        },
        status=status,
    )


def _reviewer_access(request):
    access = access_of(request)
    if not access.is_reviewer:
        raise Http404
    return access


@login_required
@require_GET
def review_appeals(request):
    """Reviewers: the appeals waiting for an answer, the one due soonest first."""
    access = _reviewer_access(request)
    page = Paginator(appeals_open(access), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/appeals_review.html",
        {"page": page, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_appeal(request, pk: int):
    """A reviewer reads an appeal and, while it is lodged, answers it."""
    access = _reviewer_access(request)
    appeal = appeals_visible(access).filter(pk=pk).first()
    if appeal is None:
        raise Http404
    form = AppealAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _carry_out(
            form,
            lambda given: services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                outcome=given["outcome"],
                rationale=given["rationale"],
            ),
        )
        appeal.refresh_from_db()
        if status is None:
            messages.success(
                request,
                gettext("The appeal is answered: %(outcome)s.")
                % {"outcome": appeal.get_state_display().lower()},
            )
            return redirect("web:review-appeal", pk=appeal.pk)
    return render(
        request,
        "certification/appeal_review.html",
        {"appeal": appeal, "case": appeal.case, "form": form},
        status=status,
    )
