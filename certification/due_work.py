"""Scheduled work (`manage.py run_due_work`): expiry, overdue corrective actions and
surveillance audits, long suspensions, renewal reminders. Each item is handled in its own
transaction with its case row locked, skipping rows another copy holds, and its condition
checked again under the lock: running twice, or two copies at once, does each item once."""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audits.models import AuditKind, AuditState, CorrectiveActionState
from certification.complaint_notices import OVERDUE, REMINDER
from certification.labels import system_reason
from certification.models import CaseKind, CaseState, CertificationCase, RenewalReminder
from certification.services import case_expire, case_refuse, case_suspend, case_withdraw
from certification.services._base import SYSTEM
from certification.services.appeals import appeals_due
from certification.tasks import send_complaint_notice, send_notice
from monitoring.models import ComplaintReminder, Deadline
from monitoring.services import complaint_deadlines

logger = logging.getLogger(__name__)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _each_locked(
    case_ids: Iterable[int], handle: Callable[[CertificationCase], str | None]
) -> list[str]:
    done = []
    for case_id in sorted(set(case_ids)):  # each once, in a stable order
        try:
            # Durable: each item commits on its own, so that one failure keeps the others.
            with transaction.atomic(durable=True):
                case = (
                    CertificationCase.objects.select_for_update(skip_locked=True)
                    .filter(pk=case_id)
                    .first()
                )
                if case is None:  # another copy is on it
                    continue
                line = handle(case)
        except Exception as error:
            # One item that cannot be done must not stop the others: it is rolled back,
            # reported, and tried again by the next run.
            logger.exception("due work on case %s failed", case_id)
            line = f"failed: case {case_id}: {error}"
        if line:
            done.append(line)
    return done


def _expire(today: date, now: datetime) -> list[str]:
    candidates = CertificationCase.objects.filter(
        state__in=[CaseState.CERTIFIED, CaseState.SUSPENDED], certificate__valid_until__lt=today
    ).values_list("pk", flat=True)

    def handle(case):
        if (
            case.state not in (CaseState.CERTIFIED, CaseState.SUSPENDED)
            or case.certificate.valid_until >= today
        ):
            return None
        case_expire(actor=SYSTEM, case=case, now=now)
        return f"expired: case {case.pk} of {case.agency.name}, certificate {case.certificate.number} valid until {case.certificate.valid_until}"

    return _each_locked(candidates, handle)


def _overdue_majors(case: CertificationCase, today: date) -> list[str]:
    return list(
        case.audits.filter(
            findings__corrective_action__severity="major",
            findings__corrective_action__closure_due__lt=today,
        )
        .exclude(findings__corrective_action__state=CorrectiveActionState.VERIFIED)
        .values_list("findings__criterion__code", flat=True)
        .order_by("findings__criterion__code")
        .distinct()
    )


def _refuse_overdue(today: date, now: datetime) -> list[str]:
    candidates = (
        CertificationCase.objects.filter(
            state=CaseState.CORRECTIVE_ACTION,
            audits__findings__corrective_action__severity="major",
            audits__findings__corrective_action__closure_due__lt=today,
        )
        .exclude(audits__findings__corrective_action__state=CorrectiveActionState.VERIFIED)
        .values_list("pk", flat=True)
        .distinct()
    )

    def handle(case):
        if case.state != CaseState.CORRECTIVE_ACTION:
            return None
        overdue = _overdue_majors(case, today)
        if not overdue:
            return None
        case_refuse(
            actor=SYSTEM,
            case=case,
            rationale=f"major non-conformities not closed by their deadline: {', '.join(overdue)}",
            now=now,
        )
        return f"refused: case {case.pk} of {case.agency.name}, majors not closed in time: {', '.join(overdue)}"

    return _each_locked(candidates, handle)


def surveillance_overdue(case: CertificationCase, today: date) -> date | None:
    """The due date of a surveillance audit missed past its grace period, if any."""
    certificate = case.certificate
    done = case.audits.filter(
        kind=AuditKind.SURVEILLANCE,
        state=AuditState.COMPLETED,
        completed_at__date__gte=certificate.valid_from,
    ).count()
    number = 1
    while True:
        due = add_months(certificate.valid_from, settings.SURVEILLANCE_INTERVAL_MONTHS * number)
        if due >= certificate.valid_until or today <= due + timedelta(
            days=settings.SURVEILLANCE_GRACE_DAYS
        ):
            return None
        if done < number:
            return due
        number += 1


