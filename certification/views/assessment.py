"""The agency's self-assessment on the web: by principle, with progress, drafts saved at any
time, evidence per question, the worker-costs table, a preview of the score and the gaps
before submitting, and the offline workbook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import Answer, Evidence
from audits.selectors import engine_answers
from certification import exports, labels, services
from certification.forms.assessment import (
    EvidenceForm,
    PrincipleForm,
    WorkbookForm,
)
from certification.forms.cases import TransitionForm
from certification.models import CaseState
from certification.selectors import score_case_self_assessment, self_assessment_result
from certification.selectors.consequences import consequence
from certification.views.common import (
    SERVICE_ERRORS,
    access_of,
    apply_service_errors,
    case_or_404,
)
from scoring.models import Principle, Question


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


def _readable_case(request, pk: int):
    """The case and whether this person answers for its agency: the agency's members
    answer; reviewers and the case's auditors read (DESIGN.md §2: the decision is taken on
    the whole record); anyone else gets 404."""
    case = case_or_404(request, pk)
    return case, "agency_member" in access_of(request).roles(case)


@login_required
@require_GET
def self_assessment(request, pk: int):
    case, answers = _readable_case(request, pk)
    _result, rows = _progress(case)
    return render(
        request,
        "certification/self_assessment.html",
        {
            "case": case,
            "rows": rows,
            "answered": sum(r["answered"] for r in rows),
            "total": sum(r["total"] for r in rows),
            "editable": answers and case.state == CaseState.DRAFT,
            "reading": not answers,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_principle(request, pk: int, principle: str):
    case, answers = _readable_case(request, pk)
    if request.method == "POST" and not answers:
        raise Http404  # only the agency answers
    principles = list(Principle.objects.filter(standard=case.standard).order_by("position"))
    principle_obj = next((p for p in principles if p.code == principle), None)
    if principle_obj is None:
        raise Http404
    questions = _questions(case, principle_obj)
    stored = engine_answers(case.self_assessment)
    editable = answers and case.state == CaseState.DRAFT
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
                return _after_saving(request, case, principle, principles)
        else:
            status = 400
        if status == 400 and request.FILES.get("file"):
            # A browser cannot keep a chosen file across pages: say so, beside the rest.
            messages.error(
                request,
                gettext(
                    "The file was not added: correct the answers marked below, then choose "
                    "it again."
                ),
            )
    else:
        form = PrincipleForm(questions=questions, stored=stored)
    if not editable:
        form.read_only()
    index = principles.index(principle_obj)
    kept = {
        a.question_id: a
        for a in Answer.objects.filter(self_assessment=case.self_assessment, question__in=questions)
    }
    evidence: dict[int, list] = {}
    for item in Evidence.objects.filter(answer__in=kept.values()).order_by("uploaded_at"):
        evidence.setdefault(item.answer_id, []).append(item)
    rows = form.rows()
    for row in rows:
        answer = kept.get(row["question"].pk)
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
            "reading": not answers,
            "previous": principles[index - 1] if index > 0 else None,
            "next": principles[index + 1] if index + 1 < len(principles) else None,
        },
        status=status,
    )


def _after_saving(request, case, principle: str, principles):
    """Where the answers' form goes once saved: the evidence chosen with it added (the
    answers saved first, so nothing typed is lost), the preview, the next principle, or
    back to this one (to a question's table for another row)."""
    here = redirect("web:self-assessment-principle", pk=case.pk, principle=principle)
    if request.POST.get("upload"):
        code = request.POST.get("question", "")
        _add_evidence(request, case, code, request.FILES.get("file"))
        here["Location"] += f"#q-{slugify(code)}"
        return here
    if request.POST.get("preview"):
        return redirect("web:self-assessment-preview", pk=case.pk)
    following = request.POST.get("next_principle", "")
    if following in {p.code for p in principles}:
        return redirect("web:self-assessment-principle", pk=case.pk, principle=following)
    more = request.POST.get("more_rows", "")
    if more:
        here["Location"] += f"#q-{slugify(more)}"
    return here


def _add_evidence(request, case, code: str, upload) -> None:
    answer = (
        Answer.objects.filter(self_assessment=case.self_assessment, question__code=code)
        .select_related("question")
        .first()
    )
    if upload is None:
        messages.error(request, gettext("Choose a file to upload."))
    elif answer is None:
        messages.error(
            request,
            gettext("Answer question %(code)s before adding evidence to it.") % {"code": code},
        )
    else:
        try:
            services.evidence_upload(actor=request.user, upload=upload, answer=answer)
        except SERVICE_ERRORS as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, gettext("Evidence added to %(code)s.") % {"code": code})


@login_required
@require_POST
def self_assessment_evidence_take_back(request, pk: int, evidence: int):
    """Remove a file from an answer of the draft, or replace it by the file sent."""
    case = _agency_case(request, pk)
    item = (
        Evidence.objects.filter(pk=evidence, answer__self_assessment__case=case)
        .select_related("answer__question__criterion__principle")
        .first()
    )
    if item is None:
        raise Http404
    code = item.answer.question.code
    replacement = request.FILES.get("file") if request.POST.get("replace") else None
    if request.POST.get("replace") and replacement is None:
        messages.error(request, gettext("Choose the file that replaces it."))
    else:
        try:
            services.evidence_take_back(actor=request.user, evidence=item, replacement=replacement)
        except SERVICE_ERRORS as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                (
                    gettext("%(name)s is replaced.")
                    if replacement
                    else gettext("%(name)s is removed.")
                )
                % {"name": item.original_name},
            )
    url = redirect(
        "web:self-assessment-principle",
        pk=case.pk,
        principle=item.answer.question.criterion.principle.code,
    )
    url["Location"] += f"#q-{slugify(code)}"
    return url


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
    url["Location"] += f"#q-{slugify(code)}"
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
            {
                **reason,
                "question_text": labels.localized(questions[reason["question"]], "text"),
                "question_model": questions[reason["question"]],
            }
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
            # the case page's own form: what submitting does, and its box
            "submit_form": TransitionForm(name="submit", consequence=consequence(case, "submit"))
            if can_submit
            else None,
            "submitted": case.self_assessment.result is not None,
        },
    )


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
