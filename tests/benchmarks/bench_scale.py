"""The register at scale (`make bench-scale`, issue 16): figures, never assertions.

On PostgreSQL with Redis and gunicorn (2 sync workers, DEBUG off, persistent connections),
with BENCH_AGENCIES agencies (default 100,000) written by `seed_scale` into a database of
its own (kept between runs when it already holds that many; BENCH_RESEED=1 writes it anew):

- requests per second under wrk for the registry API (first page, a filtered page), the
  registry web page, the status endpoint and certificate verification, each against a
  trivial JSON view on the same server, in interleaved rounds (median and spread), with the
  machine's load beside each round;
- the bulk check of 1,000 and 5,000 suppliers through the server (median of sequential
  requests) and its query count;
- both registry exports, each in a process of its own: time and peak memory;
- the query count of every path, at this size.

wrk (Debian's package) is the client: one thread, which on this machine shares the two
cores with the server. The trivial view's rate is what the same client reaches against the
same server, so a path measured well below it is not limited by the client.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

DATABASE = "fairrecruit_bench_scale"
BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
AGENCIES = int(os.environ.get("BENCH_AGENCIES", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))  # wrk takes whole seconds
STANDARD = PROJECT_DIR / "scoring/standards/fairrecruit-reference-1.1.yaml"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
# Static files collected as production does (hashed names): the pages link them.
STATIC_ROOT = tempfile.mkdtemp(prefix="fairrecruit-bench-static-")


def environment() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{BASE}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.bench_settings",
        "STATIC_ROOT": STATIC_ROOT,
    }


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if exists and os.environ.get("BENCH_RESEED"):
            admin.execute(f"DROP DATABASE {DATABASE}")
            exists = None
        if not exists:
            admin.execute(f"CREATE DATABASE {DATABASE}")


def setup_django() -> None:
    os.environ.update(environment())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def ensure_seed() -> None:
    from django.core.management import call_command

    from certification.scale_seed import PREFIX
    from recruiters.models import Agency

    seeded = Agency.objects.filter(registration_number__startswith=PREFIX).count()
    if seeded == AGENCIES:
        print(f"Database {DATABASE}: {seeded:,} seeded agencies already (BENCH_RESEED=1 anew)")
        return
    if seeded:
        print(f"Database {DATABASE} holds {seeded:,} seeded agencies, not {AGENCIES:,}: anew")
        from django.db import connections

        connections.close_all()
        os.environ["BENCH_RESEED"] = "1"
        prepare_database()
        call_command("migrate", verbosity=0)
    call_command("load_standard", str(STANDARD), verbosity=0)
    started = time.monotonic()
    call_command("seed_scale", agencies=AGENCIES, not_production=True)
    print(f"seed_scale --agencies {AGENCIES}: {time.monotonic() - started:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a load


def fixtures() -> dict:
    """An employer with an API key, and what the paths ask about."""
    from django.contrib.auth import get_user_model

    from certification.models import Certificate
    from certification.models.cases import CaseState
    from recruiters import services as credentials
    from recruiters.models import Agency, Employer, Membership

    user, _new = get_user_model().objects.get_or_create(username="bench-employer")
    employer, _new = Employer.objects.get_or_create(name="Bench Employer", country="QA")
    Membership.objects.get_or_create(user=user, role="employer_member", employer=employer)
    _key, secret = credentials.employer_key_create(actor=user, employer=employer, name="bench")
    certificate = (
        Certificate.objects.filter(case__state=CaseState.CERTIFIED, superseded_on__isnull=True)
        .select_related("case__agency")
        .order_by("id")[AGENCIES // 4]
    )
    rows = list(
        Agency.objects.order_by("?").values_list("public_id", "country", "registration_number")[
            :5000
        ]
    )
    suppliers = [
        {"id": str(public_id)} if index % 2 else {"country": country, "registration_number": number}
        for index, (public_id, country, number) in enumerate(rows)
    ]
    return {
        "secret": secret,
        "status": f"/api/v1/agencies/{certificate.case.agency.public_id}/status/",
        "verify": f"/api/v1/certificates/{certificate.number}/verify/"
        f"?code={certificate.verification_code}",
        "bulk": {size: json.dumps({"suppliers": suppliers[:size]}) for size in (1000, 5000)},
    }


def paths(given: dict) -> dict:
    return {
        "trivial JSON view": "/bench/ping/",
        "registry API, first page": "/api/v1/registry/",
        "registry API, filtered page": "/api/v1/registry/?country=PH&sector=construction&status=certified",
        "registry web page": "/registry/",
        "status endpoint (cached)": given["status"],
        "certificate verification": given["verify"],
    }


def query_counts(named: dict, given: dict) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for label, path in named.items():
        cache.clear()
        measured = []
        for _first_then_kept in range(2):  # the first request fills what a cache holds
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
            measured.append(len(queries))
        counts[label] = "/".join(map(str, measured))
    keyed = Client(HTTP_AUTHORIZATION=f"Api-Key {given['secret']}")
    for size, body in given["bulk"].items():
        with CaptureQueriesContext(connection) as queries:
            response = keyed.post("/api/v1/supplier-checks/", body, content_type="application/json")
        if response.status_code != 200 or len(response.json()["results"]) != size:
            raise RuntimeError(f"bulk check of {size}: {response.status_code}")
        counts[f"bulk check, {size:,} suppliers"] = len(queries)
    return counts


def wrk(port: int, path: str) -> float:
    """Requests per second wrk reaches, one thread, four connections."""
    command = [WRK, "-t1", "-c4", f"-d{SECONDS}s", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path}: wrk saw error answers\n{output}")
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(f"wrk printed no rate:\n{output}")


def post_timings(port: int, secret: str, body: str, times: int = 7) -> list[float]:
    timings = []
    for _ in range(times + 1):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/supplier-checks/",
            data=body.encode(),
            headers={"Authorization": f"Api-Key {secret}", "Content-Type": "application/json"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  (http to our server)
            response.read()
        timings.append(time.perf_counter() - start)
    return timings[1:]  # the first warms the worker


EXPORT = r"""
import sys, time
import django


