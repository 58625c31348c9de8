"""The screening of the people behind an agency or an application against an outside list
(recruiters/links/screening.py), for the reviewers' pages, beside the link check's matches
(certification/selectors/links.py): the scheme's own refused and withdrawn agencies are the
built-in list, a configured provider an optional second one. Off unless SCREENING_PROVIDER
is set; then one query reads the current people (no identity document), and a provider's
failure is reported as `failed`, never raised."""

from datetime import date

from recruiters.links.screening import ScreeningResult, screen_holder
from recruiters.models import Agency, Application


def screening_hits(holder: Agency | Application, *, today: date | None = None) -> ScreeningResult:
    """An agency's or an application's current people screened: `enabled` (a provider is
    configured), `hits` (strongest first), `failed` (the provider could not run).
    Off: OFF, with no query and nothing imported."""
    return screen_holder(holder, today=today)
