"""Reads of the audit records, in the shapes their readers take (DESIGN.md §1)."""

from decimal import Decimal

from audits.models import Audit, CorrectiveActionState, Finding, SelfAssessment
from scoring import engine


def engine_answers(self_assessment: SelfAssessment) -> dict:
    """The stored answers as the engine takes them: question code -> value."""
    answers = {}
    rows = self_assessment.answers.select_related("question").prefetch_related("worker_costs")
    for answer in rows:
        if answer.question.answer_type == "worker_costs" and answer.value is None:
            answers[answer.question.code] = [cost.as_item() for cost in answer.worker_costs.all()]
        else:
            value = answer.value
            if answer.question.answer_type == "number" and isinstance(value, str):
                value = Decimal(value)
            answers[answer.question.code] = value
    return answers


def engine_findings(audit: Audit) -> list[engine.Finding]:
    """The audit's findings as the engine takes them; `closed` when verified."""
    rows = audit.findings.select_related("criterion", "corrective_action")
    return [
        engine.Finding(
            f.criterion.code,
            f.grade,
            tuple(f.indicators),
            f.text,
            closed=_is_verified(f),
        )
        for f in rows
    ]


def _is_verified(finding: Finding) -> bool:
    action = getattr(finding, "corrective_action", None)
    return action is not None and action.state == CorrectiveActionState.VERIFIED
