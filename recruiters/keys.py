"""Making and checking secret keys (personal tokens, employer API keys)."""

import hashlib
import secrets

PERSONAL_PREFIX = "frp_"
EMPLOYER_PREFIX = "fre_"


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)  # 256 random bits


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
