"""Applying to join (issue 18 §1): the public pages where an agency or an employer applies
and follows its application with the link e-mailed to it, and the reviewers' pages where
each application is read with its link check and decided. The rules are in
recruiters.applying.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification.forms.applications import (
    PEOPLE_ROWS,
    FollowAnswerForm,
    JoinForm,
    LinkForm,
    LinkReviewForm,
    QuestionForm,
    RejectForm,
)
from certification.selectors.links import application_links
from certification.selectors.screening import screening_hits
from certification.services.objections import objections_of
from recruiters.applying import services
from recruiters.links.services import PersonEntry, link_review_record, linked_party
from recruiters.models import Application, ApplicationKind, ApplicationState
from recruiters.permissions import is_reviewer

EVENT_WORDS = {
    "submit": gettext_lazy("Applied"),
    "confirm": gettext_lazy("E-mail confirmed"),
    "ask": gettext_lazy("More information asked"),
    "reply": gettext_lazy("Question answered"),
    "accept": gettext_lazy("Accepted"),
    "reject": gettext_lazy("Rejected"),
}


def _no_store(response):
    response["Cache-Control"] = "no-store"  # a key in the address, a password in the form
    return response


def _throttled(request, form) -> bool:
    if getattr(request, "throttled", False):
        form.add_error(
            None,
            _(
                "Too many attempts from this connection in a short time. Nothing was lost: "
                "what you wrote is still below (but the password). Send it again in a while."
            ),
        )
        return True
    return False


def _entry(kind: str, data: dict) -> tuple[services.ApplicationEntry, list[int]]:
    """The entry, and the form's row of each person given (empty rows are left out)."""
    people, rows = [], []
    if kind == ApplicationKind.AGENCY:
        for row in range(PEOPLE_ROWS):
            name = (data.get(f"person_{row}_name") or "").strip()
            if not name and not data.get(f"person_{row}_role"):
                continue  # an empty row
            rows.append(row)
            people.append(
                PersonEntry(
                    name=name,
                    role=data.get(f"person_{row}_role") or "",
                    birth_year=data.get(f"person_{row}_birth_year"),
                    nationality=data.get(f"person_{row}_nationality") or "",
                )
            )
    corridors = [
        part.strip().upper()
        for part in (data.get("corridors") or "").replace(";", ",").split(",")
        if part.strip()
    ]
    entry = services.ApplicationEntry(
        kind=kind,
        name=data["name"],
        legal_name=data.get("legal_name", ""),
        country=data["country"],
        registration_number=data["registration_number"],
        licence_number=data.get("licence_number", ""),
        address=data.get("address", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        website=data.get("website", ""),
        size_band=data.get("size_band", ""),
        corridors=tuple(corridors),
        sectors=tuple(data.get("sectors") or ()),
        people=tuple(people),
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        password=data["password"],
        language=data["language"],
    )
    return entry, rows


@require_http_methods(["GET", "POST"])
def join(request, kind: str):
    """The application form of an agency (`/join/agency/`) or an employer."""
    if kind not in ApplicationKind.values:
        raise Http404
    form = JoinForm(request.POST or None, kind=kind, initial={"language": request.LANGUAGE_CODE})
    status = 200
    if request.method == "POST":
        if _throttled(request, form):
            status = 429
        elif form.is_valid():
            entry, rows = _entry(kind, form.cleaned_data)
            try:
                services.application_submit(entry)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(form.field_of(name, rows), problem)
                status = 400
            else:
                # The same page whatever the e-mail (an account's owner is told by e-mail).
                return _no_store(
                    render(
                        request,
                        "certification/join_sent.html",
                        {"email": entry.contact_email},
                    )
                )
        else:
            status = 400
    return _no_store(
        render(request, "certification/join.html", {"form": form, "kind": kind}, status=status)
    )


@require_http_methods(["GET", "POST"])
def join_follow(request):
    """Where the e-mailed link leads: confirm the e-mail (by a button: a mail scanner that
    opens links confirms nothing), see the state, answer the reviewer's question."""
    key = request.POST.get("key") or request.GET.get("key", "")
    application = services.application_by_key(key)
    if application is None:
        return _no_store(
            render(request, "certification/join_follow.html", {"link_form": LinkForm()}, status=400)
        )
    form = FollowAnswerForm(request.POST if request.POST.get("step") == "answer" else None)
    status = 200
    if request.method == "POST":
        if _throttled(request, form):
            status = 429
        elif request.POST.get("step") == "confirm":
            try:
                application = services.application_confirm(key)
            except ValidationError as error:
                for problem in error.messages:
                    messages.error(request, problem)
                status = 400
            else:
                messages.success(request, _("Thank you: your application is with the reviewers."))
        elif form.is_valid():
            try:
                application = services.application_reply(key, form.cleaned_data["answer"])
            except ValidationError as error:
                for problem in error.messages:
                    form.add_error(None, problem)
                status = 400
            else:
                messages.success(request, _("Your answer is sent to the reviewer."))
                form = FollowAnswerForm()
        else:
            status = 400
    return _no_store(
        render(
            request,
            "certification/join_follow.html",
            {"application": application, "key": key, "form": form},
            status=status,
        )
    )


@require_POST
def join_link(request):
    """A new link, sent to the e-mail given; the same answer whatever the e-mail."""
    form = LinkForm(request.POST)
    if getattr(request, "throttled", False):
        form.add_error(None, _("Too many attempts from this connection: try again in a while."))
    if not form.is_valid():
        return _no_store(
            render(request, "certification/join_follow.html", {"link_form": form}, status=400)
        )
    services.application_link_resend(form.cleaned_data["email"])
    return _no_store(
        render(request, "certification/join_sent.html", {"email": form.cleaned_data["email"]})
    )


def _reviewer_or_404(request) -> None:
    if not is_reviewer(request.user):
        raise Http404


@login_required
@require_GET
def review_applications(request):
    _reviewer_or_404(request)
    state = request.GET.get("state", ApplicationState.SUBMITTED)
    if state not in ApplicationState.values:
        state = ApplicationState.SUBMITTED
    page = Paginator(Application.objects.filter(state=state).order_by("-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certification/review_applications.html",
        {"page": page, "state": state, "states": ApplicationState.choices},
    )


def _application_or_404(public_id) -> Application:
    application = Application.objects.filter(public_id=public_id).prefetch_related("people").first()
    if application is None:
        raise Http404
    return application


@login_required
@require_GET
def review_application(request, public_id):
    _reviewer_or_404(request)
    application = _application_or_404(public_id)
    return _review_page(request, application)


def _link_rows(application, posted: LinkReviewForm | None):
    """Each match with its decision form (the one posted, with its errors, beside its
    match), and the posted form when it names no match of the page."""
    links = application_links(application)
    # Who took the newest decisions: one query, whatever the number of matches.
    prefetch_related_objects([link.review for link in links if link.review], "decided_by")
    rows, placed = [], False
    for index, link in enumerate(links):
        auto_id = f"id_link_{index}_%s"
        if posted is not None and not placed and posted.is_for(link):
            form, placed = posted, True
            form.auto_id = auto_id
        else:
            form = LinkReviewForm(
                auto_id=auto_id,
                initial={
                    "other": link.other.public_id,
                    "kind": link.match.kind,
                    "mine": link.match.mine,
                    "theirs": link.match.theirs,
                },
            )
        rows.append((link, form))
    return rows, (posted if posted is not None and not placed else None)


def _review_page(request, application, forms_given=None, status=200):
    forms_given = forms_given or {}
    link_rows, stray_link_form = _link_rows(application, forms_given.get("link"))
    return render(
        request,
        "certification/review_application.html",
        {
            "application": application,
            "link_rows": link_rows,
            "stray_link_form": stray_link_form,
            "events": [
                (event, EVENT_WORDS.get(event.transition, event.transition))
                for event in application.events.select_related("actor")
            ],
            "objections": objections_of(application),
            "objections_until": services.objection_window_closes(application),
            "screening": screening_hits(application),
            "question_form": forms_given.get("ask") or QuestionForm(),
            "reject_form": forms_given.get("reject") or RejectForm(),
        },
        status=status,
    )


@login_required
@require_POST
def review_application_step(request, public_id, step: str):
    _reviewer_or_404(request)
    application = _application_or_404(public_id)
    form = {"ask": QuestionForm, "reject": RejectForm}.get(step)
    form = form(request.POST) if form else None
    if step not in ("accept", "ask", "reject"):
        raise Http404
    if form is not None and not form.is_valid():
        return _review_page(request, application, {step: form}, status=400)
    try:
        if step == "accept":
            services.application_accept(actor=request.user, application=application)
        elif step == "ask":
            services.application_ask(
                actor=request.user, application=application, **form.cleaned_data
            )
        else:
            services.application_reject(
                actor=request.user, application=application, **form.cleaned_data
            )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("web:review-application", public_id=application.public_id)
    messages.success(request, _("Done."))
    return redirect(reverse("web:review-application", args=[application.public_id]))


@login_required
@require_POST
def application_link_review(request, public_id):
    """A reviewer's decision on one match of the application's link check (linked, or not
    the same, with a note): kept, the newest stands. The API's rules (certification/api/
    links.py); anyone else is told nothing exists."""
    _reviewer_or_404(request)
    application = _application_or_404(public_id)
    form = LinkReviewForm(request.POST)
    other = None
    if form.is_valid():
        other = linked_party(form.cleaned_data["other"])
        if other is None:
            form.add_error("other", _("No agency or application has this id."))
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("kind", "mine", "theirs", "decision")}
        try:
            link_review_record(
                actor=request.user,
                subject=application,
                other=other,
                note=form.cleaned_data["note"],
                **data,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("Your decision on the match is recorded."))
            return redirect("web:review-application", public_id=application.public_id)
    return _review_page(request, application, {"link": form}, status=400)
