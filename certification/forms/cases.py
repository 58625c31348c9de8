"""The case page's forms: a transition (read from certification/transitions.py) with its
reason, planning an audit, opening a case, and the review queue's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification import transitions
from certification.models import TERMINAL_STATES, CaseState
from recruiters.models import Membership, Role


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
        entry = transitions.case_transition(name)
        self.name = name
        self.label = entry.action
        self.fields["reason"].label = entry.reason_label
        if entry.reason is transitions.Reason.REQUIRED:
            self.fields["reason"].required = True
        elif entry.reason is transitions.Reason.NONE:
            del self.fields["reason"]


class PlanAuditForm(TransitionForm):
    auditor = forms.ModelChoiceField(
        label=_("Auditor"), queryset=Membership.objects.none(), widget=forms.RadioSelect
    )
    stage1_date = forms.DateField(
        label=_("Stage 1 (documents)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    stage2_date = forms.DateField(
        label=_("Stage 2 (on site)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, name="plan_audit", **kwargs)
        self.fields["auditor"].queryset = Membership.objects.filter(
            pk__in=[a.pk for a in eligible], role=Role.AUDITOR
        )
        self.fields["auditor"].choices = [
            (a.pk, f"{a.user.get_full_name() or a.user.username} ({a.certification_body.name})")
            for a in eligible
        ]

    def clean(self):
        data = super().clean()
        first, second = data.get("stage1_date"), data.get("stage2_date")
        if first and second and second < first:
            self.add_error("stage2_date", _("The on-site stage comes after the document review."))
        return data


class OpenCaseForm(forms.Form):
    agency = forms.UUIDField(widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("Language of the documents"), choices=[("en", "English"), ("fr", "Français")]
    )


class QueueFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Waiting for the scheme"))]
        + [(s, name) for s, name in CaseState.choices if s not in TERMINAL_STATES],
    )
