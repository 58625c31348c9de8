"""The agency's certified identity (issue 13 §3): editing the profile, requesting a change
of identity, and a reviewer's decision on it.

While the agency is under certification (`selectors.identity.agency_is_locked`), a change
of its name, legal name, registration number, licence number or country is saved as a
request and applied only when a reviewer approves it; approval reissues the agency's
certificates under the new identity (same number and verification code, the next
revision). Every change of the profile is logged in the agency's history, and a request
and its decision in the history of the agency's live cases too.

Locks: the agency's row first, then the request's, then the certificates' (by primary key).
"""

import copy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from certification import credentials
from certification.errors import TransitionNotAllowed
from certification.models import (
    IDENTITY_FIELDS,
    AgencyEvent,
    CertificateRevision,
    CertificationCase,
    IdentityChange,
    IdentityChangeState,
    TransitionEvent,
)
from certification.selectors.identity import (
    agency_is_locked,
    agency_live_cases,
    certificates_to_reissue,
    identity_change_pending,
)
from certification.services._base import lock_rows, record, require, require_reviewer
from certification.status import registry_cache_invalidate
from recruiters import permissions
from recruiters import services as parties
from recruiters.links.services import agency_details_refresh
from recruiters.models import Agency

PROFILE_FIELDS = ("address", "website", "size_band", "sectors", "corridors")
# What a member edits at once while the agency is not under certification; the
# registration number and the country identify the agency and change only by request.
DIRECT_WHEN_UNLOCKED = ("name", "legal_name", "licence_number")


class IdentityChangePending(TransitionNotAllowed):
    """A request while another is pending (HTTP 409): the message names the pending one."""

    def __init__(self, pending: IdentityChange):
        self.pending = pending
        super().__init__(
            gettext(
                "A change of identity is already pending for this agency: request "
                "%(id)s of %(when)s. Wait for its decision."
            )
            % {"id": pending.pk, "when": pending.requested_at.isoformat(timespec="seconds")},
            guard="identity_change_pending",
        )


def lock_agency(agency: Agency | int) -> Agency:
    """The agency's row, locked after the rows of its cases: the workflow's use cases lock a
    case, then its agency (events.status_before), and writing an event of a case needs that
    case's row, so the same order here keeps the two from waiting on each other."""
    pk = agency.pk if isinstance(agency, Agency) else agency
    lock_rows(CertificationCase.objects.filter(agency_id=pk).only("pk"))
    return Agency.objects.select_for_update().get(pk=pk)


def _value(agency: Agency, field: str):
    """A profile field as the history and the requests keep it (codes, sorted lists)."""
    if field == "country":
        return agency.country.code
    if field == "sectors":
        return sorted(agency.sectors.values_list("code", flat=True))
    if field == "corridors":
        return sorted(f"{c.origin.code}-{c.destination.code}" for c in agency.corridors.all())
    return getattr(agency, field)


def _normalised(field: str, value) -> str:
    value = "" if value is None else str(value)
    if field == "country":
        return value.strip().upper()
    return " ".join(value.split()) if field.endswith("_number") else value.strip()


def _identity_changes(agency: Agency, data: dict) -> dict:
    """The identity fields of `data` that differ from the agency's, normalised."""
    return {
        field: _normalised(field, data[field])
        for field in IDENTITY_FIELDS
        if field in data and _normalised(field, data[field]) != _value(agency, field)
    }


def _check_identity(agency: Agency, values: dict) -> None:
    """The agency as it would be with `values`: its fields valid, and no other agency of
    its country holding the same name, registration or licence number (ValidationError)."""
    candidate = copy.copy(agency)
    for field, value in values.items():
        setattr(candidate, field, value)
    candidate.full_clean()


def _diff(before: dict, after: dict) -> dict:
    return {
        field: {"before": before[field], "after": after[field]}
        for field in before
        if before[field] != after[field]
    }


def _record_on_cases(agency: Agency, name: str, source: str, target: str, change, **extra):
    """The request or decision in the history of each live case of the agency."""
    for case in agency_live_cases(agency):
        record(
            case,
            name,
            source,
            target,
            subject=(TransitionEvent.Subject.IDENTITY_CHANGE, change.pk),
            **extra,
        )


