"""Times in the reader's time zone where a person chose one (Preferences.time_zone); the
scheme's own (TIME_ZONE, UTC) otherwise. Only what a page shows moves: the layout renders
inside the person's zone (base.html), while the services keep every day they decide (a
certificate's validity, a deadline, "today") in the scheme's time, whoever clicks. The
choice travels in the session from sign-in, so that no page pays a query for it."""

import zoneinfo
from functools import cache

SESSION_KEY = "fairrecruit_time_zone"


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones people choose from: "Asia/Kathmandu", "Europe/Paris" …"""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )


def remember(request, name: str) -> None:
    """The person's zone for the rest of their session (empty: the scheme's)."""
    if not hasattr(request, "session"):
        return  # an API call with a token: no session, nothing to carry
    if name:
        request.session[SESSION_KEY] = name
    else:
        request.session.pop(SESSION_KEY, None)


def person_time_zone(request) -> zoneinfo.ZoneInfo | None:
    """The zone the signed-in person chose, for the layout's `{% timezone %}`; None: the
    scheme's."""
    session = getattr(request, "session", None)
    name = session.get(SESSION_KEY) if session is not None else None
    return zoneinfo.ZoneInfo(name) if name in time_zones() else None
