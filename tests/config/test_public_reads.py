"""The lean path of the status and verification reads (config/public_reads.py): the same
answers as the DRF views, one cache round trip for a cached status, the throttle counted
once per request, and everything unusual handed on to the view."""

import socket

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from certification.status import code_digest, verification_cache_key
from config import public_reads
from config.throttling import AnonymousThrottle, CounterThrottle
from recruiters.keys import EMPLOYER_PREFIX
from recruiters.services import employer_key_create
from tests.certification.world import World

pytestmark = pytest.mark.django_db

COMPARED_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Allow", "Vary")


@pytest.fixture
def world():
    return World()


@pytest.fixture
def certified(world):
    return world.case_in("certified")


@pytest.fixture
def low_rate(monkeypatch):
    cache.clear()
    monkeypatch.setattr(AnonymousThrottle, "THROTTLE_RATES", {"anonymous": "3/minute"})
    monkeypatch.setattr(CounterThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    yield
    cache.clear()


def answer(response) -> tuple:
    headers = {name: response.get(name) for name in COMPARED_HEADERS}
    headers["Vary"] = sorted(part.strip() for part in headers["Vary"].split(","))
    return (response.status_code, response.content, headers)


def test_a_cached_status_is_answered_without_a_query_as_the_view_answers_it(
    world, certified, django_assert_num_queries
):
    cache.clear()
    url = f"/api/v1/agencies/{world.agency.public_id}/status/"
    client = APIClient()
    by_the_view = client.get(url)  # not cached yet: the view computes and caches it

    with django_assert_num_queries(0):
        by_the_lean_path = client.get(url)

    assert by_the_view.status_code == 200
    assert by_the_view.json()["status"] == "certified"
    assert answer(by_the_lean_path) == answer(by_the_view)
    assert by_the_view["Allow"] == "GET, HEAD, OPTIONS"
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=by_the_view["ETag"])
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert not_modified["ETag"] == by_the_view["ETag"]


def test_a_verification_on_the_lean_path_is_the_views_answer_in_one_query(
    world, certified, django_assert_num_queries
):
    certificate = certified.certificate
    url = f"/api/v1/certificates/{certificate.number}/verify/?code={certificate.verification_code}"
    client = APIClient()

    with django_assert_num_queries(1):
        lean = client.get(url)
    by_the_view = client.get(url + "&format=json")  # a format asked for: the DRF view

    assert lean.status_code == 200
    assert lean.json()["agency"]["name"] == "Kathmandu Fair Jobs"
    assert answer(lean) == answer(by_the_view)


@pytest.mark.parametrize("wrong", ["number", "code"])
def test_a_failed_verification_is_the_views_json_404(world, certified, wrong):
    certificate = certified.certificate
    number = "FR-2000-999999" if wrong == "number" else certificate.number
    code = "nope" if wrong == "code" else certificate.verification_code

    response = APIClient().get(f"/api/v1/certificates/{number}/verify/?code={code}")

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_each_request_counts_once_whether_the_lean_path_or_the_view_answers(
    world, certified, low_rate
):
    status_url = f"/api/v1/agencies/{world.agency.public_id}/status/"
    client = APIClient()

    # A miss (lean path counts, then the view computes without counting), a hit, then a
    # verification that fails (lean path counts, the view answers 404 without counting).
    statuses = [
        client.get(status_url).status_code,
        client.get(status_url).status_code,
        client.get("/api/v1/certificates/FR-2000-1/verify/?code=x").status_code,
        client.get(status_url).status_code,
    ]

    assert statuses == [200, 200, 404, 429]
    refused = client.get(status_url)
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert refused.has_header("Retry-After")
    assert APIClient(REMOTE_ADDR="198.51.100.7").get(status_url).status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"HTTP_AUTHORIZATION": f"Api-Key {EMPLOYER_PREFIX}not-a-key"},
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_ACCEPT": "application/xml"},
        {"HTTP_ACCEPT": "application/json; indent=4"},
    ],
)
def test_what_is_not_a_plain_anonymous_json_get_goes_to_the_view(
    world, certified, credentials, monkeypatch
):
    url = f"/api/v1/agencies/{world.agency.public_id}/status/"
    client = APIClient()
    client.get(url)  # cached

    def lean_path_taken(*args, **kwargs):
        raise AssertionError("the lean path answered")

    monkeypatch.setattr(public_reads, "anonymous_count_and_read", lean_path_taken)
    response = client.get(url, **credentials)

    # The view authenticates (a wrong key is refused) and negotiates the format (XML is
    # refused); the lean path would do neither.
    expected = {"HTTP_AUTHORIZATION": 401, "application/xml": 406}
    assert response.status_code == expected.get(
        next(iter(credentials)), expected.get(credentials.get("HTTP_ACCEPT"), 200)
    )


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), 0.5):
            return True
    except OSError:
        return False


