"""The agency's profile page and the reviewers' page of requests to change an agency's
identity. The profile lives here, not in `recruiters`, because whether a change of identity
needs a reviewer depends on the agency's cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification.forms.identity import AgencyProfileForm, DecisionForm, LockedAgencyProfileForm
from certification.models import IdentityChange, IdentityChangeState
from certification.selectors.identity import (
    agency_history,
    agency_is_locked,
    identity_change_list,
    identity_change_pending,
)
from certification.services import identity as services
from certification.views.common import SERVICE_ERRORS, apply_service_errors
from recruiters import permissions
from recruiters.models import Agency

HISTORY_ROWS = 50


def _initial(agency: Agency) -> dict:
    return {
        "name": agency.name,
        "legal_name": agency.legal_name,
        "registration_number": agency.registration_number,
        "licence_number": agency.licence_number,
        "country": agency.country.code,
        "address": agency.address,
        "website": agency.website,
        "size_band": agency.size_band,
        "sectors": [s.code for s in agency.sectors.all()],
        "corridors": "\n".join(f"{c.origin}-{c.destination}" for c in agency.corridors.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def agency_profile(request, public_id):
    """Its members edit the profile (a change of identity of an agency under certification
    is saved as a request); reviewers read it. Both see the pending request and the history."""
    agency = Agency.objects.filter(public_id=public_id).first()
    if agency is None or not permissions.can_view_agency_profile(request.user, agency):
        raise Http404
    may_edit = permissions.can_edit_agency_profile(request.user, agency)
    if request.method == "POST" and not may_edit:
        raise Http404
    locked = agency_is_locked(agency)
    form_class = LockedAgencyProfileForm if locked else AgencyProfileForm
    form = form_class(request.POST if request.method == "POST" else None, initial=_initial(agency))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _agency, change = services.agency_profile_update(
                    actor=request.user, agency=agency, data=form.cleaned_data
                )
            except SERVICE_ERRORS as error:
                status = apply_service_errors(form, error)
            else:
                if change is not None:
                    messages.success(
                        request,
                        gettext(
                            "The profile is saved. The change of identity is sent to the "
                            "scheme: it applies once a reviewer approves it."
                        ),
                    )
                else:
                    messages.success(request, gettext("The profile is saved."))
                return redirect("web:agency-profile", public_id=agency.public_id)
        else:
            status = 400
        agency.refresh_from_db()
    return render(
        request,
        "certification/agency_profile.html",
        {
            "agency": agency,
            "form": form if may_edit else None,
            "locked": locked,
            "pending": identity_change_pending(agency),
            "history": agency_history(agency)[:HISTORY_ROWS],
            "may_decide": permissions.is_reviewer(request.user),
        },
        status=status,
    )


def _reviewer_or_404(request) -> None:
    if not permissions.is_reviewer(request.user):
        raise Http404


def _changes_page(request, errors: dict | None = None, status: int = 200):
    """The pending requests, oldest first, each with its decision form (`errors`: the one
    posted again with its message, and what was typed)."""
    changes = identity_change_list(state=IdentityChangeState.PENDING).order_by("requested_at", "pk")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    errors = errors or {}
    rows = [
        (change, errors.get(change.pk) or DecisionForm(prefix=f"c{change.pk}")) for change in page
    ]
    return render(
        request, "certification/identity_changes.html", {"page": page, "rows": rows}, status=status
    )


@login_required
@require_GET
def identity_changes(request):
    """Reviewers: the requests to change an agency's identity that wait for a decision."""
    _reviewer_or_404(request)
    return _changes_page(request)


DECISIONS = {
    "approve": services.identity_change_approve,
    "reject": services.identity_change_reject,
}


@login_required
@require_POST
def identity_change_decide(request, pk: int, decision: str):
    """A reviewer approves or rejects a request (a reason is needed to reject)."""
    _reviewer_or_404(request)
    decide = DECISIONS.get(decision)
    if decide is None:
        raise Http404
    change = get_object_or_404(IdentityChange, pk=pk)
    form = DecisionForm(request.POST, prefix=f"c{change.pk}")
    form.is_valid()  # a plain text field: always valid; the service judges the reason
    try:
        decide(actor=request.user, change=change, reason=form.cleaned_data.get("reason", ""))
    except SERVICE_ERRORS as error:
        status = apply_service_errors(form, error)
        return _changes_page(request, errors={change.pk: form}, status=status)
    if decision == "approve":
        messages.success(
            request,
            gettext("The change of identity of %(agency)s is approved.")
            % {"agency": change.agency.name},
        )
    else:
        messages.success(
            request,
            gettext("The change of identity of %(agency)s is rejected.")
            % {"agency": change.agency.name},
        )
    return redirect("web:identity-changes")
