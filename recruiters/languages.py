"""Languages people work in, by ISO 639-1 code, for auditors (names from pycountry).

Django's own language list only covers its translations and misses languages common in
recruitment corridors, such as Tagalog or Sinhala.
"""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = sorted(
    (
        (language.alpha_2, language.name)
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
    ),
    key=lambda item: item[1],
)
LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGE_CHOICES)


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Enter a list of language codes."), code="invalid")
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is listed twice."), code="duplicate_language")


def by_language(rows, default: str) -> dict[str, list[str]]:
    """(e-mail, chosen language or empty) rows grouped as {language: sorted e-mails}, the
    ones who chose none under `default`: one message is written per language."""
    groups: dict[str, set[str]] = {}
    for email, language in rows:
        groups.setdefault(language or default, set()).add(email)
    return {language: sorted(emails) for language, emails in sorted(groups.items())}
