"""Actions on the parties' credentials."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recruiters import permissions
from recruiters.keys import EMPLOYER_PREFIX, PERSONAL_PREFIX, key_hash, new_secret
from recruiters.models import Corridor, Employer, EmployerAPIKey, PersonalToken, Sector


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the key so that you recognise it later."})
    return name[:100]


def personal_token_create(
    *, user, name: str, expires_at=None, two_factor: bool = False
) -> tuple[PersonalToken, str]:
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
        two_factor=two_factor,
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
    """A new key for the employer, made by one of its administrators; shown once."""
    if not permissions.is_employer_administrator(actor, employer):
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
    if not permissions.is_employer_administrator(actor, key.employer):
        raise permissions_denied()
    with transaction.atomic():
        key = EmployerAPIKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
    return key


def permissions_denied() -> PermissionDenied:
    return PermissionDenied("not yours to manage")


def agency_update(*, actor, agency, data: dict):
    """An agency member (or the scheme administrator) corrects the agency's profile. Pages
    and API call it through `certification.services.agency_profile_update`, which decides
    what may change at once (an agency under certification changes its identity only by a
    request a reviewer approves) and logs every edit in the agency's history.

    `data` may hold the plain fields, `sectors` (codes) and `corridors` (origin and
    destination pairs, replacing the list). Everything is validated before anything is saved.
    """
    if not permissions.can_edit_agency_profile(actor, agency):
        raise PermissionDenied("only the agency's members edit its profile")
    plain = {"name", "legal_name", "address", "website", "licence_number", "size_band"}
    with transaction.atomic():
        for field in plain & data.keys():
            setattr(agency, field, data[field])
        agency.full_clean()
        agency.save()
        if "sectors" in data:
            sectors = list(Sector.objects.filter(code__in=data["sectors"]))
            unknown = set(data["sectors"]) - {s.code for s in sectors}
            if unknown:
                raise ValidationError(
                    {"sectors": f"unknown sector(s): {', '.join(sorted(unknown))}"}
                )
            agency.sectors.set(sectors)
        if "corridors" in data:
            agency.corridors.all().delete()
            corridors = [
                Corridor(agency=agency, origin=c["origin"], destination=c["destination"])
                for c in data["corridors"]
            ]
            for corridor in corridors:
                corridor.full_clean(exclude=["agency"])
            Corridor.objects.bulk_create(corridors)
    return agency
