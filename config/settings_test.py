"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "k8Jd2pQx7Lm4Zr9Vt1Ws6Yb3Nc5Hg0Fa")
os.environ.setdefault("CREDENTIAL_KEY_DIR", tempfile.mkdtemp(prefix="fairrecruit-test-keys-"))

from config.object_store import private_storage
from config.settings import *  # noqa: F403
from config.settings import COMPLAINT_ENCRYPTION_KEYS, SECRET_KEY, STORAGES
from monitoring.crypto import development_key

# Complaints encrypted under a key of the test run's own (DEBUG is off in tests).
COMPLAINT_ENCRYPTION_KEYS = COMPLAINT_ENCRYPTION_KEYS or [development_key(SECRET_KEY)]

# Tests talk to the app over plain HTTP through the test client.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Issuers' keys: made on first need (tests/certification/test_credentials.py turns this
# off to see a certification refused without a key), in a throw-away folder that the
# servers a test starts share through the environment.
CREDENTIAL_DEVELOPMENT_KEYS = True

# Uploaded evidence goes to a throw-away folder.
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="fairrecruit-test-private-"))
STORAGES = {
    **STORAGES,
    # No collectstatic before the tests: plain names (tests/config/test_static_files.py
    # collects and serves them as production does).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The throw-away folder; the object store OBJECT_STORE_BUCKET names only where a test
    # asks for one (TEST_OBJECT_STORE=1: the servers of tests/config/test_scale_out.py), so
    # that a deployment's variables in the shell never send test files to its bucket.
    "private": private_storage(
        os.environ if os.environ.get("TEST_OBJECT_STORE") == "1" else {}, PRIVATE_MEDIA_ROOT
    ),
}

# Transactional tests empty the test database with TRUNCATE between tests; the event log
# refuses TRUNCATE except in a test database whose connection says this (migration 0005).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    _options["options"] = (
        _options.get("options", "") + " -c fairrecruit.allow_event_log_truncate=on"
    ).strip()

# Static files from the apps' folders, as in development: nothing is collected for tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Notices are still tasks, run at once so that tests read them in mail.outbox; webhook
# deliveries keep the database queue, which the webhook tests run with a real worker.
TASKS = {**TASKS, "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
NOTICE_TASK_BACKEND = "immediate"
# Most tests sign reviewers and auditors in without a second factor (force_login); the
# tests of two-factor sign-in turn it on (tests/recruiters/test_two_factor.py).
TWO_FACTOR_REQUIRED = False
