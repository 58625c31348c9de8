"""GET /healthz: a real query against the database, and 503 when it does not answer."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_after_a_real_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_takes_no_writes(client):
    assert client.post("/healthz").status_code == 405


PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/fairrecruit",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/fairrecruit.sqlite3",  # cannot be opened
    ],
    ids=["postgresql-unreachable", "sqlite-unopenable"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(database_url):
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "testserver",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "status": 503,
        "body": {"status": "error", "database": "unavailable"},
    }
    assert "health check: database unreachable" in done.stderr
