"""API authentication: personal tokens (`Bearer`) and employer keys (`Api-Key`)."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions

from recruiters.keys import EMPLOYER_PREFIX, PERSONAL_PREFIX, key_hash
from recruiters.models import EmployerAPIKey, PersonalToken
from recruiters.two_factor import requires_two_factor

# Recording each use would write on every request; once an hour is enough to see use.
LAST_USED_RESOLUTION = timedelta(hours=1)


def _credentials(request, scheme: str) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1")
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != scheme.lower():
        return None
    return parts[1]


def _touch(model, key, now) -> None:
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_RESOLUTION:
        model.objects.filter(pk=key.pk).update(last_used_at=now)


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        secret = _credentials(request, self.keyword)
        if secret is None or not secret.startswith(PERSONAL_PREFIX):
            return None
        token = (
            PersonalToken.objects.select_related("user").filter(key_hash=key_hash(secret)).first()
        )
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired token.")
        if not token.two_factor and requires_two_factor(token.user):
            raise exceptions.AuthenticationFailed(
                "This token was issued without a second factor, which your role needs: "
                "ask for a new one with your code (POST /api/v1/auth/token/ with otp_token)."
            )
        _touch(PersonalToken, token, now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class EmployerKeyAuthentication(authentication.BaseAuthentication):
    """The key speaks for its employer; there is no person behind the request."""

    keyword = "Api-Key"

    def authenticate(self, request):
        secret = _credentials(request, self.keyword)
        if secret is None or not secret.startswith(EMPLOYER_PREFIX):
            return None
        key = (
            EmployerAPIKey.objects.select_related("employer")
            .filter(key_hash=key_hash(secret))
            .first()
        )
        now = timezone.now()
        if key is None or not key.is_usable(now):
            raise exceptions.AuthenticationFailed("Invalid, revoked or expired API key.")
        _touch(EmployerAPIKey, key, now)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return self.keyword
