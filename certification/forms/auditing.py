"""The auditor's forms: the findings of an audit (a grade, notes and indicators for every
criterion), evidence behind a finding, and the steps of a corrective action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import Grade
from certification import labels
from certification.views.common import field_slug
from scoring.engine.vocabulary import FORCED_LABOUR_INDICATORS


class FindingsForm(forms.Form):
    """A grade, notes and indicators for every criterion of the standard."""

    def __init__(self, *args, criteria, findings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            slug = field_slug(criterion.code)
            found = findings.get(criterion.pk)
            self.fields[f"grade-{slug}"] = forms.ChoiceField(
                label=_("Grade"),
                required=False,
                choices=[("", _("Not graded yet")), *Grade.choices],
                initial=found.grade if found else "",
            )
            self.fields[f"text-{slug}"] = forms.CharField(
                label=_("Notes"),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=found.text if found else "",
            )
            self.fields[f"indicators-{slug}"] = forms.MultipleChoiceField(
                label=_("Forced-labour indicators"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(i, labels.label("indicator", i)) for i in FORCED_LABOUR_INDICATORS],
                initial=found.indicators if found else [],
            )

    def changes(self, findings: dict) -> list[tuple]:
        """(criterion, grade, text, indicators) for every criterion graded here and changed."""
        out = []
        for criterion in self.criteria:
            slug = field_slug(criterion.code)
            grade = self.cleaned_data.get(f"grade-{slug}") or ""
            text = self.cleaned_data.get(f"text-{slug}") or ""
            indicators = self.cleaned_data.get(f"indicators-{slug}") or []
            if not grade:
                continue
            found = findings.get(criterion.pk)
            if found and (found.grade, found.text, list(found.indicators)) == (
                grade,
                text.strip(),
                list(indicators),
            ):
                continue
            out.append((criterion, grade, text, indicators))
        return out


class FindingEvidenceForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file (PDF, image, office document)"))


class CorrectiveActionForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    action = forms.CharField(
        label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Why the plan answers the non-conformity"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("What you checked"),
        help_text=_(
            "For a major non-conformity, a file attached since the agency's answer is needed."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan is rejected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ActionEvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF, image, office document)"))
