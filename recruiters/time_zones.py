"""Times in the reader's time zone where a person chose one (Preferences.time_zone); the
scheme's own (TIME_ZONE, UTC) otherwise. The choice travels in the session from sign-in,
so that no page pays a query for it."""

import zoneinfo
from functools import cache

from django.utils import timezone

SESSION_KEY = "fairrecruit_time_zone"


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones people choose from: "Asia/Kathmandu", "Europe/Paris" …"""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
        )
    )


def remember(request, name: str) -> None:
    """The person's zone for the rest of their session (empty: the scheme's)."""
    if name:
        request.session[SESSION_KEY] = name
    else:
        request.session.pop(SESSION_KEY, None)


class PersonTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if name in time_zones():
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
