"""The agency's self-assessment on the web: by principle, with progress, drafts saved at any
time, evidence per question, the worker-costs table, a preview of the score and the gaps
before submitting, and the offline workbook."""

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits import services as audit_records
from audits.models import Answer, Bearer, Evidence, Route
from certification import exports, services
from certification.models import CaseState
from certification.selectors import self_assessment_result
from certification.services.assessment import score_case_self_assessment
from certification.views import labels
from certification.views.common import (
    SERVICE_ERRORS,
    access_of,
    apply_service_errors,
    case_or_404,
    field_slug,
)
from scoring.models import Principle, Question
from scoring.vocabulary import WORKER_COST_CATEGORIES

NOT_APPLICABLE = "not_applicable"
COST_ROWS_EXTRA = 2


def answer_text(question, value) -> str:
    """An answer as the reader sees it: the label of a choice, yes or no in their language,
    a number without trailing zeros; worker costs are shown as a table elsewhere."""
    if value is None:
        return ""
    if value == NOT_APPLICABLE:
        return str(_("Not applicable"))
    if question.answer_type == "yes_no":
        return labels.label("yes_no", value)
    if question.answer_type == "choice":
        for choice in question.choices:
            if choice["code"] == value:
                return labels.choice_label(choice)
    if question.answer_type == "number":
        number = Decimal(str(value))
        return format(number.normalize() if number == number.to_integral() else number, "f")
    return str(value)


def _agency_case(request, pk: int):
    """The case, for a member of its agency; 404 for anyone else."""
    case = case_or_404(request, pk)
    if "agency_member" not in access_of(request).roles(case):
        raise Http404
    return case


def _questions(case, principle=None):
    questions = Question.objects.filter(standard=case.standard).select_related(
        "criterion__principle"
    )
    if principle is not None:
        questions = questions.filter(criterion__principle=principle)
    return list(
        questions.order_by("criterion__principle__position", "criterion__position", "position")
    )


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
        """The engine names each problem 'answers.<code>...: why'; put it by its question."""
        for message in getattr(error, "messages", [str(error)]):
            match = re.match(r"answers\.([^\[:]+)", message)
            code = match.group(1) if match else None
            self.add_error(code if code in self.fields else None, message)

    def rows(self):
        return [
            {
                "question": q,
                "field": self[q.code],
                "costs": self.cost_sets.get(q.code),
            }
            for q in self.questions
        ]


def _progress(case):
    """Answered / total per principle, from the engine's live result."""
    result = score_case_self_assessment(case)
    principles = list(Principle.objects.filter(standard=case.standard).order_by("position"))
    questions = _questions(case)
    rows = []
    for principle in principles:
        own = [q for q in questions if q.criterion.principle_id == principle.pk]
        answered = sum(
            1 for q in own if result.question_statuses.get(q.code, "unanswered") != "unanswered"
        )
        rows.append({"principle": principle, "answered": answered, "total": len(own)})
    return result, rows


@login_required
@require_GET
def self_assessment(request, pk: int):
    case = _agency_case(request, pk)
    _result, rows = _progress(case)
    return render(
        request,
        "certification/self_assessment.html",
        {
            "case": case,
            "rows": rows,
            "answered": sum(r["answered"] for r in rows),
            "total": sum(r["total"] for r in rows),
            "editable": case.state == CaseState.DRAFT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_principle(request, pk: int, principle: str):
    case = _agency_case(request, pk)
    principles = list(Principle.objects.filter(standard=case.standard).order_by("position"))
    principle_obj = next((p for p in principles if p.code == principle), None)
    if principle_obj is None:
        raise Http404
    questions = _questions(case, principle_obj)
    stored = audit_records.engine_answers(case.self_assessment)
    editable = case.state == CaseState.DRAFT
    status = 200
    if request.method == "POST" and not editable:
        messages.error(
            request, gettext("The self-assessment is submitted: it can no longer change.")
        )
        return redirect("web:self-assessment-principle", pk=case.pk, principle=principle)
    if request.method == "POST":
        form = PrincipleForm(request.POST, questions=questions, stored=stored)
        if form.is_valid():
            try:
                services.self_assessment_save_answers(
                    actor=request.user, case=case, answers=form.answers()
                )
            except SERVICE_ERRORS as error:
                if hasattr(error, "error_dict") or not hasattr(error, "messages"):
                    status = apply_service_errors(form, error)
                else:
                    form.add_engine_errors(error)
                    status = 400
            else:
                messages.success(request, gettext("Your answers are saved as a draft."))
                following = request.POST.get("next_principle", "")
                if following in {p.code for p in principles}:
                    return redirect(
                        "web:self-assessment-principle", pk=case.pk, principle=following
                    )
                return redirect("web:self-assessment-principle", pk=case.pk, principle=principle)
        else:
            status = 400
    else:
        form = PrincipleForm(questions=questions, stored=stored)
    index = principles.index(principle_obj)
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(self_assessment=case.self_assessment, question__in=questions)
    }
    evidence: dict[int, list] = {}
    for item in Evidence.objects.filter(answer__in=answers.values()).order_by("uploaded_at"):
        evidence.setdefault(item.answer_id, []).append(item)
    rows = form.rows()
    for row in rows:
        answer = answers.get(row["question"].pk)
        row["evidence"] = evidence.get(answer.pk, []) if answer else []
        row["answered"] = answer is not None
    return render(
        request,
        "certification/self_assessment_principle.html",
        {
            "case": case,
            "principle": principle_obj,
            "form": form,
            "rows": rows,
            "editable": editable,
            "previous": principles[index - 1] if index > 0 else None,
            "next": principles[index + 1] if index + 1 < len(principles) else None,
        },
        status=status,
    )


class EvidenceForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file (PDF, image, office document)"))


@login_required
@require_POST
def self_assessment_evidence(request, pk: int):
    case = _agency_case(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    code = request.POST.get("question", "")
    answer = (
        Answer.objects.filter(self_assessment=case.self_assessment, question__code=code)
        .select_related("question__criterion__principle")
        .first()
    )
    question = (
        Question.objects.filter(standard=case.standard, code=code)
        .select_related("criterion__principle")
        .first()
    )
    if question is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, gettext("Choose a file to upload."))
    elif answer is None:
        messages.error(
            request,
            gettext("Answer question %(code)s and save it before adding evidence.")
            % {"code": code},
        )
    else:
        try:
            services.evidence_upload(
                actor=request.user, upload=form.cleaned_data["file"], answer=answer
            )
        except SERVICE_ERRORS as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, gettext("Evidence added to %(code)s.") % {"code": code})
    url = redirect(
        "web:self-assessment-principle", pk=case.pk, principle=question.criterion.principle.code
    )
    url["Location"] += f"#q-{field_slug(code)}"
    return url


