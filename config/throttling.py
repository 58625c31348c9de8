"""API throttling on the cache (shared when REDIS_URL is set): per anonymous address, per
person or employer key; and per address on a view that names its own scope (`throttle_scope`,
as DRF's scoped throttle reads it), which then counts under that scope alone. Views name a
scope rather than a class so that the apps below config never import it.

A fixed-window counter: one round trip to Redis per request (INCR and EXPIRE pipelined),
where DRF's sliding-window throttle needs two and a pickled list. The status endpoint that
employers poll pays it on every call.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import throttling
from rest_framework.settings import api_settings

from config.client import client_address
from recruiters.models import EmployerAPIKey

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _count(key: str, period: int, read: str | None = None) -> tuple[int, object]:
    """Add one to the window's counter and return it, with the cached value under `read`
    (None when absent or not asked for): on Redis in the same round trip."""
    if settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        from django_redis import get_redis_connection

        pipe = get_redis_connection("default").pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, period + 1)
        if read is not None:
            pipe.get(cache.client.make_key(read))
        answers = pipe.execute()
        found = answers[2] if read is not None else None
        return answers[0], (cache.client.decode(found) if found is not None else None)
    cache.add(key, 0, period + 1)
    return cache.incr(key), (cache.get(read) if read is not None else None)


def anonymous_count_and_read(request, read: str | None = None) -> tuple[bool, object]:
    """For the lean public reads (config/public_reads.py): count an anonymous request as
    AnonymousThrottle does and read the cache entry `read`, in one round trip. Returns
    (allowed, value); an allowed request is marked counted, so that the DRF view it may go
    on to does not count it twice (a refused one is counted again there, and refused)."""
    throttle = AnonymousThrottle()
    number, period = throttle.rate()
    now = throttle.timer()
    key = throttle.window_key(throttle.get_ident(request), period, now)
    count, value = _count(key, period, read)
    allowed = count <= number
    if allowed:
        request.throttle_counted = throttle.scope
    return allowed, value


class CounterThrottle(throttling.BaseThrottle):
    scope = ""
    THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    timer = time.time

    def ident_for(self, request) -> str | None:
        raise NotImplementedError

    def get_ident(self, request) -> str:
        # Never the whole X-Forwarded-For a client sent: only what our proxies wrote.
        return client_address(request)

    def counts(self, view) -> bool:
        """The general limits count every view but those whose scope a throttle of its own
        counts: a misspelt scope stays under the general limits, never under none."""
        return getattr(view, "throttle_scope", None) not in OWN_SCOPES

    def rate(self) -> tuple[int, int]:
        """(requests allowed, period in seconds)."""
        number, unit = self.THROTTLE_RATES[self.scope].split("/")
        return int(number), _PERIODS[unit[0]]

    def window_key(self, ident: str, period: int, now: float) -> str:
        return f"fairrecruit:throttle:{self.scope}:{ident}:{int(now // period)}"

    def allow_request(self, request, view) -> bool:
        ident = self.ident_for(request) if self.counts(view) else None
        if ident is None:
            return True
        number, period = self.rate()
        now = self.timer()
        self._wait = (int(now // period) + 1) * period - now
        if getattr(request, "throttle_counted", None) == self.scope:
            return True  # counted already by a lean public read, which found it allowed
        return _count(self.window_key(ident, period, now), period)[0] <= number

    def wait(self) -> float:
        return self._wait


class AnonymousThrottle(CounterThrottle):
    """Per client address, for callers with neither a session, a token nor a key."""

    scope = "anonymous"

    def ident_for(self, request):
        if request.user.is_authenticated or isinstance(request.auth, EmployerAPIKey):
            return None
        return self.get_ident(request)


class KeyThrottle(CounterThrottle):
    """Per employer key, or per person."""

    scope = "key"

    def ident_for(self, request):
        if isinstance(request.auth, EmployerAPIKey):
            return f"employer-key-{request.auth.pk}"
        if request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


class LoginThrottle(CounterThrottle):
    """Password guessing at the token endpoint (`throttle_scope = "login"`), per address."""

    scope = "login"

    def counts(self, view) -> bool:
        return getattr(view, "throttle_scope", None) == self.scope

    def ident_for(self, request):
        return self.get_ident(request)


class ComplaintThrottle(LoginThrottle):
    """Complaint intake (`throttle_scope = "complaint"`), per address: a flood stops here,
    and the web form shares the count (PageThrottleMiddleware)."""

    scope = "complaint"


class ComplaintFollowThrottle(LoginThrottle):
    """Follow-up of a complaint with its number and code, per address: guessing codes stops."""

    scope = "complaint_follow"


class SurveyThrottle(LoginThrottle):
    """A worker survey's code, per address (`throttle_scope = "survey"`): the API's reads and
    answers and the survey pages' posts together, so that codes cannot be tried quickly."""

    scope = "survey"


class ApplicationThrottle(LoginThrottle):
    """Applications to join and their links, per address (`throttle_scope = "application"`):
    the API and the join pages together, so that neither floods the reviewers nor guesses."""

    scope = "application"


# Scopes counted by a throttle of their own instead of the general limits.
OWN_SCOPES = frozenset(
    {
        LoginThrottle.scope,
        ComplaintThrottle.scope,
        ComplaintFollowThrottle.scope,
        SurveyThrottle.scope,
        ApplicationThrottle.scope,
    }
)

# Web pages counted like the API scope of the same name (URL name -> throttle), on POST.
PAGE_SCOPES = {
    "web:complaint-new": ComplaintThrottle,
    "web:complaint-follow": ComplaintFollowThrottle,
    "web:news": ComplaintFollowThrottle,
    "web:complaint-follow-message": ComplaintFollowThrottle,
    "web:survey": SurveyThrottle,
    "web:survey-language": SurveyThrottle,
    "web:join": ApplicationThrottle,
    "web:join-follow": ApplicationThrottle,
    "web:join-link": ApplicationThrottle,
    "objection": ApplicationThrottle,
}


class PageThrottleMiddleware:
    """Counts a POST to a page of PAGE_SCOPES. Over the limit, the page is not refused here:
    `request.throttled` tells the view, which shows the form again with what was typed (a
    complainant never loses their words to a throttle)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        throttle_class = PAGE_SCOPES.get(match.view_name) if match else None
        request.throttled = False
        if request.method == "POST" and throttle_class is not None:
            throttle = throttle_class()
            view = type("PageView", (), {"throttle_scope": throttle_class.scope})()
            if not throttle.allow_request(request, view):
                request.throttled = True
        return None