REDIS_CACHE = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"}
}


@pytest.fixture
def on_redis():
    if not _redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    with override_settings(CACHES=REDIS_CACHE):
        try:
            cache.clear()
        except InvalidCacheBackendError:  # pragma: no cover - django-redis is a dependency
            pytest.skip("django-redis missing")
        yield
        cache.clear()


def test_on_redis_a_cached_status_costs_one_round_trip(world, certified, on_redis, monkeypatch):
    from redis.client import Pipeline, Redis

    url = f"/api/v1/agencies/{world.agency.public_id}/status/"
    client = APIClient()
    first = client.get(url)
    trips = []
    real_execute, real_command = Pipeline.execute, Redis.execute_command

    def pipeline_execute(self, *args, **kwargs):
        trips.append("pipeline")
        return real_execute(self, *args, **kwargs)

    def command(self, *args, **kwargs):
        trips.append(args[0])
        return real_command(self, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", pipeline_execute)
    monkeypatch.setattr(Redis, "execute_command", command)

    again = client.get(url)

    assert trips == ["pipeline"]
    assert answer(again) == answer(first)
    assert again.json()["status"] == "certified"


def test_a_cached_verification_needs_no_query_and_a_wrong_code_still_gets_the_404(
    world, certified, django_assert_num_queries
):
    certificate = certified.certificate
    url = f"/api/v1/certificates/{certificate.number}/verify/"
    client = APIClient()
    first = client.get(url, {"code": certificate.verification_code})  # kept

    with django_assert_num_queries(0):
        again = client.get(url, {"code": certificate.verification_code})
    code = certificate.verification_code
    wrong = client.get(url, {"code": code[:-1] + ("y" if code.endswith("x") else "x")})

    assert answer(again) == answer(first) and again.json()["status"] == "valid"
    assert wrong.status_code == 404 and certificate.number not in wrong.content.decode()
    kept = cache.get(verification_cache_key(certificate.number))
    assert kept is not None and certificate.verification_code.encode() not in repr(kept).encode()


def test_a_verification_and_the_registry_are_read_anew_once_a_suspension_commits(
    world, certified, django_capture_on_commit_callbacks
):
    from certification import services

    certificate = certified.certificate
    verify = (
        f"/api/v1/certificates/{certificate.number}/verify/?code={certificate.verification_code}"
    )
    client = APIClient()
    assert client.get(verify).json()["status"] == "valid"
    assert client.get("/api/v1/registry/").json()["results"][0]["status"] == "certified"

    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=certified, reason="A complaint.")

    assert client.get(verify).json()["status"] == "suspended"
    assert client.get("/api/v1/registry/").json()["results"][0]["status"] == "suspended"


