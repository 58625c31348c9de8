"""Webhooks: signed, retried until the receiver answers, once per event, never for a change
that did not happen, and never towards addresses inside our network."""

import socket

import pytest
from django.db import transaction

from certification import services
from certification.models import DeliveryState, StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from certification.webhooks import UnsafeURL, resolve
from tests.api.receiver import Receiver, run_worker
from tests.certification.world import RATIONALE, World

SECRET = "s" * 40


def watch(world: World, url: str) -> Webhook:
    employer = world.employer_member.memberships.get(role="employer_member").employer
    WatchedAgency.objects.create(employer=employer, agency=world.agency)
    return Webhook.objects.create(employer=employer, url=url, secret=SECRET)


@pytest.mark.django_db(transaction=True)
def test_a_status_change_reaches_the_receiver_once_after_it_was_down(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # retries due at once, so that one batch run sees them
    world = World()
    case = world.case_in("in_review")

    with Receiver(SECRET, fail_first=2) as receiver:
        watch(world, receiver.url)
        certificate = services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
        run_worker()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        DeliveryState.DELIVERED,
        3,
        204,
    )
    assert receiver.requests == 3 and receiver.bad_signatures == 0
    [event] = receiver.events.values()
    assert event["type"] == "certification.status_changed"
    assert (event["old_status"], event["new_status"]) == ("in_progress", "certified")
    assert event["agency"]["id"] == str(world.agency.public_id)
    assert event["certificate"]["number"] == certificate.number
    assert event["id"] == str(StatusEvent.objects.get().id)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_for_a_transition_that_rolled_back(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    world = World()
    case = world.case_in("certified")

    with Receiver(SECRET) as receiver:
        watch(world, receiver.url)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
            raise RuntimeError("something later in the same transaction failed")
        run_worker()

    assert receiver.requests == 0
    assert not StatusEvent.objects.filter(new_status="suspended").exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_never_answers_is_given_up_after_the_retry_period(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_RETRY_HOURS = 0  # the period is over at the first failure
    world = World()
    case = world.case_in("certified")
    with socket.socket() as probe:  # a port where nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    watch(world, f"http://127.0.0.1:{port}/hook")

    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 1)
    assert "refused" in delivery.last_error.lower()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "ftp://example.org/hook",
        "http://93.184.216.34/hook",
    ],
)
def test_urls_inside_our_network_or_not_https_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False

    with pytest.raises(UnsafeURL):
        resolve(url)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://[64:ff9b::a9fe:a9fe]/", "NAT64 of the cloud metadata address"),
        ("https://[64:ff9b::7f00:1]/", "NAT64 of loopback"),
        ("https://[64:ff9b:1::a00:1]/", "local-use NAT64"),
        ("https://[2002:a9fe:a9fe::1]/", "6to4 of link-local"),
        ("https://[2002:c0a8:1::1]/", "6to4 of 192.168.0.1"),
        ("https://[::ffff:10.0.0.1]/", "IPv4-mapped private"),
        ("https://[::ffff:127.0.0.1]/", "IPv4-mapped loopback"),
        ("https://[::a9fe:a9fe]/", "IPv4-compatible link-local"),
        ("https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "Teredo of 10.0.0.1"),
        ("https://[::ffff:0:a9fe:a9fe]/", "SIIT of the cloud metadata address"),
        ("https://[fec0::1]/", "site-local"),
        ("https://[64:ff9b::a00:1]/", "NAT64 of 10.0.0.1"),
    ],
)
def test_ipv6_addresses_that_carry_a_private_ipv4_address_or_are_not_global_are_refused(
    url, why, settings
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False

    with pytest.raises(UnsafeURL, match="private, loopback or link-local"):
        resolve(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://93.184.216.34:22/hook", "port 22 is not allowed: webhooks are sent to port 443"),
        (
            "https://93.184.216.34:8443/hook",
            "port 8443 is not allowed: webhooks are sent to port 443",
        ),
        (
            "https://user:pass@93.184.216.34/hook",
            "the URL must not contain a user name or password",
        ),
        ("https://token@93.184.216.34/hook", "the URL must not contain a user name or password"),
        ("https://93.184.216.34:99999/hook", "the URL's port is not a port number"),
    ],
)
def test_other_ports_and_credentials_in_the_url_are_refused(url, message):
    with pytest.raises(UnsafeURL) as refused:
        resolve(url)

    assert str(refused.value) == message


def test_a_port_the_operator_lists_is_allowed(settings):
    settings.WEBHOOK_ALLOWED_PORTS = [443, 8443]

    assert resolve("https://93.184.216.34:8443/hook")[2] == 8443


