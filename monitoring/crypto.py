"""Encryption at rest of what a complainant wrote (DESIGN.md, "Sensitive data").

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under the keys of the setting
COMPLAINT_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so that a new key is
put first and the old ones kept until `rotate` has re-encrypted the rows. Never our own cipher.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "decrypt_bytes", "encrypt", "encrypt_bytes"]


def development_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY: the same on every run of one development
    checkout, worthless in production (SECRET_KEY is not meant to protect data at rest)."""
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"fairrecruit-complaints",
        info=b"development complaint key",
    ).derive(secret_key.encode("utf-8"))
    return base64.urlsafe_b64encode(derived).decode("ascii")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "COMPLAINT_ENCRYPTION_KEYS is not set: complaints cannot be stored or read."
        )
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.COMPLAINT_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return _current().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _current().decrypt(token)


def encrypt(text: str) -> str:
    """The text's token (ASCII); an empty text stays empty (nothing was given)."""
    return encrypt_bytes(text.encode("utf-8")).decode("ascii") if text else ""


def decrypt(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode("utf-8") if token else ""


def rotate(token: str) -> str:
    """The token re-encrypted under the first key."""
    return _current().rotate(token.encode("ascii")).decode("ascii") if token else ""
