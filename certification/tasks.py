"""Background tasks (django-tasks, database backend; `manage.py db_worker` runs them).

Enqueued once the transaction that asked for them commits (`certification/events.py`,
`certification/notifications.py`), so that nothing is sent for a change that rolled back.
"""

from django.conf import settings
from django_tasks import task

from certification import (
    complaint_notices,
    notifications,
    objection_notices,
    status_alerts,
    webhooks,
)


@task()
def deliver_webhook(delivery_id: int) -> str:
    attempt = webhooks.attempt_delivery(delivery_id)
    if attempt.retry_at is not None:
        deliver_webhook.using(run_after=attempt.retry_at).enqueue(delivery_id)
    return attempt.state


@task()
def deliver_notice(case_id: int, name: str, target: str, reason: str = "") -> int:
    """An e-mail notice, written by the worker rather than the web process."""
    return notifications.deliver(case_id, name, target, reason)


def send_notice(case_id: int, name: str, target: str, reason: str = "") -> None:
    """Queue the notice of an event; called once its transaction commits. The backend is a
    setting so that the tests, which read the outbox, can run notices at once."""
    deliver_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(
        case_id, name, target, reason
    )


@task()
def deliver_complaint_notice(complaint_id: int, kind: str, deadline: str = "") -> int:
    """An e-mail about a complaint (certification/complaint_notices.py), without its content."""
    return complaint_notices.deliver(complaint_id, kind, deadline)


def send_complaint_notice(complaint_id: int, kind: str, deadline: str = "") -> None:
    deliver_complaint_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(
        complaint_id, kind, deadline
    )


@task()
def deliver_objection_notice(objection_id: int) -> int:
    """The reviewers told of an objection to an application (certification/objection_notices.py)."""
    return objection_notices.deliver(objection_id)


def send_objection_notice(objection_id: int) -> None:
    deliver_objection_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(objection_id)


@task()
def deliver_status_alert(event_id: str) -> int:
    """The watching employers' members e-mailed of a status change (certification/status_alerts.py)."""
    return status_alerts.deliver(event_id)


def send_status_alert(event_id) -> None:
    deliver_status_alert.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(str(event_id))
