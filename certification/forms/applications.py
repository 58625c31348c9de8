"""The forms of applying to join (issue 18 §1): plain fields, no script, a phone's width.
An agency names up to PEOPLE_ROWS people behind it; empty rows are left out."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from recruiters.models import ApplicationKind, LinkDecision, PersonRole, SectorCode, SizeBand

PEOPLE_ROWS = 4


def _countries(blank: str):
    return [("", blank), *countries]


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=255, required=False)
    country = forms.ChoiceField(label=_("Country of registration"), choices=())
    registration_number = forms.CharField(label=_("Registration number"), max_length=100)
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("The organisation's e-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "We send a link there: your application goes to the reviewers once you open it."
        ),
    )
    password = forms.CharField(
        label=_("A password for your account"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Your account opens when the application is accepted."),
    )
    language = forms.ChoiceField(label=_("Language of our e-mails"), choices=())

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["country"].choices = _countries(_("Choose a country"))
        self.fields["language"].choices = settings.LANGUAGES
        if kind == ApplicationKind.AGENCY:
            self.fields["licence_number"] = forms.CharField(
                label=_("Recruitment licence number"), max_length=100, required=False
            )
            self.fields["size_band"] = forms.ChoiceField(
                label=_("Workers placed abroad a year"), choices=[("", "—"), *SizeBand.choices]
            )
            self.fields["corridors"] = forms.CharField(
                label=_("Corridors"),
                required=False,
                help_text=_("Countries of origin and destination, e.g. NP-QA, NP-MY."),
            )
            self.fields["sectors"] = forms.MultipleChoiceField(
                label=_("Sectors"),
                choices=SectorCode.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            for row in range(PEOPLE_ROWS):
                self.fields[f"person_{row}_name"] = forms.CharField(
                    label=_("Name"), max_length=200, required=False
                )
                self.fields[f"person_{row}_role"] = forms.ChoiceField(
                    label=_("Role"), choices=[("", "—"), *PersonRole.choices], required=False
                )
                self.fields[f"person_{row}_birth_year"] = forms.IntegerField(
                    label=_("Year of birth"), required=False, min_value=1900, max_value=2100
                )
                self.fields[f"person_{row}_nationality"] = forms.ChoiceField(
                    label=_("Nationality"), choices=_countries("—"), required=False
                )

    def person_rows(self):
        """The people's fields, row by row, for the template."""
        return (
            [
                [
                    self[f"person_{row}_{part}"]
                    for part in ("name", "role", "birth_year", "nationality")
                ]
                for row in range(PEOPLE_ROWS)
            ]
            if self.kind == ApplicationKind.AGENCY
            else []
        )

    def field_of(self, name: str, rows: list[int]) -> str | None:
        """Where a service's error goes: `people.1.birth_year` is the second person given,
        on the form's row `rows[1]` (empty rows are not given)."""
        if name.startswith("people."):
            _people, position, part = [*name.split("."), "", ""][:3]
            if not position.isdigit() or int(position) >= len(rows):
                return None
            candidate = f"person_{rows[int(position)]}_{part}"
            return candidate if candidate in self.fields else None
        return name if name in self.fields else None


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("The e-mail you applied with"))


class FollowAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class LinkReviewForm(forms.Form):
    """A reviewer's decision on one match of an application's link check: what matched
    comes hidden from the page, the decision from the button pressed. The same limits as
    the API's (certification/api/links.py LinkReviewInSerializer)."""

    other = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.CharField(max_length=20, widget=forms.HiddenInput)
    mine = forms.CharField(max_length=255, widget=forms.HiddenInput)
    theirs = forms.CharField(max_length=255, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=LinkDecision.choices,
        error_messages={
            "required": _("Choose linked or not the same."),
            "invalid_choice": _("Choose linked or not the same."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def is_for(self, link) -> bool:
        """Whether this (posted) form is about this match of the page."""
        return (
            self.data.get("other") == str(link.other.public_id)
            and self.data.get("kind") == link.match.kind
            and self.data.get("mine") == link.match.mine
            and self.data.get("theirs") == link.match.theirs
        )
