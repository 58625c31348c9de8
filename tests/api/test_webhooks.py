"""Webhooks: signed, retried until the receiver answers, once per event, never for a change
that did not happen, and never towards addresses inside our network."""

import socket

import pytest
from django.db import transaction

from certification import services
from certification.models import DeliveryState, StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from certification.webhooks import UnsafeURL, resolve
from tests.api.receiver import Receiver, run_worker
from tests.certification.world import World

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
        certificate = services.case_certify(actor=world.reviewer, case=case)
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


def test_a_public_address_is_accepted():
    assert resolve("https://93.184.216.34/hook") == ("https", "93.184.216.34", 443, "93.184.216.34")


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
