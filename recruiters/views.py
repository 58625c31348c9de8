"""Web pages of the parties: an employer's API keys. (An agency's profile is in
certification/views/identity.py: what may change at once depends on its cases.)"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from recruiters import services
from recruiters.identifiers import id_or_404
from recruiters.models import EmployerAPIKey
from recruiters.roles import roles_of


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("So that you recognise it later, e.g. 'ERP supplier sync'."),
    )


def _employer(request):
    """The employer whose keys an administrator manages (other members see a 403 page
    that says who does)."""
    roles = roles_of(request)
    if roles.employer is None:
        raise Http404
    if not roles.employer_administrator:
        raise PermissionDenied(
            gettext("Only your organisation's administrators manage its webhooks and API keys.")
        )
    return roles.employer


@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request):
    """Create a key (its secret shown once, on this answer only) or revoke one."""
    employer = _employer(request)
    form = KeyForm(request.POST if request.method == "POST" else None)
    secret, status = None, 200
    if request.method == "POST":
        if request.POST.get("revoke"):
            key = EmployerAPIKey.objects.filter(
                employer=employer, pk=id_or_404(request.POST["revoke"])
            ).first()
            if key is None:
                raise Http404
            services.employer_key_revoke(actor=request.user, key=key)
            messages.success(request, gettext("The key is revoked."))
            return redirect("web:api-keys")
        if form.is_valid():
            _key, secret = services.employer_key_create(
                actor=request.user, employer=employer, name=form.cleaned_data["name"]
            )
            form = KeyForm()
        else:
            status = 400
    keys = EmployerAPIKey.objects.filter(employer=employer).select_related("created_by")
    response = render(
        request,
        "recruiters/api_keys.html",
        {
            "form": form,
            "secret": secret,
            "keys": keys.order_by("-created_at"),
            "employer": employer,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response