def high_water_mb():
    # This process's own peak (VmHWM): ru_maxrss would include the parent's, from the fork.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024


django.setup()
from django.test import Client
base = high_water_mb()
client = Client()
start = time.perf_counter()
response = client.get("/api/v1/registry/export/?file=" + sys.argv[1])
size = lines = 0
for chunk in response.streaming_content:
    size += len(chunk)
    lines += chunk.count(b"\n")
seconds = time.perf_counter() - start
print(response.status_code, size, lines, seconds, base, high_water_mb())
"""


def export_figure(kind: str) -> tuple:
    env = environment()
    output = subprocess.run(
        [sys.executable, "-c", EXPORT, kind],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise RuntimeError(f"export {kind} failed:\n{output.stderr}")
    output = output.stdout.split()
    status, size, lines, seconds, base, peak = output[-6:]
    if status != "200":
        raise RuntimeError(f"export {kind}: {status}")
    return int(size), int(lines), float(seconds), float(base), float(peak)


def spread(values: list[float]) -> str:
    return f"{min(values):8.1f} - {max(values):8.1f}"


def main() -> None:
    if not Path(WRK).exists():
        sys.exit("wrk is missing: apt-get install wrk (Debian's package)")
    prepare_database()
    setup_django()
    ensure_seed()
    from django.core.cache import cache

    cache.clear()
    given = fixtures()
    named = paths(given)
    counts = query_counts(named, given)
    from certification.models import Certificate
    from recruiters.models import Agency

    agencies, certificates = Agency.objects.count(), Certificate.objects.count()
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = start_gunicorn(environment(), port, "--log-level", "warning", workers=2)
    try:
        rates = {label: [] for label in named}
        loads = []
        for path in named.values():
            wrk_warm = [WRK, "-t1", "-c4", "-d1s", f"http://127.0.0.1:{port}{path}"]
            subprocess.run(wrk_warm, capture_output=True, check=True)
        for round_number in range(ROUNDS):
            for label, path in named.items():  # interleaved: each round measures every path
                rates[label].append(wrk(port, path))
            loads.append(os.getloadavg()[0])
            print(f"  round {round_number + 1}/{ROUNDS} done, load {loads[-1]:.2f}", flush=True)
        bulk = {
            size: post_timings(port, given["secret"], body) for size, body in given["bulk"].items()
        }
    finally:
        stop(server)

    print()
    print(
        f"Register at scale: {agencies:,} agencies, {certificates:,} certificates; PostgreSQL, "
        f"Redis, gunicorn 2 sync workers; wrk 1 thread 4 connections, {ROUNDS} rounds of "
        f"{SECONDS:g} s on {os.cpu_count()} cores"
    )
    print(f"  load average (1 min) after each round: {', '.join(f'{x:.2f}' for x in loads)}")
    ceiling = statistics.median(rates["trivial JSON view"])
    print(
        f"  {'path':<32} {'req/s median':>12} {'min - max':>19} {'x trivial':>9} "
        "queries (uncached/cached)"
    )
    for label, values in rates.items():
        median = statistics.median(values)
        queries = counts.get(label, "0/0")
        print(f"  {label:<32} {median:12.1f} {spread(values)} {median / ceiling:9.3f} {queries:>7}")
    for size, timings in bulk.items():
        label = f"bulk check, {size:,} suppliers"
        ms = [t * 1000 for t in timings]
        print(
            f"  {label:<32} {statistics.median(ms):9.1f} ms median {spread(ms)} ms, "
            f"{counts[label]} queries"
        )
    exports = {kind: export_figure(kind) for kind in ("csv", "xlsx")}
    rows = exports["csv"][1] - 1  # the header line; the workbook holds the same rows
    for kind, (size, _lines, seconds, base, peak) in exports.items():
        print(
            f"  registry export, {kind:<4}           {seconds:9.2f} s for {rows:,} rows "
            f"({size / 1e6:.1f} MB), "
            f"peak memory {peak:.0f} MB (the process before it: {base:.0f} MB)"
        )


if __name__ == "__main__":
    main()
