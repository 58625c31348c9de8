"""The complaint keys, and the survey's k, are checked at start (`manage.py check`, migrate,
runserver)."""

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


@register(Tags.security)
def survey_min_answers_check(app_configs, **kwargs):
    """k below 2 would show one worker's answers as an aggregate (docs/worker-voice.md)."""
    minimum = settings.SURVEY_MIN_ANSWERS
    if isinstance(minimum, int) and minimum >= 2:
        return []
    return [
        Error(
            f"SURVEY_MIN_ANSWERS is {minimum!r}: it must be a whole number of at least 2.",
            hint="k is the number of workers needed before their answers are shown together "
            "(5 to 10 is usual): with 1, one worker's answers would be shown.",
            id="monitoring.E004",
        )
    ]
