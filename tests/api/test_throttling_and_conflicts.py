"""Throttling per anonymous address and per key; concurrent writes answer 409, never 500."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from config.throttling import AnonymousThrottle, CounterThrottle, KeyThrottle
from tests.certification.world import RATIONALE, World, refreshed


@pytest.fixture
def low_rates(monkeypatch):
    cache.clear()
    rates = {"anonymous": "3/minute", "key": "2/minute", "login": "10/minute"}
    monkeypatch.setattr(AnonymousThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(KeyThrottle, "THROTTLE_RATES", rates)
    # One fixed moment: the requests of a test never straddle two windows.
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    yield
    cache.clear()


@pytest.mark.django_db
def test_anonymous_callers_are_throttled_per_address(api, low_rates):
    statuses = [api.get("/api/v1/registry/").status_code for _ in range(4)]
    other_address = APIClient(REMOTE_ADDR="198.51.100.7").get("/api/v1/registry/").status_code

    assert statuses == [200, 200, 200, 429]
    assert other_address == 200
    assert api.get("/api/v1/registry/").json()["errors"][0]["code"] == "throttled"


@pytest.mark.django_db
def test_each_key_has_its_own_allowance(keyed, world, low_rates):
    body = {"suppliers": [{"id": str(world.agency.public_id)}]}

    statuses = [
        keyed.post("/api/v1/supplier-checks/", body, format="json").status_code for _ in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert (
        APIClient().get("/api/v1/registry/").status_code == 200
    )  # anonymous callers are counted apart


@pytest.mark.django_db
def test_the_token_endpoint_has_its_own_allowance_apart_from_the_anonymous_one(low_rates):
    client = APIClient()
    usernames = (f"nobody-{n}" for n in range(100))  # never the sign-in lockout's 429

    def token_attempt():
        body = {"username": next(usernames), "password": "wrong"}
        return client.post("/api/v1/auth/token/", body, format="json").status_code

    # Its "login" scope (10/minute here) alone counts it: sign-in attempts spend none of the
    # address's anonymous allowance (3/minute here), and reads none of its sign-in attempts.
    attempts = [token_attempt() for _ in range(4)]
    reads = [client.get("/api/v1/registry/").status_code for _ in range(4)]

    assert attempts == [400, 400, 400, 400]
    assert reads == [200, 200, 200, 429]
    assert token_attempt() == 400


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_certifying_at_once_get_one_success_and_one_409():
    world = World()
    case = world.case_in("in_review")
    barrier = threading.Barrier(2)
    statuses = []

    def certify():
        client = APIClient()
        client.force_authenticate(world.reviewer)
        barrier.wait(timeout=10)
        statuses.append(
            client.post(
                f"/api/v1/cases/{case.pk}/transitions/certify/",
                {"reason": RATIONALE},
                format="json",
            ).status_code
        )
        connection.close()

    threads = [threading.Thread(target=certify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 409]
    assert refreshed(case).state == "certified"
