"""Actions on the parties' credentials."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recruiters import permissions
from recruiters.keys import EMPLOYER_PREFIX, PERSONAL_PREFIX, key_hash, new_secret
from recruiters.models import Employer, EmployerAPIKey, PersonalToken


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the key so that you recognise it later."})
    return name[:100]


def personal_token_create(*, user, name: str, expires_at=None) -> tuple[PersonalToken, str]:
    """A new token for the user; the secret is returned here once and never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    secret = new_secret(PERSONAL_PREFIX)
    token = PersonalToken.objects.create(
        user=user,
        name=_name(name),
        prefix=secret[:12],
        key_hash=key_hash(secret),
        expires_at=expires_at,
    )
    return token, secret


def personal_token_revoke(*, user, token: PersonalToken) -> PersonalToken:
    if token.user_id != user.pk:
        raise permissions_denied()
    with transaction.atomic():
        token = PersonalToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def employer_key_create(
    *, actor, employer: Employer, name: str, expires_at=None
) -> tuple[EmployerAPIKey, str]:
    """A new key for the employer, made by one of its members; shown once."""
    if not permissions.is_employer_member(actor, employer):
        raise permissions_denied()
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    secret = new_secret(EMPLOYER_PREFIX)
    key = EmployerAPIKey.objects.create(
        employer=employer,
        created_by=actor,
        name=_name(name),
        prefix=secret[:12],
        key_hash=key_hash(secret),
        expires_at=expires_at,
    )
    return key, secret


def employer_key_revoke(*, actor, key: EmployerAPIKey) -> EmployerAPIKey:
    if not permissions.is_employer_member(actor, key.employer):
        raise permissions_denied()
    with transaction.atomic():
        key = EmployerAPIKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
    return key


def permissions_denied() -> PermissionDenied:
    return PermissionDenied("not yours to manage")
