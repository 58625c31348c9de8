"""Keeping who and what stands behind an agency, with the normalised forms and name keys
the link check reads (recruiters/links/engine.py), and the reviewers' decisions on its
matches."""

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_countries import countries

from recruiters import permissions
from recruiters.links import engine
from recruiters.models import (
    Agency,
    AgencyDetail,
    DetailKind,
    LinkDecision,
    LinkReview,
    PersonKey,
    PersonRole,
    RelevantPerson,
)

NORMALISE = {
    DetailKind.NAME: engine.organisation_key,
    DetailKind.REGISTRATION: engine.identifier,
    DetailKind.LICENCE: engine.identifier,
    DetailKind.TAX: engine.identifier,
    DetailKind.ADDRESS: engine.address,
    DetailKind.PHONE: engine.phone,
    DetailKind.EMAIL_DOMAIN: engine.email_domain,
}
# The details the agency's own fields hold, kept as records too so that one index finds them.
FROM_AGENCY = {
    DetailKind.NAME: "name",
    DetailKind.REGISTRATION: "registration_number",
    DetailKind.LICENCE: "licence_number",
    DetailKind.ADDRESS: "address",
}


def keyed_hash(kind: str, value: str) -> str:
    """A number kept to be compared, never read back: HMAC-SHA256 under LINK_HASH_KEY."""
    message = f"{kind}:{engine.identifier(value)}".encode()
    return hmac.new(settings.LINK_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def document_hash(number: str, nationality: str = "") -> str:
    """An identity document by its number and the person's nationality: numbers repeat
    from one country's documents to another's."""
    if not number:
        return ""
    return keyed_hash("identity_document", f"{(nationality or '').upper()}:{number}")


@dataclass(frozen=True)
class PersonEntry:
    """A person as a form or the API gives them."""

    name: str
    role: str
    birth_year: int | None = None
    nationality: str = ""
    identity_document: str = ""  # kept hashed only
    since: date | None = None
    until: date | None = None


def _check_person(entry: PersonEntry, at: str) -> None:
    errors = {}
    if not engine.person_name(entry.name):
        errors[f"{at}.name"] = gettext("Give the person's name, in any script.")
    if entry.role not in PersonRole.values:
        errors[f"{at}.role"] = gettext("Choose director, owner or nominated officer.")
    if entry.nationality and entry.nationality not in countries:
        errors[f"{at}.nationality"] = gettext("Choose a country, or leave it empty.")
    if entry.birth_year is not None and not 1900 <= entry.birth_year <= timezone.now().year:
        errors[f"{at}.birth_year"] = gettext("A year of birth between 1900 and this year.")
    if entry.identity_document and not engine.identifier(entry.identity_document):
        errors[f"{at}.identity_document"] = gettext(
            "An identity document's number has letters or digits."
        )
    if entry.since and entry.until and entry.until < entry.since:
        errors[f"{at}.until"] = gettext("A role ends on or after the day it starts.")
    if errors:
        raise ValidationError(errors)


def people_errors(people) -> dict:
    """Every person's problems at once, each named by its place (people.1.birth_year)."""
    errors = {}
    for position, entry in enumerate(people):
        try:
            _check_person(entry, f"people.{position}")
        except ValidationError as refused:
            errors.update(refused.message_dict)
    return {name: " ".join(messages) for name, messages in errors.items()}


def _owner(owner) -> dict:
    """An agency's record, or an application's (Application: recruiters.models)."""
    return {"agency": owner} if isinstance(owner, Agency) else {"application": owner}


def person_add(owner, entry: PersonEntry, *, at: str = "person") -> RelevantPerson:
    """Record one person behind the agency (or the application), with the keys of their name."""
    _check_person(entry, at)
    person = RelevantPerson.objects.create(
        **_owner(owner),
        name=" ".join(entry.name.split()),
        role=entry.role,
        birth_year=entry.birth_year,
        nationality=entry.nationality,
        identity_document_hash=document_hash(entry.identity_document, entry.nationality),
        since=entry.since,
        until=entry.until,
    )
    PersonKey.objects.bulk_create(
        PersonKey(person=person, key=key, birth_year=person.birth_year)
        for key in sorted(engine.person_keys(person.name))
    )
    return person


def person_keys_refresh(person: RelevantPerson) -> None:
    """After a person's name or year changed elsewhere (the admin): their keys anew."""
    PersonKey.objects.filter(person=person).delete()
    PersonKey.objects.bulk_create(
        PersonKey(person=person, key=key, birth_year=person.birth_year)
        for key in sorted(engine.person_keys(person.name))
    )


def detail_normalise(detail: AgencyDetail) -> None:
    """A detail entered elsewhere (the admin): its normalised form (a bank account: the
    keyed hash, and only its last characters kept to show)."""
    if detail.kind == DetailKind.BANK_ACCOUNT:
        if not detail.value.startswith("…"):
            detail.normalised = keyed_hash(detail.kind, detail.value)
            detail.value = "…" + engine.identifier(detail.value)[-4:]
    else:
        detail.normalised = NORMALISE[detail.kind](detail.value)


def detail_add(owner, kind: str, value: str, *, since=None, until=None) -> AgencyDetail | None:
    """Record one identifier, address, phone, e-mail domain or bank account; None when the
    value normalises to nothing worth comparing (a public webmail domain, say)."""
    if kind not in DetailKind.values:
        raise ValidationError(
            {"kind": gettext("Unknown kind of detail: %(kind)s") % {"kind": kind}}
        )
    value = " ".join((value or "").split())
    if kind == DetailKind.BANK_ACCOUNT:
        if not engine.identifier(value):
            raise ValidationError(
                {"bank_account": gettext("A bank account has letters or digits.")}
            )
        normalised, shown = keyed_hash(kind, value), "…" + engine.identifier(value)[-4:]
    else:
        normalised, shown = NORMALISE[kind](value), value
    if not normalised:
        return None
    # The columns hold 255 characters: a longer address is compared by its beginning.
    return AgencyDetail.objects.create(
        **_owner(owner),
        kind=kind,
        value=shown[:255],
        normalised=normalised[:255],
        since=since,
        until=until,
    )


def agency_details_refresh(agency: Agency) -> None:
    """The details the agency's own fields hold (registration and licence numbers,
    address), kept as current records; a changed one is closed today, not deleted."""
    today = timezone.localdate()
    with transaction.atomic():
        for kind, field in FROM_AGENCY.items():
            values = [getattr(agency, field) or ""]
            if kind == DetailKind.NAME:
                values.append(agency.legal_name or "")
            wanted = {}
            for value in values:  # the first of two names alike is kept ("X", "X Ltd.")
                if NORMALISE[kind](value):
                    wanted.setdefault(NORMALISE[kind](value)[:255], value)
            current = AgencyDetail.objects.filter(agency=agency, kind=kind, until__isnull=True)
            current.exclude(normalised__in=list(wanted)).update(until=today)
            kept = set(current.values_list("normalised", flat=True))
            for normalised, value in wanted.items():
                if normalised not in kept:
                    detail_add(agency, kind, value, since=today)


def record_people_and_details(
    agency: Agency, people: Iterable[PersonEntry], details: Iterable[tuple[str, str]] = ()
) -> None:
    """Everything behind the agency at once, whole or not at all (a bad entry names its
    place: people.2.birth_year)."""
    people = list(people)
    errors = people_errors(people)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for position, entry in enumerate(people):
            person_add(agency, entry, at=f"people.{position}")
        for kind, value in details:
            detail_add(agency, kind, value)
        agency_details_refresh(agency)


def link_review_record(
    *, actor, subject, other, kind: str, mine: str, theirs: str, decision: str, note: str = ""
) -> LinkReview:
    """A reviewer judges one match between an agency or application (`subject`) and
    another: linked, or not the same. Kept; the newest stands."""
    if not permissions.is_reviewer(actor):
        raise PermissionDenied(gettext("only a reviewer may do this"))
    if type(other) is type(subject) and other.pk == subject.pk:
        raise ValidationError({"other": gettext("An agency is not linked to itself.")})
    if decision not in LinkDecision.values:
        raise ValidationError({"decision": gettext("Choose linked or not the same.")})
    return LinkReview.objects.create(
        **_owner(subject),
        **({"other": other} if isinstance(other, Agency) else {"other_application": other}),
        kind=kind,
        mine=mine[:255],
        theirs=theirs[:255],
        decision=decision,
        note=(note or "").strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )


def linked_party(public_id):
    """The agency or application a match names, by its public identifier; None if none."""
    from recruiters.models import Application

    if public_id is None:
        return None
    return (
        Agency.objects.filter(public_id=public_id).first()
        or Application.objects.filter(public_id=public_id).first()
    )
