"""The complaint keys are checked at start (`manage.py check`, migrate, runserver)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def complaint_keys_check(app_configs, **kwargs):
    from cryptography.fernet import Fernet

    keys = settings.COMPLAINT_ENCRYPTION_KEYS
    if not keys:
        return [
            Error(
                "COMPLAINT_ENCRYPTION_KEYS is not set.",
                hint="Set it to one or more Fernet keys, comma-separated, the newest first "
                "(python manage.py make_complaint_key prints a new one).",
                id="monitoring.E001",
            )
        ]
    problems = []
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            problems.append(
                Error(
                    f"Key {index} of COMPLAINT_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="A Fernet key is 32 random bytes in URL-safe base64 (44 characters).",
                    id="monitoring.E002",
                )
            )
    if getattr(settings, "COMPLAINT_KEY_IS_DEVELOPMENT", False) and not settings.DEBUG:
        problems.append(
            Error(
                "Complaints are encrypted with the development key derived from SECRET_KEY.",
                hint="Set COMPLAINT_ENCRYPTION_KEYS.",
                id="monitoring.E003",
            )
        )
    elif getattr(settings, "COMPLAINT_KEY_IS_DEVELOPMENT", False):
        problems.append(
            Warning(
                "Complaints are encrypted with a development key derived from SECRET_KEY "
                "(DEBUG is on and COMPLAINT_ENCRYPTION_KEYS is not set).",
                id="monitoring.W001",
            )
        )
    return problems