def _request(*, actor, agency: Agency, values: dict, now=None) -> IdentityChange:
    """A request for `values` on the locked agency row; checked and logged."""
    pending = identity_change_pending(agency)
    if pending is not None:
        raise IdentityChangePending(pending)
    _check_identity(agency, values)
    change = IdentityChange.objects.create(
        agency=agency,
        requested_by=actor,
        requested_at=now or timezone.now(),
        requested=values,
        before={field: _value(agency, field) for field in values},
    )
    changes = {f: {"before": change.before[f], "after": v} for f, v in values.items()}
    AgencyEvent.objects.create(
        agency=agency,
        kind=AgencyEvent.Kind.IDENTITY_CHANGE_REQUEST,
        actor=actor,
        identity_change=change,
        changes=changes,
        created_at=change.requested_at,
    )
    _record_on_cases(
        agency,
        "identity_change_request",
        "",
        IdentityChangeState.PENDING,
        change,
        actor=actor,
        snapshot={"changes": changes},
    )
    return change


def _require_editor(actor, agency: Agency) -> None:
    require(
        permissions.can_edit_agency_profile(actor, agency),
        gettext("only the agency's members edit its profile"),
    )


def agency_profile_update(
    *, actor, agency: Agency, data: dict, now=None
) -> tuple[Agency, IdentityChange | None]:
    """An agency member edits the profile. The profile fields (address, website, size band,
    sectors, corridors) are saved at once. While the agency is not under certification, so
    are its name, legal name and licence number; otherwise the changed identity fields
    become a request (returned), and the agency keeps its identity until a reviewer
    approves it (a registration number or country always does). Every
    saved change is logged. All of it or nothing: a bad value, or a request while another
    is pending (IdentityChangePending), changes nothing."""
    _require_editor(actor, agency)
    with transaction.atomic():
        agency = lock_agency(agency)
        identity = _identity_changes(agency, data)
        direct = {k: v for k, v in data.items() if k not in IDENTITY_FIELDS}
        change = None
        if identity:
            pending = identity_change_pending(agency)
            if pending is not None:
                raise IdentityChangePending(pending)
            requested = identity
            if not agency_is_locked(agency):
                direct.update({f: v for f, v in identity.items() if f in DIRECT_WHEN_UNLOCKED})
                requested = {f: v for f, v in identity.items() if f not in DIRECT_WHEN_UNLOCKED}
            if requested:
                change = _request(actor=actor, agency=agency, values=requested, now=now)
        logged = [*IDENTITY_FIELDS, *PROFILE_FIELDS]
        before = {field: _value(agency, field) for field in logged}
        parties.agency_update(actor=actor, agency=agency, data=direct)
        changes = _diff(before, {field: _value(agency, field) for field in logged})
        if changes:
            agency_details_refresh(agency)  # what the link check reads of its fields
            AgencyEvent.objects.create(
                agency=agency,
                kind=AgencyEvent.Kind.PROFILE_EDIT,
                actor=actor,
                changes=changes,
                created_at=now or timezone.now(),
            )
            # Its sectors and corridors are what the registry's filters read.
            transaction.on_commit(registry_cache_invalidate, robust=True)
    return agency, change


def identity_change_request(*, actor, agency: Agency, values: dict, now=None) -> IdentityChange:
    """An agency member asks to change its identity: any of name, legal name,
    registration number, licence number and country (the last two only by request,
    whether or not the agency is under certification). Only the values that differ from
    the agency's are kept; none: ValidationError."""
    _require_editor(actor, agency)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError({field: gettext("Not part of the identity.") for field in unknown})
    with transaction.atomic():
        agency = lock_agency(agency)
        changed = _identity_changes(agency, values)
        if not changed:
            raise ValidationError(
                gettext("Nothing to change: every value is the agency's already.")
            )
        return _request(actor=actor, agency=agency, values=changed, now=now)


def _lock_pending(change: IdentityChange, name: str) -> tuple[Agency, IdentityChange]:
    agency = lock_agency(change.agency_id)
    change = IdentityChange.objects.select_for_update().get(pk=change.pk)
    if change.state != IdentityChangeState.PENDING:
        raise TransitionNotAllowed(
            gettext("cannot %(step)s: the request is already %(state)s")
            % {"step": name, "state": change.get_state_display().lower()},
            guard="state",
        )
    return agency, change


def _require_impartial(actor, change: IdentityChange) -> None:
    """Nobody decides a request they made or one of their own agency."""
    if actor.pk == change.requested_by_id or permissions.is_agency_member(actor, change.agency):
        raise TransitionNotAllowed(
            gettext(
                "%(person)s asked for this change or belongs to the agency: another reviewer decides it"
            )
            % {"person": actor.username},
            guard="impartiality",
        )


