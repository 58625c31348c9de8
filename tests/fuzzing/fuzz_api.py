"""Wide fuzzing of the API (`make fuzz`): schemathesis against a live, production-like server,
as each of five roles, with its stateful phase. A few minutes; repeatable with FUZZ_SEED.

The server: gunicorn with DEBUG off, on PostgreSQL when it answers (a fresh database
`fairrecruit_fuzz`), else SQLite in a temporary folder, with the demo data and rate limits
raised out of the way. The roles: anonymous, an agency member (the demo agency, whose case
is certified), the demo auditor, the reviewer, and an employer key.

Every check schemathesis has runs but one, which judges the business rules rather than the
contract: `positive_data_acceptance` (a well-formed request may be refused: a wrong
password, a transition the case's state does not allow). The operations that revoke the
fuzzer's own credentials (DELETE of a token or a key) are left out, so that a role's run
does not end in 401s; the test suite covers them. Half the values of the path and query
parameters that name objects come from the demo's own objects (schemathesis.toml, written
beside the reports), so that the fuzzer reaches real cases, actions and certificates.

Prints one line per role with the requests made, server errors and schema violations, and
exits 1 if any role had a failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
from tests.fuzzing.failures import distinct  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG = os.environ.get("FUZZ_PG", "postgres://postgres@127.0.0.1:5432")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SECONDS_PER_ROLE = int(os.environ.get("FUZZ_SECONDS", "60"))
SEED = os.environ.get("FUZZ_SEED", "20261201")
EXCLUDED_CHECKS = "positive_data_acceptance"
KEEP_CREDENTIALS = [
    "--exclude-operation-id",
    "auth_tokens_destroy",
    "--exclude-operation-id",
    "employer_keys_destroy",
]
# Server errors and these checks are what "the contract holds" means here.
CONTRACT = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
}


def database_url(folder: Path) -> str:
    try:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute("DROP DATABASE IF EXISTS fairrecruit_fuzz")
            admin.execute("CREATE DATABASE fairrecruit_fuzz")
        return f"{PG}/fairrecruit_fuzz"
    except Exception:  # no PostgreSQL here: the embedded database
        return f"sqlite:///{folder / 'fuzz.sqlite3'}"


def environment(folder: Path, url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "fuzz-only-" + "p4Lm8Qr2Tz6Vw0Ys3Bn7Hd1Gf5Jc9Kx" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "THROTTLE_ANONYMOUS": "1000000/minute",
        "THROTTLE_KEY": "1000000/minute",
        "THROTTLE_LOGIN": "1000000/minute",
        "AXES_FAILURE_LIMIT": "1000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


CREDENTIALS = """
import json
from django.contrib.auth import get_user_model
from recruiters import services
from recruiters.models import Membership

people = {name: get_user_model().objects.get(username=name) for name in ("agency", "auditor", "reviewer")}
tokens = {name: services.personal_token_create(user=user, name="fuzz")[1] for name, user in people.items()}
member = Membership.objects.get(user__username="employer", role="employer_member")
tokens["employer"] = services.employer_key_create(actor=member.user, employer=member.employer, name="fuzz")[1]

from audits.models import Audit, CorrectiveAction, Evidence
from certification.models import Certificate, CertificationCase, Webhook
from recruiters.models import Agency

