"""Background tasks (django-tasks, database backend; `manage.py db_worker` runs them)."""

from django_tasks import task

from certification import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.attempt_delivery(delivery_id)