@pytest.mark.parametrize(
    "url",
    [
        "https://93.184.216.34/hook",
        "https://93.184.216.34:443/hook",
        "https://[64:ff9b::5db8:d822]/hook",  # NAT64 of a public address
        "https://[2002:5db8:d822::1]/hook",  # 6to4 of a public address
        "https://[2606:2800:220:1::]/hook",
    ],
)
def test_a_public_address_is_accepted(url):
    scheme, _host, port, _address = resolve(url)

    assert (scheme, port) == ("https", 443)


@pytest.mark.django_db
def test_registration_refuses_a_private_url(keyed):
    response = keyed.post("/api/v1/webhooks/", {"url": "https://10.0.0.5/hook"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "10.0.0.5 resolves to a private, loopback or link-local address",
            "attr": "url",
        }
    ]


@pytest.mark.django_db
def test_registration_refuses_credentials_and_other_ports(keyed):
    for url, message in [
        (
            "https://user:pass@93.184.216.34/hook",
            "the URL must not contain a user name or password",
        ),
        ("https://93.184.216.34:22/hook", "port 22 is not allowed: webhooks are sent to port 443"),
        (
            "https://[64:ff9b::a9fe:a9fe]/",
            "64:ff9b::a9fe:a9fe resolves to a private, loopback or link-local address",
        ),
    ]:
        response = keyed.post("/api/v1/webhooks/", {"url": url}, format="json")

        assert response.status_code == 400, url
        assert response.json()["errors"] == [{"code": "invalid", "detail": message, "attr": "url"}]
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_delivery_refuses_an_address_registered_before_the_rules(world):
    case = world.case_in("certified")
    webhook = watch(world, "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/")
    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    delivery = WebhookDelivery.objects.get(webhook=webhook)

    from certification.webhooks import attempt_delivery

    attempt_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (1, None)
    assert delivery.last_error == (
        "64:ff9b::a9fe:a9fe resolves to a private, loopback or link-local address"
    )


@pytest.mark.django_db
def test_delivery_checks_the_address_again(settings, world):
    case = world.case_in("certified")
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    webhook = watch(world, "http://127.0.0.1:9/hook")  # allowed when registered
    settings.WEBHOOK_ALLOW_LOOPBACK = False  # no longer when delivered
    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    delivery = WebhookDelivery.objects.get(webhook=webhook)

    from certification.webhooks import attempt_delivery

    attempt_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.last_error == "127.0.0.1 resolves to a private, loopback or link-local address"


def test_the_local_receiver_checks_signatures_as_receivers_should():
    from certification.management.commands.receive_webhooks import signature_holds
    from certification.webhooks import sign

    body = b'{"id": "1"}'
    header = sign(SECRET, 1_800_000_000, body)

    assert signature_holds(SECRET, header, body)
    assert not signature_holds(SECRET, header, body + b" ")
    assert not signature_holds("another secret of forty characters long!", header, body)
    assert not signature_holds(SECRET, "v1=abc", body)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_request_is_sent_while_no_row_is_locked(settings):
    """A slow receiver must not hold a lock: while it answers, another connection can lock
    the delivery row and the case row at once."""
    from django.db import DatabaseError, connection

    from certification.models import CertificationCase

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    world = World()
    case = world.case_in("certified")
    seen = []

    def lock_from_elsewhere():  # runs in the receiver's thread: its own connection
        try:
            with transaction.atomic():
                list(WebhookDelivery.objects.select_for_update(nowait=True))
                list(CertificationCase.objects.select_for_update(nowait=True).filter(pk=case.pk))
            seen.append("free")
        except DatabaseError:
            seen.append("locked")
        finally:
            connection.close()

    with Receiver(SECRET, on_request=lock_from_elsewhere) as receiver:
        watch(world, receiver.url)
        services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
        run_worker()

    assert seen == ["free"]
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_delivery_is_sent_while_its_webhook_row_is_locked_elsewhere(settings):
    """Another worker claiming another delivery of the same webhook, or the employer saving
    the webhook, locks the webhook's row: the claim must not skip this delivery for it (it
    did, and a delivery skipped by both of its tasks was never sent)."""
    import threading

    from django.db import connection

    from certification.webhooks import attempt_delivery

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    world = World()
    case = world.case_in("certified")
    locked, release = threading.Event(), threading.Event()

    def hold_the_webhook_row(webhook_id):
        try:
            with transaction.atomic():
                Webhook.objects.select_for_update().get(pk=webhook_id)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    with Receiver(SECRET) as receiver:
        webhook = watch(world, receiver.url)
        with transaction.atomic():
            services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
        delivery = WebhookDelivery.objects.get()
        holder = threading.Thread(target=hold_the_webhook_row, args=(webhook.pk,))
        holder.start()
        try:
            assert locked.wait(timeout=30)
            attempt = attempt_delivery(delivery.pk)
        finally:
            release.set()
            holder.join(timeout=30)

    assert attempt.state == DeliveryState.DELIVERED
    assert WebhookDelivery.objects.get().attempts == 1
    assert len(receiver.events) == 1
