"""The agency profile's forms: the profile itself (its identity fields become a request
for a reviewer while the agency is under certification) and a reviewer's decision on
such a request."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from recruiters.models import SectorCode, SizeBand


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


class LockedAgencyProfileForm(AgencyProfileForm):
    """The profile of an agency under certification: every identity field may be asked to
    change, and the change waits for a reviewer."""

    registration_number = forms.CharField(label=_("National registration number"), max_length=100)
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)

    field_order = [
        "name",
        "legal_name",
        "registration_number",
        "licence_number",
        "country",
    ]


class DecisionForm(forms.Form):
    """A reviewer's decision on a request: a reason is needed to reject, not to approve."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; optional to approve."),
    )
