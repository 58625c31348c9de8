"""Changes to the audit records. These functions know nothing of a case's state: the
use cases in `certification.services` check roles, lock rows, fire transitions and call
them (DESIGN.md §1)."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from audits.evidence import (
    ALLOWED_TYPES,
    EXTENSIONS,
    declared_disagrees,
    name_disagrees,
    sniff_content_type,
)
from audits.models import (
    Answer,
    Audit,
    CorrectiveAction,
    Evidence,
    Finding,
    Grade,
    SelfAssessment,
    WorkerCost,
)
from audits.selectors import engine_answers
from scoring import engine
from scoring.engine.vocabulary import WORKER_COST_FIELDS
from scoring.models import Criterion, Question

# A text answer explains; it is not a document (evidence files are for those). Checked on
# what is saved now, so that answers kept before the limit still score.
MAX_TEXT_ANSWER = 20_000


def _stored_value(value):
    # Numbers are kept as exact text in JSON; JSON floats would round.
    if isinstance(value, Decimal | float) or (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return str(value)
    return value


def self_assessment_save_answers(
    *, self_assessment: SelfAssessment, catalogue: engine.Catalogue, answers: dict, actor
) -> dict:
    """Save some answers (None removes one). Every value is checked by the engine first;
    nothing is saved unless all are valid. Returns all the answers as stored."""
    merged = {**engine_answers(self_assessment), **answers}
    merged = {code: value for code, value in merged.items() if value is not None}
    try:
        engine.score_self_assessment(catalogue, merged)
    except engine.InvalidInput as invalid:
        refused = ValidationError(list(invalid.errors))  # the engine's words: the API's
        refused.cost_problems = invalid.problems  # for a page to word in the reader's language
        raise refused from None
    questions = {
        q.code: q
        for q in Question.objects.filter(
            standard_id=self_assessment.case.standard_id, code__in=list(answers)
        )
    }
    problems = [f"answers.{code}: unknown question" for code in answers if code not in questions]
    problems += [
        f"answers.{code}: at most {MAX_TEXT_ANSWER:,} characters"
        for code, value in answers.items()
        if isinstance(value, str) and len(value) > MAX_TEXT_ANSWER
    ]
    if problems:
        raise ValidationError(problems)
    for code, value in answers.items():
        question = questions[code]
        if value is None:
            Answer.objects.filter(self_assessment=self_assessment, question=question).delete()
            continue
        is_costs = question.answer_type == "worker_costs" and isinstance(value, list)
        answer, _created = Answer.objects.update_or_create(
            self_assessment=self_assessment,
            question=question,
            defaults={"value": None if is_costs else _stored_value(value), "answered_by": actor},
        )
        if question.answer_type == "worker_costs":
            answer.worker_costs.all().delete()
            if is_costs:
                WorkerCost.objects.bulk_create(
                    WorkerCost(answer=answer, position=position, **_cost_fields(item))
                    for position, item in enumerate(value)
                )
    return engine_answers(self_assessment)


def _cost_fields(item) -> dict:
    item = item if isinstance(item, dict) else {f: getattr(item, f) for f in WORKER_COST_FIELDS}
    return {
        **{k: item[k] for k in ("category", "currency", "borne_by", "route")},
        "amount": Decimal(str(item["amount"])),
    }


def audit_create(*, case, kind: str, lead_auditor, stage1_date: date, stage2_date: date) -> Audit:
    if stage2_date < stage1_date:
        raise ValidationError({"stage2_date": "Stage 2 cannot come before stage 1."})
    return Audit.objects.create(
        case=case,
        kind=kind,
        lead_auditor=lead_auditor,
        stage1_date=stage1_date,
        stage2_date=stage2_date,
    )


def finding_upsert(
    *, audit: Audit, criterion_code: str, grade: str, text: str, indicators: list, actor
) -> Finding:
    try:
        criterion = Criterion.objects.get(standard_id=audit.case.standard_id, code=criterion_code)
    except Criterion.DoesNotExist:
        raise ValidationError({"criterion": f"unknown criterion {criterion_code!r}"}) from None
    # The engine's rule, in the record's words: the engine calls the finding's text its note.
    problems = [
        f"{'text' if field == 'note' else field}: {problem}"
        for field, problem in engine.finding_problems(grade, indicators, text)
    ]
    if problems:
        raise ValidationError(problems)
    finding, _created = Finding.objects.update_or_create(
        audit=audit,
        criterion=criterion,
        defaults={
            "grade": grade,
            "text": text.strip(),
            "indicators": list(indicators),
            "recorded_by": actor,
        },
    )
    return finding


def audit_record_result(
    *, audit: Audit, result: engine.AuditResult, today: date
) -> list[CorrectiveAction]:
    """Store the engine's result and the effective grades, and open a corrective action for
    every non-conformity with its deadlines (DOMAIN.md §5). Returns the actions opened."""
    audit.result = result.to_dict()
    audit.completed_at = timezone.now()
    effective = {f.criterion: f.effective_grade for f in result.findings}
    opened = []
    for finding in audit.findings.select_related("criterion"):
        finding.effective_grade = effective[finding.criterion.code]
        finding.save(update_fields=["effective_grade"])
        if finding.effective_grade == Grade.MAJOR:
            opened.append(
                CorrectiveAction(
                    finding=finding,
                    severity="major",
                    plan_due=today + timedelta(days=settings.CORRECTIVE_ACTION_MAJOR_PLAN_DAYS),
                    closure_due=today
                    + timedelta(days=settings.CORRECTIVE_ACTION_MAJOR_CLOSURE_DAYS),
                )
            )
        elif finding.effective_grade == Grade.MINOR:
            opened.append(
                CorrectiveAction(
                    finding=finding,
                    severity="minor",
                    plan_due=today + timedelta(days=settings.CORRECTIVE_ACTION_MINOR_PLAN_DAYS),
                )
            )
    return CorrectiveAction.objects.bulk_create(opened)


def evidence_store(*, upload, actor, answer=None, finding=None, corrective_action=None) -> Evidence:
    """Keep an uploaded file in private storage after checking what it is and its size."""
    size = upload.size
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": gettext("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": size, "limit": settings.EVIDENCE_MAX_BYTES}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head, upload)
    if content_type is None:
        raise ValidationError(
            {
                "file": gettext("Only %(types)s files are accepted, judged by their content.")
                % {"types": ", ".join(ALLOWED_TYPES.values())}
            }
        )
    _refuse_contradictions(upload, content_type)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        original_name=(upload.name or "file")[:255],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        answer=answer,
        finding=finding,
        corrective_action=corrective_action,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    evidence.file.save("evidence", upload, save=False)
    evidence.save()
    return evidence


def _refuse_contradictions(upload, content_type: str) -> None:
    """A file is kept only under a name and a type that say what it is: evidence.pdf that is
    a workbook would be served back as a PDF."""
    actual = ALLOWED_TYPES[content_type]
    problems = []
    extension = name_disagrees(upload.name, content_type)
    if extension:
        problems.append(
            gettext(
                "The file is named %(name)s, but its content is %(actual)s: "
                "give it a name ending in %(extensions)s."
            )
            % {
                "name": upload.name,
                "actual": actual,
                "extensions": ", ".join(EXTENSIONS[content_type]),
            }
        )
    declared = declared_disagrees(getattr(upload, "content_type", ""), content_type)
    if declared:
        problems.append(
            gettext("The file was sent as %(declared)s, but its content is %(actual)s.")
            % {"declared": declared, "actual": actual}
        )
    if problems:
        raise ValidationError({"file": problems})
