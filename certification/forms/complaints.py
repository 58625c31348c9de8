"""The complaint form and the follow-up forms: plain fields, no script, a phone's width."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certification.forms.cases import AuditorAndDatesForm
from monitoring.models import AnswerLanguage, Category
from monitoring.services import SHARED_SUMMARY_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # Judged by content later (certification/complaint_intake.py); here only collected.
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class ComplaintForm(forms.Form):
    agency = forms.CharField(
        label=_("The agency: its name, registration number or certificate number"),
        max_length=200,
        required=False,
        help_text=_("As you know it. If the register has it, we find it."),
    )
    agency_unknown = forms.BooleanField(label=_("I don't know its name"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("What happened? Choose all that apply."),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    happened_when = forms.CharField(
        label=_("When? A date, or in your words"), max_length=100, required=False
    )
    happened_where = forms.CharField(
        label=_("Where? A town or a country"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Say what happened, in your own words.")},
    )
    contact = forms.CharField(
        label=_("Your e-mail or phone, if you want an answer (you may leave it empty)"),
        max_length=200,
        required=False,
        help_text=_("Only the scheme's reviewers can read it. The agency never sees it."),
    )
    answer_language = forms.ChoiceField(
        label=_("Language for the answer"),
        choices=AnswerLanguage.choices,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(
        label=_("Photos or documents (receipts, contract), if you have them"),
        required=False,
        help_text=_("PDF, JPEG, PNG, XLSX or DOCX."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "en")[:2]
        self.fields["answer_language"].initial = (
            language if language in AnswerLanguage.values else AnswerLanguage.EN
        )


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Complaint number"), max_length=20)
    code = forms.CharField(label=_("Follow-up code"), max_length=64)


class FollowMessageForm(FollowForm):
    number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Add information"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    files = MultipleFileField(
        label=_("Photos or documents"), required=False, help_text=_("PDF, JPEG, PNG, XLSX or DOCX.")
    )


# --- reviewers -----------------------------------------------------------------------------


def shared_summary_field() -> forms.CharField:
    """What a reviewer tells the agency's audit, on every form that may change it."""
    return forms.CharField(
        label=_(
            "What the agency's audit may be told (your words, nothing that identifies "
            "the complainant)"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHARED_SUMMARY_MAX_LENGTH,
        required=False,
    )


class ComplaintTransitionForm(forms.Form):
    """One step of a complaint's life: the message the complainant reads, an internal note,
    and (refer) who it goes to; the prefix keeps each step's fields apart on the page."""

    message = forms.CharField(
        label=_("Message to the complainant (in their language)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write the message the complainant will read on the follow-up page.")
        },
    )
    note = forms.CharField(
        label=_("Internal note (reviewers only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    referral = forms.CharField(
        label=_("Referred to (the authority or support service)"), max_length=200, required=False
    )
    shared_summary = shared_summary_field()

    def __init__(self, *args, transition, complaint, **kwargs):
        super().__init__(*args, prefix=transition.name, **kwargs)
        self.transition = transition
        self.label = transition.action
        if transition.name != "refer":
            del self.fields["referral"]
        self.fields["shared_summary"].initial = complaint.shared_summary


class ComplaintWriteForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("To"),
        choices=[
            ("to_complainant", _("The complainant (read on the follow-up page)")),
            ("internal", _("Reviewers only (internal note)")),
        ],
        widget=forms.RadioSelect,
        initial="internal",
    )
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="write", **kwargs)


class ComplaintLinkForm(forms.Form):
    case = forms.IntegerField(
        label=_("Certification case number"),
        min_value=1,
        required=False,
        help_text=_("The agency's case this complaint concerns; empty to unlink."),
    )
    shared_summary = shared_summary_field()

    move_agency = forms.BooleanField(
        label=_("The case is of another agency than the complaint names: move it there"),
        required=False,
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)
        self.fields["case"].initial = complaint.case_id
        self.fields["shared_summary"].initial = complaint.shared_summary


class SpecialAuditForm(AuditorAndDatesForm):
    note = forms.CharField(
        label=_("Internal note (reviewers only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, prefix="special-audit", **kwargs)
        self.offer(eligible)


class ConsequenceForm(forms.Form):
    reason = forms.CharField(
        label=_(
            "Reason: the agency reads it, with the complaint's number. Never the "
            "complainant's words or anything that points to them."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, name, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
