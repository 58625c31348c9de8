"""The appeal forms: the agency's appeal (grounds and files) and a reviewer's answer. Plain
fields, no script; the services judge the grounds, the files and the rationale."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.forms.complaints import MultipleFileField
from certification.models import AppealOutcome


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why the decision is wrong: what was missed or misread, and what shows it."),
    )
    files = MultipleFileField(
        label=_("Files that support it (optional)"),
        required=False,
        help_text=_("PDF, JPEG, PNG, XLSX or DOCX, judged by their content."),
    )


class AppealAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale of the answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the answer rests on, in at least 40 characters; the agency reads it."),
    )