def _suspend_overdue_surveillance(today: date, now: datetime) -> list[str]:
    candidates = CertificationCase.objects.filter(
        state=CaseState.CERTIFIED, certificate__valid_from__lte=today
    ).values_list("pk", flat=True)

    def handle(case):
        if case.state != CaseState.CERTIFIED:
            return None
        due = surveillance_overdue(case, today)
        if due is None:
            return None
        case_suspend(
            actor=SYSTEM,
            case=case,
            reason=system_reason(
                case,
                gettext_noop("surveillance audit due on %(day)s not done within %(days)s days"),
                day=due,
                days=settings.SURVEILLANCE_GRACE_DAYS,
            ),
            now=now,
        )
        return f"suspended: case {case.pk} of {case.agency.name}, surveillance audit due {due.isoformat()} overdue"

    return _each_locked(candidates, handle)


def _withdraw_long_suspensions(now: datetime) -> list[str]:
    limit = now - timedelta(days=settings.SUSPENSION_LIMIT_DAYS)
    candidates = CertificationCase.objects.filter(
        state=CaseState.SUSPENDED, suspended_at__lt=limit
    ).values_list("pk", flat=True)

    def handle(case):
        if case.state != CaseState.SUSPENDED or case.suspended_at >= limit:
            return None
        case_withdraw(
            actor=SYSTEM,
            case=case,
            reason=system_reason(
                case,
                gettext_noop("suspension not lifted within %(days)s days"),
                days=settings.SUSPENSION_LIMIT_DAYS,
            ),
        )
        return f"withdrawn: case {case.pk} of {case.agency.name}, suspended since {case.suspended_at:%Y-%m-%d}"

    return _each_locked(candidates, handle)


def _renewal_reminders(today: date) -> list[str]:
    thresholds = sorted(settings.RENEWAL_REMINDER_DAYS, reverse=True)
    if not thresholds:
        return []
    candidates = CertificationCase.objects.filter(
        state=CaseState.CERTIFIED,
        certificate__valid_until__gte=today,
        certificate__valid_until__lte=today + timedelta(days=thresholds[0]),
    ).values_list("pk", flat=True)

    def handle(case):
        if case.state != CaseState.CERTIFIED:
            return None
        renewal_open = case.renewals.filter(kind=CaseKind.RENEWAL).exclude(
            state__in=[CaseState.CANCELLED, CaseState.REFUSED]
        )
        if renewal_open.exists():
            return None
        days_left = (case.certificate.valid_until - today).days
        reached = [days for days in thresholds if days_left <= days]
        sent = set(case.renewal_reminders.values_list("days_before", flat=True))
        due = [days for days in reached if days not in sent]
        if not due:
            return None
        RenewalReminder.objects.bulk_create(
            RenewalReminder(case=case, days_before=days) for days in due
        )
        transaction.on_commit(
            partial(
                send_notice,
                case.pk,
                "renewal_reminder",
                case.state,
                f"the certificate ends in {days_left} days",
            )
        )
        return (
            f"reminded: case {case.pk} of {case.agency.name}, certificate ends in {days_left} days"
        )

    return _each_locked(candidates, handle)


def _complaint_deadlines(today: date, now: datetime) -> list[str]:
    """Complaints' deadlines (settings COMPLAINT_*_DAYS): the reviewers are reminded once
    before each and told once when one passes; what is overdue is listed on every run."""

    def notify(notice) -> None:
        # Queued in the transaction that records the reminder: both or neither.
        overdue = notice.kind == ComplaintReminder.Kind.OVERDUE
        send_complaint_notice(
            notice.complaint.pk, OVERDUE if overdue else REMINDER, notice.deadline
        )

    lines = []
    for notice in complaint_deadlines(today, now, notify=notify):
        what = f"{Deadline(notice.deadline).label.lower()} by {notice.due.isoformat()}"
        overdue = notice.kind == ComplaintReminder.Kind.OVERDUE
        if overdue:
            late = (today - notice.due).days
            lines.append(f"overdue: complaint {notice.complaint.number}, {what} ({late} days late)")
        elif notice.first:
            lines.append(f"reminded: complaint {notice.complaint.number}, {what}")
    return lines


def run_due_work(*, now: datetime | None = None) -> list[str]:
    """Do what is due at `now`; return one line per item done."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic(durable=True):  # refused inside a transaction: items commit alone
        pass
    return [
        *_expire(today, now),
        *_refuse_overdue(today, now),
        *_suspend_overdue_surveillance(today, now),
        *_withdraw_long_suspensions(now),
        *_renewal_reminders(today),
        *_complaint_deadlines(today, now),
        *appeals_due(today, now),
    ]
