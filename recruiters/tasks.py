"""E-mails about applications, sent by the worker once the step that asks for them commits
(the same task backend as the cases' notices: settings.NOTICE_TASK_BACKEND)."""

from django.conf import settings
from django_tasks import task

from recruiters.applying import notices
from recruiters.organisation import notices as organisation_notices


@task()
def deliver_application_notice(application_id: int, kind: str) -> int:
    return notices.deliver(application_id, kind)


def send_application_notice(application_id: int, kind: str) -> None:
    deliver_application_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(
        application_id, kind
    )


@task()
def deliver_account_exists_notice(email: str, language: str) -> int:
    return notices.deliver_account_exists(email, language)


def send_account_exists_notice(email: str, language: str) -> None:
    deliver_account_exists_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(
        email, language
    )


@task()
def deliver_invitation_notice(invitation_id: int) -> int:
    return organisation_notices.deliver_invitation(invitation_id)


def send_invitation_notice(invitation_id: int) -> None:
    deliver_invitation_notice.using(backend=settings.NOTICE_TASK_BACKEND).enqueue(invitation_id)
