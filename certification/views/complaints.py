"""Complaint pages: anyone files one and follows it with its number and code; reviewers
read and handle them. The rules are in monitoring.services, certification.services.complaints
and complaint_intake."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification.complaint_intake import agency_resolve, file_response, files_check
from certification.forms.complaints import (
    ComplaintForm,
    ComplaintLinkForm,
    ComplaintTransitionForm,
    ComplaintWriteForm,
    ConsequenceForm,
    FollowForm,
    FollowMessageForm,
    SpecialAuditForm,
)
from certification.models import CertificationCase
from certification.selectors import auditors_for
from certification.services import complaints as handling
from certification.views.common import SERVICE_ERRORS, apply_service_errors
from monitoring import crypto, selectors, services
from monitoring.models import ComplaintFile, State
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
    return handling.complaint_receive(
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
    return render(
        request,
        "certification/review_complaints.html",
        {"page": page, "today": timezone.localdate()},
    )


def _reviewed(request, number: str):
    complaint = selectors.complaint_review_get(request.user, number)
    if complaint is None:
        raise Http404
    return complaint


def _eligible_auditors(complaint):
    if complaint.case is None or complaint.state != State.SUBSTANTIATED:
        return []
    return [a for a, problem in auditors_for(complaint.agency, timezone.localdate()) if not problem]


def _complaint_page(request, complaint, forms_given=None, status=200):
    """The reviewer's complaint page; `forms_given` replaces the blank form that failed, so
    that its errors and what was typed show beside it."""
    forms_given = forms_given or {}
    contents = services.complaint_read(actor=request.user, complaint=complaint)
    available = services.complaint_transitions_available(complaint)
    # A step refused because the state moved on meanwhile still shows, with why.
    refused = [
        form
        for name, form in forms_given.items()
        if isinstance(form, ComplaintTransitionForm) and name not in {t.name for t in available}
    ]
    transition_forms = refused + [
        forms_given.get(t.name) or ComplaintTransitionForm(transition=t, complaint=complaint)
        for t in available
    ]
    consequences = {}
    if complaint.state == State.SUBSTANTIATED and complaint.case is not None:
        consequences = {
            "special_audit": forms_given.get("special_audit")
            or SpecialAuditForm(eligible=_eligible_auditors(complaint)),
            "suspend": forms_given.get("suspend") or ConsequenceForm(name="suspend"),
            "withdraw_certificate": forms_given.get("withdraw_certificate")
            or ConsequenceForm(name="withdraw_certificate"),
        }
    context = {
        "complaint": complaint,
        "contents": contents,
        "transition_forms": transition_forms,
        "write_form": forms_given.get("write") or ComplaintWriteForm(),
        "link_form": forms_given.get("link") or ComplaintLinkForm(complaint=complaint),
        "consequences": consequences,
        "events": complaint.events.select_related("actor"),
        "today": timezone.localdate(),
    }
    return _no_store(render(request, "certification/review_complaint.html", context, status=status))


@require_GET
def review_complaint(request, number: str):
    return _complaint_page(request, _reviewed(request, number))


def _act(request, complaint, key, form, do, done: str):
    """Run a reviewer's action from its form: back to the page with a message when done,
    the page again with the form's errors (and what was typed) when refused."""
    status = 400
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except SERVICE_ERRORS as error:
            status = apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("web:review-complaint", number=complaint.number)
    return _complaint_page(request, complaint, {key: form}, status=status)


@require_POST
def review_complaint_transition(request, number: str, name: str):
    complaint = _reviewed(request, number)
    transition = services.COMPLAINT_TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    form = ComplaintTransitionForm(request.POST, transition=transition, complaint=complaint)

    def do(data):
        handling.complaint_handle(
            actor=request.user,
            complaint=complaint,
            name=name,
            message=data["message"],
            note=data["note"],
            referral=data.get("referral", ""),
            shared_summary=data["shared_summary"],
        )

    return _act(
        request, complaint, name, form, do, _("Done: %(step)s.") % {"step": transition.action}
    )


@require_POST
def review_complaint_write(request, number: str):
    complaint = _reviewed(request, number)

    def do(data):
        handling.complaint_message(
            actor=request.user, complaint=complaint, direction=data["direction"], text=data["text"]
        )

    return _act(request, complaint, "write", ComplaintWriteForm(request.POST), do, _("Written."))


@require_POST
def review_complaint_link(request, number: str):
    complaint = _reviewed(request, number)
    form = ComplaintLinkForm(request.POST, complaint=complaint)

    def do(data):
        case = None
        if data["case"]:
            case = CertificationCase.objects.filter(pk=data["case"]).first()
            if case is None:
                raise ValidationError({"case": _("No such certification case.")})
        handling.complaint_link_case(
            actor=request.user,
            complaint=complaint,
            case=case,
            shared_summary=data["shared_summary"],
            move_agency=data["move_agency"],
        )

    return _act(request, complaint, "link", form, do, _("Saved."))


@require_POST
def review_complaint_special_audit(request, number: str):
    complaint = _reviewed(request, number)
    form = SpecialAuditForm(request.POST, eligible=_eligible_auditors(complaint))

    def do(data):
        handling.complaint_order_special_audit(
            actor=request.user,
            complaint=complaint,
            auditor=data["auditor"],
            stage1_date=data["stage1_date"],
            stage2_date=data["stage2_date"],
            note=data["note"],
        )

    return _act(request, complaint, "special_audit", form, do, _("The special audit is planned."))


@require_POST
def review_complaint_consequence(request, number: str, name: str):
    complaint = _reviewed(request, number)
    act = {
        "suspend": (handling.complaint_suspend, _("The certificate is suspended.")),
        "withdraw_certificate": (
            handling.complaint_withdraw_certificate,
            _("The certificate is withdrawn."),
        ),
    }.get(name)
    if act is None:
        raise Http404
    service, done = act
    form = ConsequenceForm(request.POST, name=name)

    def do(data):
        service(actor=request.user, complaint=complaint, reason=data["reason"])

    return _act(request, complaint, name, form, do, done)


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
    return _no_store(file_response(complaint, stored, data))
