"""The whole record of a case, as the reviewer decides on it (issue 13): the agency's
answers with their status, reasons and evidence, the worker costs, every audit's findings
with their criterion's text, grades, indicators, notes and evidence, the corrective actions
with their answers, notes, dates and evidence, and the discrepancies. The case page and
`GET /api/v1/cases/{id}/record/` read this one selector; its queries do not grow with the
number of answers, findings or files.

It also lists what the reviewer must confirm as remediated before certifying
(`CaseRecord.to_confirm`): every non-conformity of a zero-tolerance criterion, every finding
tagged with a forced-labour indicator, and the recruitment costs declared (whoever bore
them: a worker must have borne none, or been refunded)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext

from audits.models import Answer, AuditState, CorrectiveAction, Evidence, Finding
from certification import labels, transitions
from certification.models import CertificationCase
from certification.selectors import self_assessment_result
from certification.selectors.surveys import (
    AggregateInWords,
    CriterionSignalLines,
    agency_survey_aggregate,
    signals_in_words,
)
from monitoring.survey_selectors import survey_counts, survey_signals

NON_CONFORMITIES = frozenset({"minor", "major"})


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class AnswerItem:
    question: str
    criterion: str
    text: str  # the question, in the reader's language
    value: object
    shown: str  # the value in words
    status: str | None
    reasons: tuple[dict, ...]
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class WorkerCostItem:
    category: str
    amount: str
    currency: str
    borne_by: str
    route: str


@dataclass(frozen=True)
class CorrectiveActionItem:
    id: int
    state: str
    severity: str
    root_cause: str
    action: str
    plan_due: date
    closure_due: date | None
    rejection_reason: str
    acceptance_note: str
    verification_note: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    verified_at: datetime | None
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class FindingItem:
    id: int
    criterion: str
    criterion_text: str
    zero_tolerance: bool
    grade: str
    effective_grade: str
    grade_in_words: str
    indicators: tuple[str, ...]
    text: str
    recorded_by: str
    evidence: tuple[EvidenceItem, ...]
    corrective_action: CorrectiveActionItem | None


@dataclass(frozen=True)
class AuditItem:
    id: int
    kind: str
    state: str
    lead_auditor: str
    stage1_date: date | None
    stage2_date: date | None
    completed_at: datetime | None
    overall_conformity: object
    discrepancies: tuple[dict, ...] | None  # None: not completed, or nothing to compare
    findings: tuple[FindingItem, ...]


@dataclass(frozen=True)
class ToConfirm:
    """Something the reviewer confirms as remediated before certifying."""

    key: str  # "finding-<id>" or "worker-costs": what the API's `confirmations` lists
    kind: str  # "zero_tolerance", "forced_labour" or "worker_costs"
    what: str  # in words, for the page and the event


@dataclass(frozen=True)
class SurveySection:
    """What the agency's placed workers answered (issue 15), for the reviewer: the aggregate
    (nothing but a count below k) and every signal raised, in words."""

    issued: int
    answered: int
    aggregate: AggregateInWords
    signals: tuple[CriterionSignalLines, ...]


@dataclass(frozen=True)
class CaseRecord:
    case_id: int
    submitted_at: datetime | None
    result: dict
    answers: tuple[AnswerItem, ...]
    worker_costs: tuple[WorkerCostItem, ...]
    worker_costs_borne: tuple[int, ...]  # positions of the costs a worker bore
    audits: tuple[AuditItem, ...]
    to_confirm: tuple[ToConfirm, ...]
    survey: SurveySection | None = None  # asked for by the reviewer's page only


def _evidence(item: Evidence) -> EvidenceItem:
    return EvidenceItem(
        id=item.pk,
        name=item.original_name,
        content_type=item.content_type,
        size=item.size,
        sha256=item.sha256,
        uploaded_by=item.uploaded_by.username,
        uploaded_at=item.uploaded_at,
    )


def _files(queryset, key: str) -> dict[int, list[EvidenceItem]]:
    found: dict[int, list[EvidenceItem]] = {}
    for item in queryset.select_related("uploaded_by").order_by("uploaded_at", "pk"):
        found.setdefault(getattr(item, key), []).append(_evidence(item))
    return found


def _action(action: CorrectiveAction, files) -> CorrectiveActionItem:
    return CorrectiveActionItem(
        id=action.pk,
        state=action.state,
        severity=action.severity,
        root_cause=action.root_cause,
        action=action.action,
        plan_due=action.plan_due,
        closure_due=action.closure_due,
        rejection_reason=action.rejection_reason,
        acceptance_note=action.acceptance_note,
        verification_note=action.verification_note,
        submitted_at=action.submitted_at,
        accepted_at=action.accepted_at,
        verified_at=action.verified_at,
        evidence=tuple(files.get(action.pk, ())),
    )


def _finding(finding: Finding, finding_files, action_files) -> FindingItem:
    action = getattr(finding, "corrective_action", None)
    return FindingItem(
        id=finding.pk,
        criterion=finding.criterion.code,
        criterion_text=labels.localized(finding.criterion, "text"),
        zero_tolerance=finding.criterion.zero_tolerance,
        grade=finding.grade,
        effective_grade=finding.effective_grade or finding.grade,
        grade_in_words=labels.grade_in_words(finding),
        indicators=tuple(finding.indicators),
        text=finding.text,
        recorded_by=finding.recorded_by.username,
        evidence=tuple(finding_files.get(finding.pk, ())),
        corrective_action=_action(action, action_files) if action else None,
    )


def _to_confirm(audits, worker_costs, borne) -> list[ToConfirm]:
    items = []
    for audit in audits:
        if audit.state != AuditState.COMPLETED:
            continue  # what an audit under way records is not yet its finding
        for finding in audit.findings:
            if finding.indicators:
                items.append(
                    ToConfirm(
                        f"finding-{finding.id}",
                        "forced_labour",
                        gettext("%(criterion)s: forced-labour indicators (%(indicators)s)")
                        % {
                            "criterion": finding.criterion,
                            "indicators": ", ".join(
                                labels.label("indicator", i).lower() for i in finding.indicators
                            ),
                        },
                    )
                )
            elif finding.zero_tolerance and finding.grade in NON_CONFORMITIES:
                items.append(
                    ToConfirm(
                        f"finding-{finding.id}",
                        "zero_tolerance",
                        gettext("%(criterion)s, a zero-tolerance criterion: %(grade)s")
                        % {
                            "criterion": finding.criterion,
                            "grade": labels.label("grade", finding.grade).lower(),
                        },
                    )
                )
    if worker_costs:
        # Declared costs are confirmed whoever bore them: the reviewer checks that no worker
        # bore any, or that what a worker paid was refunded (DOMAIN.md §3).
        items.append(
            ToConfirm(
                "worker-costs",
                "worker_costs",
                gettext("Recruitment costs declared: %(costs)s")
                % {
                    "costs": "; ".join(
                        gettext("%(amount)s %(currency)s (%(category)s), borne by %(bearer)s")
                        % {
                            "amount": cost.amount,
                            "currency": cost.currency,
                            "category": labels.label("cost", cost.category).lower(),
                            "bearer": labels.label("bearer", cost.borne_by).lower(),
                        }
                        + (gettext(": a worker paid") if i in borne else "")
                        for i, cost in enumerate(worker_costs)
                    )
                },
            )
        )
    return items


def audits_under_way(roles) -> bool:
    """Whether a person with these roles on the case (CaseAccess.roles) reads the audits
    still under way: their auditor and reviewers do, the agency does not."""
    return bool(roles & {transitions.ASSIGNED_AUDITOR, transitions.REVIEWER})


def survey_section(case: CertificationCase) -> SurveySection:
    """The agency's survey as the reviewer reads it with the record: every signal, not only
    those since the last audit (the reviewer decides on the whole history). A constant
    number of queries."""
    agency = case.agency
    counts = survey_counts(agency)
    return SurveySection(
        issued=counts.issued,
        answered=counts.answered,
        aggregate=agency_survey_aggregate(agency),
        signals=tuple(signals_in_words(survey_signals(agency), standard=case.standard)),
    )


def case_record(
    case: CertificationCase,
    *,
    result: dict | None = None,
    audits_under_way: bool = True,
    survey: bool = False,
) -> CaseRecord:
    """The whole record of the case; `result` is the self-assessment's, when the caller
    has already read it (self_assessment_result). Without `audits_under_way` (for the
    agency: what an auditor is still recording is not yet a finding), audits planned or in
    progress are left out. With `survey` (for reviewers only: the signals are not subject
    to k), the agency's worker survey too."""
    self_assessment = case.self_assessment
    result = result if result is not None else self_assessment_result(case)
    statuses = {q["code"]: q["status"] for q in result.get("questions", [])}
    reasons: dict[str, list[dict]] = {}
    for reason in result.get("reasons", []):
        reasons.setdefault(reason["question"], []).append(reason)

    rows = list(
        Answer.objects.filter(self_assessment=self_assessment)
        .select_related("question__criterion")
        .prefetch_related("worker_costs")
        .order_by("question__position", "pk")
    )
    answer_files = _files(Evidence.objects.filter(answer__in=rows), "answer_id")
    answers, costs = [], []
    for answer in rows:
        question = answer.question
        if question.answer_type == "worker_costs":
            costs += [
                WorkerCostItem(
                    c.category, format(c.amount.normalize(), "f"), c.currency, c.borne_by, c.route
                )
                for c in answer.worker_costs.all()
            ]
        answers.append(
            AnswerItem(
                question=question.code,
                criterion=question.criterion.code,
                text=labels.localized(question, "text"),
                value=answer.value,
                shown=labels.answer_text(question, answer.value),
                status=statuses.get(question.code),
                reasons=tuple(reasons.get(question.code, ())),
                evidence=tuple(answer_files.get(answer.pk, ())),
            )
        )
    borne = tuple(i for i, c in enumerate(costs) if c.borne_by == "worker" and float(c.amount) > 0)

    audits = case.audits.select_related("lead_auditor__user").order_by("-created_at", "-pk")
    if not audits_under_way:
        audits = audits.exclude(state__in=[AuditState.PLANNED, AuditState.IN_PROGRESS])
    audits = list(audits)
    findings = list(
        Finding.objects.filter(audit__in=audits)
        .select_related("criterion__principle", "corrective_action", "recorded_by")
        .order_by("criterion__principle__position", "criterion__position")
    )
    finding_files = _files(Evidence.objects.filter(finding__audit__in=audits), "finding_id")
    action_files = _files(
        Evidence.objects.filter(corrective_action__finding__audit__in=audits),
        "corrective_action_id",
    )
    by_audit: dict[int, list[FindingItem]] = {}
    for finding in findings:
        by_audit.setdefault(finding.audit_id, []).append(
            _finding(finding, finding_files, action_files)
        )
    audit_items = tuple(
        AuditItem(
            id=audit.pk,
            kind=audit.kind,
            state=audit.state,
            lead_auditor=audit.lead_auditor.user.username,
            stage1_date=audit.stage1_date,
            stage2_date=audit.stage2_date,
            completed_at=audit.completed_at,
            overall_conformity=(audit.result or {}).get("overall_conformity"),
            discrepancies=(
                tuple((audit.result or {}).get("discrepancies") or ())
                if audit.result and audit.result.get("discrepancies") is not None
                else None
            ),
            findings=tuple(by_audit.get(audit.pk, ())),
        )
        for audit in audits
    )
    return CaseRecord(
        case_id=case.pk,
        submitted_at=self_assessment.submitted_at,
        result=result,
        answers=tuple(answers),
        worker_costs=tuple(costs),
        worker_costs_borne=borne,
        audits=audit_items,
        to_confirm=tuple(_to_confirm(audit_items, costs, borne)),
        survey=survey_section(case) if survey else None,
    )
