"""API throttling, on the shared cache: per anonymous address, per key or person."""

from rest_framework import throttling

from recruiters.models import EmployerAPIKey


class AnonymousThrottle(throttling.SimpleRateThrottle):
    """Per client address, for callers with neither a session, a token nor a key."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user.is_authenticated or isinstance(request.auth, EmployerAPIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(throttling.SimpleRateThrottle):
    """Per employer key, or per person."""

    scope = "key"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, EmployerAPIKey):
            ident = f"employer-key-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginThrottle(AnonymousThrottle):
    """Password guessing at the token endpoint, per address."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