ids = {
    "ids": sorted(
        {*CertificationCase.objects.values_list("pk", flat=True),
         *CorrectiveAction.objects.values_list("pk", flat=True),
         *Evidence.objects.values_list("pk", flat=True),
         *Webhook.objects.values_list("pk", flat=True)}
    ),
    "audits": list(Audit.objects.values_list("pk", flat=True)),
    "agencies": [str(a) for a in Agency.objects.values_list("public_id", flat=True)],
    "certificates": list(Certificate.objects.values_list("number", flat=True)),
    "codes": list(Certificate.objects.values_list("verification_code", flat=True)),
}
print(json.dumps({"tokens": tokens, "ids": ids}))
"""


def prepare(env: dict) -> dict:
    """Migrated, the standard and the demo loaded; a credential for each role."""
    seeding = {**env, "DEBUG": "true"}  # the demo's people exist only with DEBUG on
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_standard", "scoring/standards/fairrecruit-reference-1.0.yaml"],
        ["seed_demo"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=PROJECT_DIR,
            env=seeding,
            check=True,
            capture_output=True,
        )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", CREDENTIALS],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    tokens = found["tokens"]
    write_config(found["ids"])
    return {
        "anonymous": None,
        "agency member": f"Bearer {tokens['agency']}",
        "auditor": f"Bearer {tokens['auditor']}",
        "reviewer": f"Bearer {tokens['reviewer']}",
        "employer key": f"Api-Key {tokens['employer']}",
    }


CONFIG = PROJECT_DIR / "test-artifacts" / "fuzz" / "schemathesis.toml"
# Where a path or query parameter names an object, half the values come from the demo's
# own objects, so that the fuzzer reaches real cases, actions and certificates.
BINDINGS = {
    "path.id": "ids",
    "query.audit": "audits",
    "path.public_id": "agencies",
    "path.agency": "agencies",
    "path.number": "certificates",
    "query.code": "codes",
}


def write_config(ids: dict) -> None:
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for parameter, dictionary in BINDINGS.items():
        lines.append(f'"{parameter}" = {{ dictionary = "{dictionary}", probability = 0.5 }}')
    CONFIG.write_text("\n".join(lines) + "\n", encoding="utf-8")


def serve(env: dict, port: int) -> subprocess.Popen:
    # No limit on the request line: a front server's 414 to an over-long URL is not part of
    # the API's contract, the application's answer to it is.
    return start_gunicorn(env, port, "--timeout", "60", "--limit-request-line", "0", workers=2)


def count(ndjson: Path) -> tuple[int, dict[str, int]]:
    """(requests made, distinct failures by check) from schemathesis's event stream."""
    requests = 0
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if finished:
            requests += len((finished.get("recorder") or {}).get("interactions") or {})
    failures: dict[str, int] = {}
    for check, _operation, _message in distinct(ndjson):
        failures[check] = failures.get(check, 0) + 1
    return requests, failures


def fuzz(role: str, header: str | None, port: int, reports: Path) -> tuple[int, dict, int]:
    ndjson = reports / f"{role.replace(' ', '-')}.ndjson"
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        str(PROJECT_DIR / "docs" / "openapi.yaml"),
        "--url",
        f"http://127.0.0.1:{port}",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--max-time",
        str(SECONDS_PER_ROLE),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        "--suppress-health-check",
        "all",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(ndjson),
        *KEEP_CREDENTIALS,
    ]
    if header:
        command += ["--header", f"Authorization: {header}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    (reports / f"{role.replace(' ', '-')}.txt").write_text(result.stdout + result.stderr)
    requests, failures = count(ndjson) if ndjson.exists() else (0, {})
    return requests, failures, result.returncode


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="fairrecruit-fuzz-"))
    reports = PROJECT_DIR / "test-artifacts" / "fuzz"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    url = database_url(folder)
    env = environment(folder, url)
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"Fuzzing /api/v1/ on gunicorn, DEBUG off, {database}, seed {SEED}, "
        f"{EXAMPLES} examples an operation, at most {SECONDS_PER_ROLE} s a role:"
    )
    total_requests, broken = 0, False
    try:
        roles = prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            for role, header in roles.items():
                started = time.monotonic()
                requests, failures, code = fuzz(role, header, port, reports)
                total_requests += requests
                errors = failures.get("not_a_server_error", 0)
                contract = sum(n for name, n in failures.items() if name in CONTRACT) - errors
                other = {k: v for k, v in failures.items() if k not in CONTRACT}
                broken = broken or bool(failures) or code not in (0, 1)
                print(
                    f"  {role:13}: {requests:5} requests, {errors} server errors, "
                    f"{contract} schema violations"
                    + (f", other failures {other}" if other else "")
                    + f" ({time.monotonic() - started:.0f} s)"
                )
        finally:
            stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"  {'all roles':13}: {total_requests:5} requests; reports in {reports.relative_to(PROJECT_DIR)}/"
    )
    if broken:
        print("Failures (tests/fuzzing/failures.py lists them again):")
        for report in sorted(reports.glob("*.ndjson")):
            for (check, operation, message), times in sorted(distinct(report).items()):
                print(f"  {report.stem}: {check} {operation} (x{times})\n      {message[:400]}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
