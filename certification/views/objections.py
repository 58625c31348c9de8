"""The public window of applications (APPLICATION_OBJECTION_DAYS; off by default, the
pages answer 404 then): anyone reads who applies and may object, without an account. The
rules are in certification/services/objections.py."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from certification.services.objections import CONTACT_MAX, REASON_MAX, objection_make
from recruiters.applying.services import objection_window_applications, objection_window_closes
from recruiters.identifiers import parse_uuid


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("What you know about this applicant"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: the same people ran an agency whose licence was cancelled, or "
            "workers paid it fees. Only the scheme's reviewers read this."
        ),
    )
    contact = forms.CharField(
        label=_("How the reviewer may reach you (optional)"),
        max_length=CONTACT_MAX,
        required=False,
        help_text=_(
            "An e-mail or a phone number. It is kept encrypted; leave it empty to stay anonymous."
        ),
    )


def _window_on() -> None:
    if settings.APPLICATION_OBJECTION_DAYS <= 0:
        raise Http404


@require_http_methods(["GET"])
def objections(request):
    _window_on()
    rows = [
        {"application": application, "closes": objection_window_closes(application)}
        for application in objection_window_applications()
    ]
    return render(request, "certification/objections.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def objection(request, public_id):
    _window_on()
    wanted = parse_uuid(str(public_id))
    application = (
        objection_window_applications().filter(public_id=wanted).first() if wanted else None
    )
    if application is None:
        raise Http404
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    context = {
        "application": application,
        "closes": objection_window_closes(application),
        "form": form,
    }
    if request.method == "POST":
        if getattr(request, "throttled", False):
            form.add_error(
                None,
                gettext(
                    "Too many attempts from this connection in a short time. Nothing was "
                    "lost: what you wrote is still below. Please send it again in a while."
                ),
            )
        elif form.is_valid():
            try:
                objection_make(application, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                return render(request, "certification/objection_sent.html", context)
        response = render(request, "certification/objection.html", context, status=400)
    else:
        response = render(request, "certification/objection.html", context)
    response["Cache-Control"] = "no-store"
    return response