def identity_change_approve(
    *, actor, change: IdentityChange, reason: str = "", now=None
) -> IdentityChange:
    """A reviewer approves a request (a reason is optional): the values are applied to the
    agency, checked again (another agency may have taken the name meanwhile: refused,
    guard `identity_taken`), and the agency's valid or suspended certificates, or a
    renewal's not yet valid, are reissued under the new identity."""
    require_reviewer(actor)
    now = now or timezone.now()
    with transaction.atomic():
        agency, change = _lock_pending(change, gettext("approve"))
        _require_impartial(actor, change)
        try:
            _check_identity(agency, change.requested)
        except ValidationError as error:
            raise TransitionNotAllowed(
                gettext("cannot approve: %(why)s") % {"why": " ".join(error.messages)},
                guard="identity_taken",
            ) from None
        for field, value in change.requested.items():
            setattr(agency, field, value)
        try:
            with transaction.atomic():  # a savepoint: the request stays pending on a refusal
                agency.save()
        except IntegrityError:
            # another agency took the name at this very moment, past the check above
            raise TransitionNotAllowed(
                gettext("cannot approve: another agency of the country holds this identity"),
                guard="identity_taken",
            ) from None
        change.approve(by=actor, reason=(reason or "").strip(), at=now)
        change.save()
        agency_details_refresh(agency)
        reissued = _reissue_certificates(agency, change, now)
        changes = {f: {"before": change.before[f], "after": v} for f, v in change.requested.items()}
        AgencyEvent.objects.create(
            agency=agency,
            kind=AgencyEvent.Kind.IDENTITY_CHANGE_APPROVE,
            actor=actor,
            identity_change=change,
            changes=changes,
            reason=change.decision_reason,
            created_at=now,
        )
        _record_on_cases(
            agency,
            "identity_change_approve",
            IdentityChangeState.PENDING,
            IdentityChangeState.APPROVED,
            change,
            actor=actor,
            reason=change.decision_reason,
            snapshot={"changes": changes, "reissued": reissued},
        )
    return change


def _reissue_certificates(agency: Agency, change: IdentityChange, now) -> list[dict]:
    """Each certificate that names the agency gets the next revision under its new
    identity, issued today; the superseded one is kept."""
    reissued = []
    # Only the certificates' rows (their cases are locked already, by lock_agency).
    certificates = (
        certificates_to_reissue(agency, timezone.localdate(now))
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for certificate in certificates:
        CertificateRevision.objects.create(
            certificate=certificate,
            revision=certificate.revision,
            agency_name=certificate.agency_name,
            agency_legal_name=certificate.agency_legal_name,
            agency_registration_number=certificate.agency_registration_number,
            agency_licence_number=certificate.agency_licence_number,
            agency_country=certificate.agency_country,
            issued_on=certificate.issued_on,
            superseded_at=now,
            superseded_by=change,
        )
        if certificate.agency_name != agency.name:
            # What the registry shows as "formerly": kept here, not looked up per row.
            certificate.former_name = certificate.agency_name
        certificate.agency_name = agency.name
        certificate.agency_legal_name = agency.legal_name
        certificate.agency_registration_number = agency.registration_number
        certificate.agency_licence_number = agency.licence_number
        certificate.agency_country = agency.country
        certificate.revision += 1
        certificate.issued_on = timezone.localdate(now)
        certificate.save()
        # A credential of the new revision; refused whole without a key, like certifying.
        credentials.follow_case(certificate.case, issue_missing=True, now=now)
        reissued.append({"number": certificate.number, "revision": certificate.revision})
    return reissued


def identity_change_reject(
    *, actor, change: IdentityChange, reason: str, now=None
) -> IdentityChange:
    """A reviewer rejects a request, with a reason; the agency keeps its identity."""
    require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("A reason is required to reject a change of identity.")}
        )
    now = now or timezone.now()
    with transaction.atomic():
        agency, change = _lock_pending(change, gettext("reject"))
        _require_impartial(actor, change)
        change.reject(by=actor, reason=reason, at=now)
        change.save()
        changes = {f: {"before": change.before[f], "after": v} for f, v in change.requested.items()}
        AgencyEvent.objects.create(
            agency=agency,
            kind=AgencyEvent.Kind.IDENTITY_CHANGE_REJECT,
            actor=actor,
            identity_change=change,
            changes=changes,
            reason=reason,
            created_at=now,
        )
        _record_on_cases(
            agency,
            "identity_change_reject",
            IdentityChangeState.PENDING,
            IdentityChangeState.REJECTED,
            change,
            actor=actor,
            reason=reason,
            snapshot={"changes": changes},
        )
    return change
