"""Web pages of the parties: an agency's profile, an employer's API keys."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from recruiters import permissions, services
from recruiters.identifiers import id_or_404
from recruiters.models import Agency, EmployerAPIKey, SectorCode, SizeBand
from recruiters.roles import roles_of


class AgencyProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=255)
    licence_number = forms.CharField(
        label=_("Recruitment licence number"), max_length=100, required=False
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    size_band = forms.ChoiceField(label=_("Workers placed a year"), choices=SizeBand.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=SectorCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    corridors = forms.CharField(
        label=_("Corridors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: origin and destination country codes, e.g. NP-QA."),
    )

    def clean_corridors(self):
        corridors = []
        for number, line in enumerate(self.cleaned_data["corridors"].splitlines(), start=1):
            line = line.strip().upper()
            if not line:
                continue
            match = re.fullmatch(r"([A-Z]{2})\s*[->\u2013]\s*([A-Z]{2})", line)
            if not match:
                raise ValidationError(
                    _("Line %(number)s: write two country codes, e.g. NP-QA."),
                    params={"number": number},
                )
            if match.group(1) == match.group(2):
                raise ValidationError(
                    _("Line %(number)s: origin and destination must be different countries."),
                    params={"number": number},
                )
            corridors.append({"origin": match.group(1), "destination": match.group(2)})
        return corridors


def _agency_for_member(request, public_id) -> Agency:
    agency = Agency.objects.filter(public_id=public_id).first()
    if agency is None or not permissions.can_edit_agency_profile(request.user, agency):
        raise Http404
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def agency_profile(request, public_id):
    agency = _agency_for_member(request, public_id)
    initial = {
        "name": agency.name,
        "legal_name": agency.legal_name,
        "licence_number": agency.licence_number,
        "address": agency.address,
        "website": agency.website,
        "size_band": agency.size_band,
        "sectors": [s.code for s in agency.sectors.all()],
        "corridors": "\n".join(f"{c.origin}-{c.destination}" for c in agency.corridors.all()),
    }
    form = AgencyProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agency_update(actor=request.user, agency=agency, data=form.cleaned_data)
            except ValidationError as error:
                status = 400
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, gettext("The profile is saved."))
                return redirect("web:agency-profile", public_id=agency.public_id)
        else:
            status = 400
        agency.refresh_from_db()
    return render(
        request, "recruiters/agency_profile.html", {"agency": agency, "form": form}, status=status
    )


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("So that you recognise it later, e.g. 'ERP supplier sync'."),
    )


def _employer(request):
    employer = roles_of(request).employer
    if employer is None:
        raise Http404
    return employer


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
