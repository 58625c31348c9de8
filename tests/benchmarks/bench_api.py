"""API benchmark (`make bench`), on PostgreSQL: figures, never assertions.

- a 1,000-supplier bulk check: median time in process and its query count;
- requests per second of GET /api/v1/agencies/{id}/status/ under gunicorn with 2 workers,
  measured in the same run as a trivial Django JSON view on the same server (the ceiling),
  and their ratio.

The load comes from client processes on the same 2-core machine as the server, so both
figures share the machine with their client; the ratio is the meaningful number.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from multiprocessing import Pool
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
DATABASE = "fairrecruit_bench"
BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = 8765


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def setup_django():
    os.environ["DATABASE_URL"] = f"{BASE}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(certified: int = 60, plain: int = 940):
    """Agencies to check: some certified through the services, the others not."""
    from certification import services
    from recruiters.models import Agency, Membership, SizeBand
    from tests.certification.world import World

    world = World()
    agencies = []
    for index in range(certified):
        agency = Agency.objects.create(
            name=f"Certified {index}",
            legal_name="x",
            country="NP",
            registration_number=f"C-{index}",
            size_band=SizeBand.FROM_100,
        )
        Membership.objects.create(user=world.agency_member, role="agency_member", agency=agency)
        world.agency = agency
        world.case_in("certified")
        agencies.append(agency)
    agencies += Agency.objects.bulk_create(
        Agency(
            name=f"Agency {i}",
            legal_name="x",
            country="PH",
            registration_number=f"P-{i}",
            size_band=SizeBand.FROM_100,
        )
        for i in range(plain)
    )
    del services
    return world, agencies


def bulk_check_figures(world, agencies):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from recruiters import services as credentials

    employer = world.employer_member.memberships.get(role="employer_member").employer
    _key, secret = credentials.employer_key_create(
        actor=world.employer_member, employer=employer, name="bench"
    )
    suppliers = [
        {"id": str(a.public_id)}
        if i % 2
        else {"country": a.country.code, "registration_number": a.registration_number}
        for i, a in enumerate(agencies[:1000])
    ]
    body = json.dumps({"suppliers": suppliers})
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    timings = []
    for _ in range(12):
        start = time.perf_counter()
        response = client.post("/api/v1/supplier-checks/", body, content_type="application/json")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200 and len(response.json()["results"]) == 1000
    with CaptureQueriesContext(connection) as queries:
        client.post("/api/v1/supplier-checks/", body, content_type="application/json")
    return statistics.median(timings[2:]), len(queries)


def _hammer(arguments):
    path, seconds = arguments
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:
            response.read()
        done += 1
    return done


def requests_per_second(path: str, seconds: float = 8.0, clients: int = 4) -> float:
    _hammer((path, 0.5))  # warm the workers
    with Pool(clients) as pool:
        counts = pool.map(_hammer, [(path, seconds)] * clients)
    return sum(counts) / seconds


def main() -> None:
    prepare_database()
    setup_django()
    from django.core.cache import cache

    cache.clear()
    world, agencies = seed()
    bulk_seconds, bulk_queries = bulk_check_figures(world, agencies)
    status_path = f"/api/v1/agencies/{agencies[0].public_id}/status/"
    env = {**os.environ}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/ping/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        ceiling = requests_per_second("/bench/ping/")
        status = requests_per_second(status_path)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        "API benchmark (PostgreSQL, Redis cache, gunicorn 2 sync workers, 4 client processes on this machine)"
    )
    print(
        f"  bulk check of 1,000 suppliers : {bulk_seconds * 1000:8.1f} ms, {bulk_queries} queries (target < 300 ms, <= 5 queries)"
    )
    print(f"  GET .../status/               : {status:8.0f} requests/s")
    print(f"  trivial JSON view (ceiling)   : {ceiling:8.0f} requests/s")
    print(f"  status / ceiling              : {status / ceiling:8.2f}    (target >= 0.5)")


if __name__ == "__main__":
    main()
