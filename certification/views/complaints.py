"""Complaint pages: anyone files one and follows it with its number and code; reviewers
read them (issue 14 §1). The rules are in monitoring.services and complaint_intake."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.evidence import EXTENSIONS
from certification.complaint_intake import agency_resolve, files_check
from certification.forms.complaints import ComplaintForm, FollowForm, FollowMessageForm
from certification.views.common import apply_service_errors
from monitoring import crypto, selectors, services
from monitoring.models import ComplaintFile
from recruiters.permissions import is_reviewer

RECEIPT_KEY = "complaint_receipt"


def _no_store(response):
    # Number and code, or a complainant's words: no cache keeps them.
    response["Cache-Control"] = "no-store"
    return response


def _throttled(request, form) -> bool:
    if getattr(request, "throttled", False):
        form.add_error(
            None,
            _(
                "Too many attempts from this connection in a short time. Nothing was lost: "
                "what you wrote is still below. Please send it again in a while."
            ),
        )
        return True
    return False


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _throttled(request, form):
            status = 429
        elif form.is_valid():
            try:
                complaint, code = _file(form.cleaned_data)
            except ValidationError as error:
                status = apply_service_errors(form, error)
            else:
                # Kept encrypted in the session until the receipt page shows it, once.
                request.session[RECEIPT_KEY] = crypto.encrypt(
                    json.dumps({"number": complaint.number, "code": code})
                )
                return redirect("web:complaint-receipt")
        else:
            status = 400
    return _no_store(
        render(request, "certification/complaint_new.html", {"form": form}, status=status)
    )


def _file(data):
    text = data["agency"].strip()
    agency = None if data["agency_unknown"] else agency_resolve(text)
    return services.complaint_file(
        agency=agency,
        agency_text=text,
        categories=data["categories"],
        description=data["description"],
        happened_when=data["happened_when"],
        happened_where=data["happened_where"],
        contact=data["contact"],
        answer_language=data["answer_language"],
        files=files_check(data["files"]),
    )


@require_GET
def complaint_receipt(request):
    token = request.session.pop(RECEIPT_KEY, None)
    receipt = json.loads(crypto.decrypt(token)) if token else None
    return _no_store(render(request, "certification/complaint_receipt.html", {"receipt": receipt}))


def _follow_page(request, complaint, form=None, *, status=200, added=False):
    context = {
        "complaint": complaint,
        "messages_to_complainant": selectors.complaint_messages_for_complainant(complaint),
        "form": form
        or FollowMessageForm(initial={"number": complaint.number, "code": request.POST["code"]}),
        "added": added,
    }
    return _no_store(render(request, "certification/complaint_follow.html", context, status=status))


def _not_found(request, form):
    # The same words and status whichever of the number and the code is wrong.
    form.add_error(None, _("No complaint matches this number and code. Check both and try again."))
    return _no_store(
        render(request, "certification/complaint_follow_form.html", {"form": form}, status=404)
    )


@require_http_methods(["GET", "POST"])
def complaint_follow(request):
    form = FollowForm(request.POST or None)
    if request.method == "POST":
        if _throttled(request, form):
            return _no_store(
                render(
                    request, "certification/complaint_follow_form.html", {"form": form}, status=429
                )
            )
        if form.is_valid():
            complaint = selectors.complaint_follow(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if complaint is None:
                return _not_found(request, form)
            return _follow_page(request, complaint)
    status = 400 if form.is_bound else 200
    return _no_store(
        render(request, "certification/complaint_follow_form.html", {"form": form}, status=status)
    )


@require_POST
def complaint_follow_message(request):
    form = FollowMessageForm(request.POST, request.FILES)
    number, code = request.POST.get("number", ""), request.POST.get("code", "")
    complaint = selectors.complaint_follow(number, code)
    if complaint is None:
        return _not_found(request, FollowForm(request.POST))
    if _throttled(request, form):
        return _follow_page(request, complaint, form, status=429)
    if not form.is_valid():
        return _follow_page(request, complaint, form, status=400)
    try:
        services.complaint_add_message(
            complaint=complaint,
            text=form.cleaned_data["text"],
            files=files_check(form.cleaned_data["files"]),
        )
    except ValidationError as error:
        return _follow_page(request, complaint, form, status=apply_service_errors(form, error))
    return _follow_page(request, complaint, added=True)


# --- reviewers -----------------------------------------------------------------------------
# Everyone else gets 404, signed in or not: the pages do not say they exist.


@require_GET
def review_complaints(request):
    if not is_reviewer(request.user):
        raise Http404
    complaints = selectors.complaint_review_list(request.user)
    page = Paginator(complaints, 50).get_page(request.GET.get("page"))
    return render(request, "certification/review_complaints.html", {"page": page})


@require_GET
def review_complaint(request, number: str):
    complaint = selectors.complaint_review_get(request.user, number)
    if complaint is None:
        raise Http404
    contents = services.complaint_read(actor=request.user, complaint=complaint)
    return _no_store(
        render(
            request,
            "certification/review_complaint.html",
            {"complaint": complaint, "contents": contents},
        )
    )


@require_GET
def review_complaint_file(request, number: str, pk: int):
    complaint = selectors.complaint_review_get(request.user, number)
    stored = ComplaintFile.objects.filter(complaint=complaint, pk=pk).first() if complaint else None
    if stored is None:
        raise Http404
    try:
        data = services.complaint_file_read(actor=request.user, complaint_file=stored)
    except PermissionDenied as error:
        raise Http404 from error
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{complaint.number}-{stored.pk}{EXTENSIONS[stored.content_type][0]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)