@login_required
@require_GET
def self_assessment_preview(request, pk: int):
    """Score, readiness and the gap list with its reasons, live for a draft."""
    case = case_or_404(request, pk)
    roles = access_of(request).roles(case)
    if not roles & {"agency_member", "reviewer"}:
        raise Http404
    result = self_assessment_result(case)
    criteria = {
        c.code: c for c in case.standard.criteria.select_related("principle").order_by("position")
    }
    questions = {q.code: q for q in Question.objects.filter(standard=case.standard)}
    reasons: dict[str, list] = {}
    for reason in result["reasons"]:
        reasons.setdefault(reason["criterion"], []).append(
            {**reason, "question_text": labels.localized(questions[reason["question"]], "text")}
            if reason["question"] in questions
            else reason
        )
    gaps = [
        {
            **gap,
            "text": labels.localized(criteria[gap["criterion"]], "text")
            if gap["criterion"] in criteria
            else "",
            "reasons": reasons.get(gap["criterion"], []),
        }
        for gap in result["gaps"]
    ]
    unanswered = [
        {
            "code": code,
            "text": labels.localized(questions[code], "text") if code in questions else "",
        }
        for code in result["unanswered_required"]
    ]
    can_submit = "agency_member" in roles and case.state == CaseState.DRAFT
    return render(
        request,
        "certification/self_assessment_preview.html",
        {
            "case": case,
            "result": result,
            "gaps": gaps,
            "unanswered": unanswered,
            "can_submit": can_submit,
            "submitted": case.self_assessment.result is not None,
        },
    )


class WorkbookForm(forms.Form):
    file = forms.FileField(label=_("Filled workbook (.xlsx)"))


@login_required
@require_http_methods(["GET", "POST"])
def workbook(request, pk: int):
    """Download the workbook to fill offline; upload it back, its errors listed by cell."""
    case = _agency_case(request, pk)
    if request.GET.get("download"):
        return exports.self_assessment_workbook_response(
            case, empty=request.GET.get("download") == "empty"
        )
    form = WorkbookForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    status = 200
    problems = []
    if request.method == "POST":
        if case.state != CaseState.DRAFT:
            form.add_error(
                None, gettext("The self-assessment is submitted: it can no longer change.")
            )
            status = 409
        elif form.is_valid():
            try:
                services.self_assessment_import_workbook(
                    actor=request.user, case=case, data=form.cleaned_data["file"].read()
                )
            except SERVICE_ERRORS as error:
                status = 400
                problems = [
                    message
                    for messages_ in getattr(error, "message_dict", {"": error.messages}).values()
                    for message in messages_
                ]
                form.add_error("file", gettext("The workbook was not imported: nothing was saved."))
            else:
                messages.success(request, gettext("The workbook's answers are saved."))
                return redirect("web:self-assessment", pk=case.pk)
        else:
            status = 400
    return render(
        request,
        "certification/workbook.html",
        {"case": case, "form": form, "problems": problems},
        status=status,
    )