def test_a_registry_page_is_kept_as_the_view_answered_it(
    world, certified, settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["testserver", "register.example"]
    client = APIClient()
    by_the_view = client.get("/api/v1/registry/?country=np")

    with django_assert_num_queries(0):
        kept = client.get("/api/v1/registry/?country=np")
    other_query = client.get("/api/v1/registry/?country=PH")
    employer = world.employer_member.memberships.get(role="employer_member").employer
    _key, secret = employer_key_create(actor=world.employer_member, employer=employer, name="k")
    signed_in = APIClient(HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert answer(kept) == answer(by_the_view)
    assert [r["name"] for r in kept.json()["results"]] == ["Kathmandu Fair Jobs"]
    assert other_query.json()["results"] == []
    # Another host (its links name it) and a signed-in caller are each answered by the view.
    for response in (
        lambda: client.get("/api/v1/registry/?country=np", HTTP_HOST="register.example"),
        lambda: signed_in.get("/api/v1/registry/?country=np"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert response().json() == by_the_view.json()
        read = [q for q in queries if 'FROM "certification_certificate"' in q["sql"]]
        assert len(read) == 1


def test_a_change_of_an_agencys_sectors_is_seen_by_the_registrys_filter(
    world, certified, django_capture_on_commit_callbacks
):
    from certification.services.identity import agency_profile_update

    client = APIClient()
    url = "/api/v1/registry/?sector=care"
    assert client.get(url).json()["results"] == []

    with django_capture_on_commit_callbacks(execute=True):
        agency_profile_update(
            actor=world.agency_member, agency=world.agency, data={"sectors": ["care"]}
        )

    assert [r["name"] for r in client.get(url).json()["results"]] == ["Kathmandu Fair Jobs"]


def test_on_redis_a_cached_verification_costs_one_round_trip(
    world, certified, on_redis, monkeypatch
):
    from redis.client import Pipeline, Redis

    certificate = certified.certificate
    url = f"/api/v1/certificates/{certificate.number}/verify/?code={certificate.verification_code}"
    client = APIClient()
    first = client.get(url)
    trips = []
    real_execute, real_command = Pipeline.execute, Redis.execute_command
    monkeypatch.setattr(
        Pipeline,
        "execute",
        lambda self, *a, **k: trips.append("pipeline") or real_execute(self, *a, **k),
    )
    monkeypatch.setattr(
        Redis,
        "execute_command",
        lambda self, *a, **k: trips.append(a[0]) or real_command(self, *a, **k),
    )

    again = client.get(url)

    assert trips == ["pipeline"]
    assert answer(again) == answer(first)


def test_an_answer_computed_before_a_change_is_never_kept_over_it(
    world, certified, django_capture_on_commit_callbacks
):
    from certification import services

    certificate = certified.certificate
    code = certificate.verification_code
    verify = f"/api/v1/certificates/{certificate.number}/verify/?code={code}"
    client = APIClient()
    stale = client.get(verify).content  # a read began before the suspension: "valid"
    cache.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=certified, reason="A complaint.")
    # ... and keeps its answer only after the suspension committed, as a slow read would.
    cache.add(verification_cache_key(certificate.number), (code_digest(code), stale), 300)

    assert b'"valid"' in stale
    assert client.get(verify).json()["status"] == "suspended"


def test_a_change_commits_and_its_webhooks_are_queued_when_the_cache_is_away(
    world, certified, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from certification import services
    from certification.models import WatchedAgency, Webhook

    employer = world.employer_member.memberships.get(role="employer_member").employer
    WatchedAgency.objects.create(employer=employer, agency=world.agency)
    Webhook.objects.create(employer=employer, url="https://93.184.216.34/hook", secret="s" * 40)

    def away(*args, **kwargs):
        raise ConnectionError("the cache is away")

    monkeypatch.setattr(cache, "set_many", away)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=certified, reason="A complaint.")

    certified.refresh_from_db()
    assert certified.state == "suspended"
    # The webhook's delivery, queued by a callback after the one that failed.
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_webhook").count() == 1


@pytest.mark.parametrize("read", ["verification", "status"])
def test_a_read_that_began_before_a_change_does_not_keep_its_answer_over_it(
    world, certified, read, django_capture_on_commit_callbacks, monkeypatch
):
    """The answer is computed, then the suspension commits, then the read keeps what it
    computed: the next read must still see the suspension."""
    from certification import services
    from certification.api import employers

    certificate = certified.certificate
    url = {
        "verification": f"/api/v1/certificates/{certificate.number}/verify/"
        f"?code={certificate.verification_code}",
        "status": f"/api/v1/agencies/{world.agency.public_id}/status/",
    }[read]
    target, name = {
        "verification": (public_reads, "verification_answer"),
        "status": (employers, "_compute_status"),
    }[read]
    computed = getattr(target, name)

    def slow(*args, **kwargs):
        answer = computed(*args, **kwargs)  # as it was: certified
        with django_capture_on_commit_callbacks(execute=True):
            services.case_suspend(actor=world.reviewer, case=certified, reason="A complaint.")
        return answer

    monkeypatch.setattr(target, name, slow)
    during = APIClient().get(url).json()
    monkeypatch.setattr(target, name, computed)
    after = APIClient().get(url).json()

    assert during["status"] in ("valid", "certified")
    assert after["status"] == "suspended"
