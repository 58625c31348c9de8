"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "k8Jd2pQx7Lm4Zr9Vt1Ws6Yb3Nc5Hg0Fa")

from config.settings import *  # noqa: F403

# Tests talk to the app over plain HTTP through the test client.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
