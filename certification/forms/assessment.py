"""The self-assessment's forms: one per principle (a field per question, the worker-costs
table beside its question), evidence for an answer, and the offline workbook."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audits.models import Bearer, Route
from certification import labels
from certification.views.common import field_slug
from scoring.engine.vocabulary import WORKER_COST_CATEGORIES
from scoring.explanations import cost_problem_text

NOT_APPLICABLE = "not_applicable"
COST_ROWS_EXTRA = 2


# A worker cost's fields as a problem names them.
COST_FIELD_WORDS = {
    "category": _("category"),
    "amount": _("amount"),
    "currency": _("currency"),
    "borne_by": _("borne by"),
    "route": _("how"),
}


class WorkerCostForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", "—")] + [(c, labels.label("cost", c)) for c in WORKER_COST_CATEGORIES],
    )
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=14, decimal_places=3
    )
    currency = forms.CharField(
        label=_("Currency (ISO 4217)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    borne_by = forms.ChoiceField(
        label=_("Borne by"), required=False, choices=[("", "—"), *Bearer.choices]
    )
    route = forms.ChoiceField(label=_("How"), required=False, choices=[("", "—"), *Route.choices])

    def clean(self):
        data = super().clean()
        given = [f for f in self.fields if data.get(f) not in (None, "")]
        if given and len(given) < len(self.fields):
            for name in self.fields:
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Fill in every column of the row, or none."))
        return data

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("category") in (None, ""):
            return None
        return {
            "category": data["category"],
            "amount": data["amount"],
            "currency": data["currency"].upper(),
            "borne_by": data["borne_by"],
            "route": data["route"],
        }


WorkerCostFormSet = forms.formset_factory(WorkerCostForm, extra=COST_ROWS_EXTRA, max_num=100)


def _field_for(question) -> forms.Field:
    """The form field of one question, in the reader's language; never required, so that a
    draft can be saved at any time (the submission checks completeness)."""
    label, help_text = labels.localized(question, "text"), labels.localized(question, "help")
    na = [(NOT_APPLICABLE, _("Not applicable"))] if question.allow_not_applicable else []
    if question.answer_type == "yes_no":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            widget=forms.RadioSelect,
            choices=[("yes", _("Yes")), ("no", _("No")), *na],
        )
    if question.answer_type == "choice":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            widget=forms.RadioSelect,
            choices=[(c["code"], labels.choice_label(c)) for c in question.choices] + na,
        )
    if question.answer_type == "number":
        return forms.DecimalField(
            label=label,
            help_text=help_text,
            required=False,
            min_value=question.minimum,
            max_value=question.maximum,
        )
    if question.answer_type == "worker_costs":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            widget=forms.RadioSelect,
            choices=[
                ("listed", _("The costs are listed in the table below")),
                ("none", _("No cost of any kind is charged to anyone")),
                *na,
            ],
        )
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )


class PrincipleForm(forms.Form):
    """The questions of one principle; a worker-costs question has a formset beside it."""

    def __init__(self, *args, questions, stored: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.cost_sets = {}
        data = args[0] if args else None
        for question in questions:
            name = question.code
            field = self.fields[name] = _field_for(question)
            value = stored.get(question.code)
            if question.answer_type == "worker_costs":
                items = value if isinstance(value, list) else []
                self.initial[name] = (
                    NOT_APPLICABLE
                    if value == NOT_APPLICABLE
                    else ("listed" if items else ("none" if value == [] else None))
                )
                self.cost_sets[name] = WorkerCostFormSet(
                    data,
                    prefix=f"costs-{field_slug(name)}",
                    initial=[
                        {
                            "category": i["category"],
                            "amount": Decimal(str(i["amount"])),
                            "currency": i["currency"],
                            "borne_by": i["borne_by"],
                            "route": i["route"],
                        }
                        for i in items
                    ],
                )
            elif value is not None:
                self.initial[name] = value
            field.question = question

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(s.is_valid() for s in self.cost_sets.values())])

    def answers(self) -> dict:
        """question code -> value for the engine; None removes an answer."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.code)
            if question.answer_type == "worker_costs":
                items = [item for form in self.cost_sets[question.code] if (item := form.item())]
                if value == NOT_APPLICABLE:
                    answers[question.code] = NOT_APPLICABLE
                elif value == "none":
                    answers[question.code] = []
                elif value == "listed" or items:
                    answers[question.code] = items
                else:
                    answers[question.code] = None
            elif value in (None, ""):
                answers[question.code] = None
            else:
                answers[question.code] = value
        return answers

    def add_engine_errors(self, error) -> None:
        """The engine names each problem 'answers.<code>...: why'; put it by its question,
        a worker cost's in the reader's words as "Cost no. 2, currency: why"."""
        worded = {
            f"{path}: {problem.text}": cost_problem_text(problem)
            for path, problem in getattr(error, "cost_problems", ())
        }
        for message in getattr(error, "messages", [str(error)]):
            match = re.match(r"answers\.([^\[:]+)(?:\[(\d+)\](?:\.(\w+))?)?: (.*)", message)
            code = match.group(1) if match else None
            if match and match.group(2) is not None:
                words = {
                    "number": int(match.group(2)) + 1,
                    "problem": worded.get(message, match.group(4)),
                }
                if match.group(3):
                    words["field"] = str(COST_FIELD_WORDS.get(match.group(3), match.group(3)))
                    message = gettext("Cost no. %(number)s, %(field)s: %(problem)s") % words
                else:
                    message = gettext("Cost no. %(number)s: %(problem)s") % words
            self.add_error(code if code in self.fields else None, message)

    def read_only(self) -> None:
        """Shown, not answered: to a reviewer or an auditor, or once submitted."""
        for field in self.fields.values():
            field.disabled = True
        for cost_set in self.cost_sets.values():
            for form in cost_set:
                for field in form.fields.values():
                    field.disabled = True

    def rows(self):
        return [
            {
                "question": q,
                "field": self[q.code],
                "costs": self.cost_sets.get(q.code),
            }
            for q in self.questions
        ]


class EvidenceForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file (PDF, image, office document)"))


class WorkbookForm(forms.Form):
    file = forms.FileField(label=_("Filled workbook (.xlsx)"))
