"""Beyond one machine (issue 16, docs/deployment.md): two web servers that share only the
database, the cache and the object store serve each other's files and statuses at once,
and two task workers deliver queued webhooks each exactly once.

Real processes (gunicorn, `manage.py db_worker`) on the test database, Redis and a local
S3-compatible server: on PostgreSQL only, where several processes write at once.
"""

import subprocess
import sys
import uuid

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from certification.models import DeliveryState, StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from certification.tasks import deliver_webhook
from recruiters.services import personal_token_create
from tests.api.receiver import Receiver
from tests.certification.world import World
from tests.object_store import new_bucket
from tests.servers import PROJECT_DIR, free_port, start_gunicorn, stop

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REDIS = "redis://127.0.0.1:6379/12"
SECRET = "w" * 40
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def shared_environment(**more) -> dict:
    """What every process of the deployment is given: the same database and cache."""
    database = connection.settings_dict
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "SECRET_KEY": settings.SECRET_KEY,
        "COMPLAINT_ENCRYPTION_KEYS": ",".join(settings.COMPLAINT_ENCRYPTION_KEYS),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "REDIS_URL": REDIS,
        "DB_CONN_MAX_AGE": "0",  # nothing left open when the test empties the database
        **more,
    }


@pytest.fixture
def shared_cache():
    try:
        client = redis.Redis.from_url(REDIS)
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS}")
    yield
    client.flushdb()


@pytest.fixture
def two_servers(shared_cache, object_store_url):
    environment = shared_environment(TEST_OBJECT_STORE="1", **new_bucket(object_store_url))
    ports = [free_port()]
    while len(ports) < 2:  # two servers, never one port twice
        ports += [port for port in [free_port()] if port not in ports]
    servers = [start_gunicorn(environment, port) for port in ports]
    assert all(server.poll() is None for server in servers), "a server did not start"
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for server in servers:
        stop(server)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {personal_token_create(user=user, name='scale-out')[1]}"}


def test_a_file_and_a_status_change_through_one_server_are_seen_through_the_other(two_servers):
    first, second = two_servers
    world = World()
    case = world.case_in("certified")
    agency, reviewer = bearer(world.agency_member), bearer(world.reviewer)
    status_path = f"/api/v1/agencies/{world.agency.public_id}/status/"

    uploaded = httpx.post(
        f"{first}/api/v1/cases/{case.pk}/evidence/",
        headers=agency,
        files={"file": ("licence.pdf", PDF, "application/pdf")},
        data={"question": "A1-01"},
    )
    assert uploaded.status_code == 201, uploaded.text
    download = httpx.get(f"{second}/api/v1/evidence/{uploaded.json()['id']}/file/", headers=agency)
    assert (download.status_code, download.content) == (200, PDF)

    assert httpx.get(second + status_path).json()["status"] == "certified"  # now cached there
    suspended = httpx.post(
        f"{first}/api/v1/cases/{case.pk}/transitions/suspend/",
        headers=reviewer,
        json={"reason": "A complaint is being investigated."},
    )
    assert suspended.status_code == 200, suspended.text
    assert httpx.get(second + status_path).json()["status"] == "suspended"
    assert httpx.get(first + status_path).json()["status"] == "suspended"


def queue_deliveries(world: World, url: str, count: int) -> list[str]:
    """`count` status events, one delivery each, every delivery queued twice (as a retry
    and a replay might): each must still reach the receiver once."""
    employer = world.employer_member.memberships.get(role="employer_member").employer
    WatchedAgency.objects.create(employer=employer, agency=world.agency)
    webhook = Webhook.objects.create(employer=employer, url=url, secret=SECRET)
    case = world.agency.cases.get()
    events = StatusEvent.objects.bulk_create(
        StatusEvent(
            id=(event_id := uuid.uuid4()),
            agency=world.agency,
            case=case,
            old_status="certified",
            new_status="suspended",
            occurred_at=timezone.now(),
            payload={"id": str(event_id), "type": "certification.status_changed"},
        )
        for _ in range(count)
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, webhook=webhook) for event in events
    )
    for delivery in deliveries:  # back to back, so that the two workers take both at once
        deliver_webhook.enqueue(delivery.pk)
        deliver_webhook.enqueue(delivery.pk)
    return [str(event.id) for event in events]


def test_two_workers_deliver_a_thousand_queued_webhooks_each_exactly_once():
    world = World()
    world.case_in("certified")
    worker = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    worker += ["--interval", "0.05"]
    environment = shared_environment(WEBHOOK_ALLOW_LOOPBACK="true")
    with Receiver(SECRET) as receiver:
        expected = queue_deliveries(world, receiver.url, 1000)
        workers = [
            subprocess.Popen(
                worker,
                cwd=PROJECT_DIR,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=600)[1].decode() for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    missing = set(expected) - set(receiver.received)
    unsent = list(
        WebhookDelivery.objects.filter(event_id__in=missing).values(
            "event_id", "state", "attempts", "last_error", "next_attempt_at"
        )
    )
    assert not missing, (unsent, outputs)
    assert sorted(receiver.received) == sorted(expected)
    assert set(receiver.received.values()) == {1}, "an event was delivered twice"
    assert receiver.bad_signatures == 0
    states = set(WebhookDelivery.objects.values_list("state", "attempts").distinct())
    assert states == {(DeliveryState.DELIVERED, 1)}
    # Both workers took a share (each logs the tasks it ran).
    assert all("deliver_webhook" in output for output in outputs), outputs
