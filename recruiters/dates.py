"""A day as people read it, in the active language: one form per language
(config/formats/), for every message and page; exports and the API write ISO 8601."""

from django.utils.formats import date_format


def day(value) -> str:
    """ "4 December 2026", "4 décembre 2026"; empty for no day."""
    return date_format(value, "DATE_FORMAT") if value else ""
