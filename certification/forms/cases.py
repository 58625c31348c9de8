"""The case page's forms: a transition (read from certification/transitions.py) with its
reason, planning an audit, opening a case, and the review queue's filter."""

from django import forms
from django.conf import settings
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

    # Before a heavy step the page says what it will do (selectors/consequences), to be ticked.
    understood = forms.BooleanField(label=_("I understand what this will do."), required=True)

    def __init__(self, *args, name: str, consequence: str | None = None, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
        entry = transitions.case_transition(name)
        self.name = name
        self.label = entry.action
        self.consequence = consequence
        self.fields["reason"].label = entry.reason_label
        if entry.reason is transitions.Reason.REQUIRED:
            self.fields["reason"].required = True
        elif entry.reason is transitions.Reason.NONE:
            del self.fields["reason"]
        if consequence:
            self.fields["understood"].error_messages["required"] = _(
                "Tick the box to confirm that you mean it."
            )
        else:
            del self.fields["understood"]


class CompleteAuditForm(TransitionForm):
    """Completing an audit: the reason is asked only where it counts, before the on-site
    date when AUDIT_EARLY_COMPLETION_ALLOWED is on (the use case checks it either way)."""

    def __init__(self, *args, audit=None, today=None, **kwargs):
        super().__init__(*args, name="complete_audit", **kwargs)
        early = audit is not None and today is not None and today < audit.stage2_date
        if early and settings.AUDIT_EARLY_COMPLETION_ALLOWED:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class CertifyForm(TransitionForm):
    """Certify: the rationale, and each zero-tolerance or forced-labour finding and the
    worker costs declared confirmed as remediated, one box each (selectors/record)."""

    confirmations = forms.MultipleChoiceField(
        label=_("Confirmed as remediated (say how in the rationale)"),
        required=False,  # the use case says which are missing, by name
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, to_confirm=(), **kwargs):
        super().__init__(*args, name="certify", **kwargs)
        if to_confirm:
            self.fields["confirmations"].choices = [(item.key, item.what) for item in to_confirm]
            # the boxes come before the rationale that says how
            self.order_fields(["confirmations", "reason", "understood"])
        else:
            del self.fields["confirmations"]


class AuditorAndDatesForm(forms.Form):
    """Who audits and when: planning a case's audit, or a special audit on a complaint."""

    auditor = forms.ModelChoiceField(
        label=_("Auditor"), queryset=Membership.objects.none(), widget=forms.RadioSelect
    )
    stage1_date = forms.DateField(
        label=_("Stage 1 (documents)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    stage2_date = forms.DateField(
        label=_("Stage 2 (on site)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def offer(self, eligible) -> None:
        """The auditors who may be chosen (eligible for the agency, worked out by the view)."""
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


class PlanAuditForm(TransitionForm, AuditorAndDatesForm):
    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, name="plan_audit", **kwargs)
        self.offer(eligible)


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
