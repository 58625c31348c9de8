"""Settings for `make bench`: production-like (DEBUG off), with a trivial JSON view beside
the API to measure the server's ceiling."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x7Kp2Lm9Qr4Tz8Vw1Ys6Bn3Hd5Gf0Jc" * 2)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("THROTTLE_ANONYMOUS", "100000000/minute")
os.environ.setdefault("THROTTLE_KEY", "100000000/minute")
os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # persistent connections, as in production
os.environ.setdefault(
    "REDIS_URL", "redis://127.0.0.1:6379/15"
)  # the shared cache, as in production

os.environ.setdefault("CREDENTIAL_KEY_DIR", tempfile.mkdtemp(prefix="fairrecruit-bench-keys-"))

from config.settings import *  # noqa: F403

CREDENTIAL_DEVELOPMENT_KEYS = True  # the benchmarks' certification body signs at once

SECURE_SSL_REDIRECT = False
# Static files served from the apps' folders (no measured path is a static one, so the
# figures are those of production); bench_scale collects them too, as the pages it
# measures link them by their hashed names.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
ROOT_URLCONF = "tests.benchmarks.bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
