"""The forms of an agency's worker-survey page: issuing a batch of codes, and choosing the
corridor whose answers are shown."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from certification.selectors.surveys import corridor_code, corridor_words


def _corridor_choices(agency, everything):
    corridors = agency.corridors.order_by("origin", "destination")
    return [("", everything), *((corridor_code(c), corridor_words(c)) for c in corridors)]


class SurveyBatchForm(forms.Form):
    """How many cards to print, and for which of the agency's corridors (or none)."""

    count = forms.IntegerField(label=_("Number of codes"), min_value=1)
    corridor = forms.ChoiceField(
        label=_("Corridor"),
        required=False,
        help_text=_("The workers' answers can then be read for this corridor alone."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, prefix="batch", **kwargs)
        limit = settings.SURVEY_BATCH_MAX  # read now: a setting, not a constant
        self.fields["count"] = forms.IntegerField(
            label=_("Number of codes"),
            min_value=1,
            max_value=limit,
            help_text=_("From 1 to %(limit)s. One card for each worker; each code answers once.")
            % {"limit": limit},
        )
        self.fields["corridor"].choices = _corridor_choices(agency, _("No corridor"))


class SurveyCorridorFilter(forms.Form):
    """Whose answers to show: the agency's, or one of its corridors'."""

    corridor = forms.ChoiceField(label=_("Answers of"), required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corridor"].choices = _corridor_choices(agency, _("Every corridor"))
