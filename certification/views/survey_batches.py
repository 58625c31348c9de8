"""An agency's worker survey as the scheme runs it (issue 15 §1 and §3): the page where a
reviewer, or the agency's auditor, issues a batch of one-time codes and downloads its cards,
and reads the batches, the answers put together (from k workers) and the signals.

The agency's members never open it (404): they read on their case page how many codes were
issued and answered, and the aggregate once it is shown. The cards themselves are the API's
`GET /api/v1/survey-batches/{id}/cards/`, which the page links to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from certification import transitions
from certification.forms.survey_batches import SurveyBatchForm, SurveyCorridorFilter
from certification.models import TERMINAL_STATES
from certification.selectors.surveys import (
    agency_signals_in_words,
    agency_survey_aggregate,
    survey_agency,
)
from certification.services import surveys as services
from certification.views.common import SERVICE_ERRORS, apply_service_errors
from monitoring.survey_selectors import survey_batch_list, survey_counts

BATCH_ROWS = 100


def _agency_for_scheme(request, public_id):
    """The agency, and what the person may do with its survey; 404 unless a reviewer or
    the agency's auditor (the agency itself included: it reads its counts elsewhere)."""
    agency, reader = survey_agency(request.user, public_id)
    if agency is None or not reader.is_scheme:
        raise Http404
    return agency, reader


def survey_page_context(request, agency, reader, form) -> dict:
    """What the page shows; `form` is the issue form, blank or with its errors."""
    corridor_filter = SurveyCorridorFilter(request.GET or None, agency=agency)
    corridor = corridor_filter.cleaned_data["corridor"] if corridor_filter.is_valid() else ""
    batches = list(survey_batch_list(agency)[:BATCH_ROWS])
    # As monitoring.surveys.survey_may_read_codes, without a query per batch: a reviewer
    # prints any batch's cards, the agency's auditor those of the batches they issued.
    rows = [
        {"batch": b, "may_print": reader.is_reviewer or b.issued_by_id == request.user.pk}
        for b in batches
    ]
    return {
        "agency": agency,
        "reader": reader,
        "form": form,
        "counts": survey_counts(agency),
        "rows": rows,
        "more_batches": len(batches) == BATCH_ROWS,
        "corridor_filter": corridor_filter,
        "corridor": corridor,
        "aggregate": agency_survey_aggregate(agency, corridor or None),
        "signals": agency_signals_in_words(agency),
    }


@login_required
@require_http_methods(["GET", "POST"])
def agency_surveys(request, public_id):
    agency, reader = _agency_for_scheme(request, public_id)
    form = SurveyBatchForm(request.POST if request.method == "POST" else None, agency=agency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                batch, _codes = services.survey_batch_issue(
                    actor=request.user,
                    agency=agency,
                    count=form.cleaned_data["count"],
                    corridor=form.cleaned_data["corridor"] or None,
                )
            except SERVICE_ERRORS as error:
                status = apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s code issued. Download its card below and print it.",
                        "%(count)s codes issued. Download their cards below and print them.",
                        batch.count,
                    )
                    % {"count": batch.count},
                )
                return redirect("web:agency-surveys", public_id=agency.public_id)
    return render(
        request,
        "certification/agency_surveys.html",
        survey_page_context(request, agency, reader, form),
        status=status,
    )


def case_survey_summary(case, roles) -> dict | None:
    """The survey box of a case page: for the agency's members the codes issued, the
    answers received and the aggregate once shown (from k workers, over their answers in
    steps of k: updated every k answers, so that no reading tells a new worker's answers),
    never a code, a signal or one worker's answers; for reviewers and the case's auditor
    while the case is not over, the counts and the way to the survey page (the reviewer
    reads the aggregate and the signals in the record). The auditor of a case that is over
    is no longer the agency's auditor (`survey_auditor_of_agency`): no box."""
    reviewer = transitions.REVIEWER in roles
    auditor = transitions.ASSIGNED_AUDITOR in roles and case.state not in TERMINAL_STATES
    scheme = reviewer or auditor
    if not scheme and transitions.AGENCY_MEMBER not in roles:
        return None
    counts = survey_counts(case.agency)
    return {
        "counts": counts,
        "scheme": scheme,
        # the agency reads the aggregate only when shown; below k, the same sentence for all
        "aggregate": None if reviewer else agency_survey_aggregate(case.agency, stepped=not scheme),
    }
