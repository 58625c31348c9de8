"""Rate limits and sign-in lockouts key on the client's address as the operator's proxies
saw it (PROXY_COUNT), never on an X-Forwarded-For the client wrote itself."""

import itertools

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from config.throttling import AnonymousThrottle, CounterThrottle, LoginThrottle
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

RATES = {"anonymous": "3/minute", "key": "100/minute", "login": "2/minute"}
_forged = (f"203.0.113.{n}" for n in itertools.count(1))


@pytest.fixture(autouse=True)
def low_rates(monkeypatch):
    cache.clear()
    for throttle in (AnonymousThrottle, LoginThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", RATES)
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    yield
    cache.clear()


@pytest.fixture
def username():
    return MembershipFactory(agency_member=True).user.username


def registry(forwarded_for: str, remote="192.0.2.10") -> int:
    client = APIClient(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.get("/api/v1/registry/").status_code


def token_attempt(forwarded_for: str, remote="192.0.2.10") -> int:
    client = APIClient(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}, format="json"
    ).status_code


def test_without_proxies_a_new_forwarded_for_on_each_request_buys_no_allowance(settings):
    settings.PROXY_COUNT = 0

    statuses = [registry(next(_forged)) for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert registry(next(_forged), remote="192.0.2.11") == 200  # another socket address


def test_without_proxies_the_token_endpoint_limit_holds_against_forged_headers(settings):
    settings.PROXY_COUNT = 0

    statuses = [token_attempt(next(_forged)) for _ in range(3)]

    assert statuses == [400, 400, 429]


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.PROXY_COUNT = 1
    # The client forges the left part; our proxy appends the address it saw.
    statuses = [registry(f"{next(_forged)}, 198.51.100.20") for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert registry(f"{next(_forged)}, 198.51.100.21") == 200  # another client, same proxy


def test_behind_one_proxy_the_token_endpoint_counts_per_client(settings):
    settings.PROXY_COUNT = 1

    first = [token_attempt(f"{next(_forged)}, 198.51.100.30") for _ in range(3)]
    other = token_attempt(f"{next(_forged)}, 198.51.100.31")

    assert first == [400, 400, 429]
    assert other == 400


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.PROXY_COUNT = 2

    statuses = [registry(f"{next(_forged)}, 198.51.100.40, 10.0.0.2") for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_sign_in_lockouts_ignore_a_forged_forwarded_for(settings, username):
    settings.PROXY_COUNT = 0
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=next(_forged)).post(
            "/accounts/login/", {"username": username, "password": "wrong"}
        )

    locked = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=next(_forged)).post(
        "/accounts/login/", {"username": username, "password": "wrong"}
    )

    assert locked.status_code == 429


def test_behind_one_proxy_sign_in_lockouts_are_per_client(settings, username):
    settings.PROXY_COUNT = 1
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.60").post(
            "/accounts/login/", {"username": username, "password": "wrong"}
        )

    same = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.60").post(
        "/accounts/login/", {"username": username, "password": "wrong"}
    )
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.61").post(
        "/accounts/login/", {"username": username, "password": "wrong"}
    )

    assert (same.status_code, other.status_code) == (429, 200)


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.70:4711", "198.51.100.70"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("unknown", "192.0.2.10"),  # not an address: the socket's peer
        ("", "192.0.2.10"),
    ],
)
def test_behind_one_proxy_the_hop_is_read_as_an_address(settings, forwarded, client):
    from django.test import RequestFactory

    from config.client import client_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == client
