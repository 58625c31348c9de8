"""Configuration by environment variables, as an operator sets it, in a fresh process."""

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "q3V8xZ1mN6pL0tR4yW7bK2cJ9hF5dS8aG3eU6iO1vB4nM7-test-only-Xk2",
    "ALLOWED_HOSTS": "fairrecruit.example.org",
    "DATABASE_URL": "postgres://fairrecruit@db.internal:5432/fairrecruit",
    "COMPLAINT_ENCRYPTION_KEYS": "pQ4fmbS0vY6oFzNw3Tq0m3JcW2Cj1dX8bYh0mJ2kR9s=",
    "LINK_HASH_KEY": "t7Hq2Lw9Zp4Xc8Vb1Nm6Kj3Rf5Sd0Ga-link-test-only",
}


def manage(*args, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deploy_check_reports_nothing_with_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_process_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]

    done = manage("check", **env)

    assert done.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in done.stderr


def test_without_complaint_keys_and_without_debug_the_checks_refuse():
    env = {**PRODUCTION}
    del env["COMPLAINT_ENCRYPTION_KEYS"]

    done = manage("check", "--deploy", **env)

    assert done.returncode != 0
    assert "monitoring.E001" in done.stderr and "COMPLAINT_ENCRYPTION_KEYS" in done.stderr


def test_a_complaint_key_that_is_not_a_fernet_key_is_refused():
    done = manage("check", **{**PRODUCTION, "COMPLAINT_ENCRYPTION_KEYS": "not-a-key"})

    assert done.returncode != 0
    assert "monitoring.E002" in done.stderr


def test_debug_derives_a_development_complaint_key_and_says_so():
    done = manage("check", DEBUG="true")

    assert done.returncode == 0, done.stderr
    assert "monitoring.W001" in done.stderr + done.stdout


def test_make_complaint_key_prints_a_fernet_key():
    from cryptography.fernet import Fernet

    done = manage("make_complaint_key", DEBUG="true")

    assert done.returncode == 0, done.stderr
    Fernet(done.stdout.strip().encode())


def test_debug_runs_without_a_secret_key():
    done = manage("check", DEBUG="true")

    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_debug_value_that_is_not_a_boolean_is_refused(value):
    done = manage("check", DEBUG=value)

    assert done.returncode != 0
    assert f"DEBUG must be true or false, not '{value}'" in done.stderr


def test_languages_time_zone_and_database_selection():
    from django.conf import settings

    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr"]
    assert (settings.TIME_ZONE, settings.USE_TZ, settings.USE_I18N) == ("UTC", True, True)
    assert settings.DATABASES["default"]["ENGINE"] in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }


def test_production_without_a_link_hash_key_is_warned():
    env = dict(PRODUCTION)
    del env["LINK_HASH_KEY"]
    done = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert done.returncode != 0
    assert "recruiters.W001" in done.stderr and "LINK_HASH_KEY" in done.stderr
