"""The numbers each role's dashboard opens with: what waits for them, counted by the
database in a fixed number of queries whatever the number of items (tests/web/
test_dashboards.py checks 1 against 50)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audits.models import Answer, Audit, AuditState, CorrectiveAction, CorrectiveActionState
from certification.models import (
    CaseState,
    Decision,
    StatusEvent,
    TransitionEvent,
    WatchedAgency,
)
from certification.status import PublicStatus, statuses_for
from monitoring.selectors import complaints_overdue_count
from scoring.models import Question

WAITING_FOR_THE_AUDITOR = (CorrectiveActionState.SUBMITTED, CorrectiveActionState.ACCEPTED)
OPEN_FOR_THE_AGENCY = (CorrectiveActionState.OPEN, CorrectiveActionState.REJECTED)


def _overdue(today: date) -> Q:
    """A corrective action past its due date: its plan (open or sent back), or its
    closure (plan accepted, closure not verified)."""
    return Q(state__in=OPEN_FOR_THE_AGENCY, plan_due__lt=today) | Q(
        state=CorrectiveActionState.ACCEPTED, closure_due__lt=today
    )


@dataclass
class AuditorNumbers:
    audits_by_state: list  # [(state, count)], planned then in progress
    waiting: list  # corrective actions waiting for acceptance or verification
    to_accept: int = 0
    to_verify: int = 0


def auditor_numbers(user) -> AuditorNumbers:
    by_state = dict(
        Audit.objects.filter(
            lead_auditor__user=user, state__in=[AuditState.PLANNED, AuditState.IN_PROGRESS]
        )
        .values_list("state")
        .annotate(count=Count("id"))
        .order_by()
    )
    waiting = list(
        CorrectiveAction.objects.filter(
            finding__audit__lead_auditor__user=user, state__in=WAITING_FOR_THE_AUDITOR
        )
        .select_related("finding__criterion", "finding__audit__case__agency")
        .order_by("submitted_at", "id")
    )
    return AuditorNumbers(
        audits_by_state=[
            (state, by_state.get(state, 0))
            for state in (AuditState.PLANNED, AuditState.IN_PROGRESS)
        ],
        waiting=waiting,
        to_accept=sum(a.state == CorrectiveActionState.SUBMITTED for a in waiting),
        to_verify=sum(a.state == CorrectiveActionState.ACCEPTED for a in waiting),
    )


@dataclass
class ReviewerNumbers:
    queue: list  # [(state, count, oldest waiting since)]
    overdue_corrective_actions: int
    overdue_complaints: int
    decisions_by_month: list = field(default_factory=list)  # [(month, count)], 12 months


def _months_back(today: date, count: int) -> list[date]:
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def reviewer_numbers(cases, today: date | None = None) -> ReviewerNumbers:
    """`cases`: the reviewer's cases (CaseAccess.cases())."""
    today = today or timezone.localdate()
    # Since when each case is in its state: its last event into that state.
    entered = (
        TransitionEvent.objects.filter(case=OuterRef("pk"), target=OuterRef("state"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = {
        state: (count, oldest)
        for state, count, oldest in cases.filter(
            state__in=[CaseState.SUBMITTED, CaseState.IN_REVIEW]
        )
        .annotate(entered=Subquery(entered))
        .values_list("state")
        .annotate(count=Count("id"), oldest=Min("entered"))
        .order_by()
        .values_list("state", "count", "oldest")
    }
    months = _months_back(today, 12)
    decided = dict(
        Decision.objects.filter(decided_at__date__gte=months[0])
        .annotate(month=TruncMonth("decided_at"))
        .values_list("month")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("month", "count")
    )
    decided = {month.date() if hasattr(month, "date") else month: n for month, n in decided.items()}
    return ReviewerNumbers(
        queue=[
            (state, *waiting.get(state, (0, None)))
            for state in (CaseState.SUBMITTED, CaseState.IN_REVIEW)
        ],
        overdue_corrective_actions=CorrectiveAction.objects.filter(_overdue(today)).count(),
        overdue_complaints=complaints_overdue_count(today),
        decisions_by_month=[(month, decided.get(month, 0)) for month in months],
    )


@dataclass
class EmployerNumbers:
    watched: int
    by_status: list  # [(status, count)] in the registry's order, those with none left out
    last_changes: list  # the newest status events of watched agencies


def employer_numbers(employer, today: date | None = None) -> EmployerNumbers:
    today = today or timezone.localdate()
    agency_ids = list(
        WatchedAgency.objects.filter(employer=employer).values_list("agency_id", flat=True)
    )
    statuses = statuses_for(agency_ids, today)
    counted: dict[str, int] = {}
    for status, _certificate in statuses.values():
        counted[status] = counted.get(status, 0) + 1
    last = list(
        StatusEvent.objects.filter(agency_id__in=agency_ids, is_test=False)
        .select_related("agency")
        .order_by("-occurred_at")[:5]
    )
    return EmployerNumbers(
        watched=len(agency_ids),
        by_status=[(s, counted[s]) for s in PublicStatus.values if counted.get(s)],
        last_changes=last,
    )


@dataclass
class AgencyNumbers:
    questions_left: int | None  # required questions of the drafts without an answer
    actions_due: int  # corrective actions waiting for the agency
    overdue: int
    next_due: date | None


def agency_numbers(rows, today: date | None = None) -> AgencyNumbers:
    """From the dashboard's rows (each case with its open corrective actions, and the
    questions left of a draft)."""
    today = today or timezone.localdate()
    left = [row["questions_left"] for row in rows if row.get("questions_left") is not None]
    actions = [a for row in rows for a in row["actions"] if a.state in OPEN_FOR_THE_AGENCY]
    accepted = [
        a for row in rows for a in row["actions"] if a.state == CorrectiveActionState.ACCEPTED
    ]
    dues = [a.plan_due for a in actions] + [a.closure_due for a in accepted if a.closure_due]
    return AgencyNumbers(
        questions_left=sum(left) if left else None,
        actions_due=len(actions) + len(accepted),
        overdue=sum(a.plan_due < today for a in actions)
        + sum(bool(a.closure_due and a.closure_due < today) for a in accepted),
        next_due=min(dues) if dues else None,
    )


def questions_left(drafts) -> dict[int, int]:
    """Case id -> the required questions of its standard without an answer yet, for draft
    cases: two queries for any number of them."""
    if not drafts:
        return {}
    required = dict(
        Question.objects.filter(standard_id__in={c.standard_id for c in drafts}, required=True)
        .values_list("standard_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    answered = dict(
        # An answer's row exists only once answered (clearing it deletes the row; a
        # worker-costs answer keeps its value in its items).
        Answer.objects.filter(self_assessment__case__in=drafts, question__required=True)
        .values_list("self_assessment__case_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {
        case.pk: max(0, required.get(case.standard_id, 0) - answered.get(case.pk, 0))
        for case in drafts
    }
