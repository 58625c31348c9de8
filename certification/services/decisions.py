"""The certification decision and the life of a certificate: suspension, reinstatement,
withdrawal, expiry and renewal."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from audits.models import AuditKind, AuditState
from certification import events
from certification.errors import TransitionNotAllowed
from certification.labels import day, state_words, system_reason
from certification.models import (
    CaseKind,
    CaseState,
    Certificate,
    CertificationCase,
    Decision,
    DecisionOutcome,
    TransitionEvent,
)
from certification.selectors import open_corrective_actions, open_major_codes
from certification.selectors.record import case_record
from certification.services._base import (
    SYSTEM,
    decision_rationale,
    fire,
    lock_case,
    lock_rows,
    record,
    require,
    require_agency_member,
    require_reviewer,
    require_reviewer_or_scheduler,
    require_transition,
    transition_reason,
)
from certification.services.assessment import case_open, newest_published
from certification.status import certificates_keep_current


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _scope(case: CertificationCase) -> dict:
    corridors = sorted((c.origin.code, c.destination.code) for c in case.agency.corridors.all())
    countries = sorted({case.agency.country.code} | {code for pair in corridors for code in pair})
    return {
        "countries": countries,
        "corridors": [f"{origin}-{destination}" for origin, destination in corridors],
        "sectors": sorted(case.agency.sectors.values_list("code", flat=True)),
    }


def _identity(case: CertificationCase) -> dict:
    """The agency as it was audited, recorded on its certificate."""
    agency = case.agency
    return {
        "agency_name": agency.name,
        "agency_legal_name": agency.legal_name,
        "agency_registration_number": agency.registration_number,
        "agency_licence_number": agency.licence_number,
        "agency_country": agency.country,
    }


def _require_impartial(actor, case: CertificationCase) -> None:
    """Nobody decides a case they audited."""
    if case.audits.filter(lead_auditor__user=actor).exists():
        raise TransitionNotAllowed(
            gettext("%(person)s audited this case and cannot decide it")
            % {"person": actor.username},
            guard="impartiality",
        )


def _confirmed(case: CertificationCase, confirmations) -> list[dict]:
    """What the reviewer confirmed as remediated: every item of the record's `to_confirm`
    (zero-tolerance and forced-labour findings, the worker costs declared), none unknown."""
    wanted = case_record(case).to_confirm
    given = {str(key) for key in confirmations or ()}
    unknown = sorted(given - {item.key for item in wanted})
    missing = [item for item in wanted if item.key not in given]
    if unknown:
        raise ValidationError(
            {
                "confirmations": gettext("Nothing of this case to confirm is called %(keys)s.")
                % {"keys": ", ".join(unknown)}
            }
        )
    if missing:
        raise ValidationError(
            {
                "confirmations": ngettext(
                    "Confirm that this has been remediated, and say how in the rationale: "
                    "%(items)s.",
                    "Confirm that each of these has been remediated, and say how in the "
                    "rationale: %(items)s.",
                    len(missing),
                )
                % {"items": "; ".join(item.what for item in missing)}
            }
        )
    return [{"key": item.key, "kind": item.kind, "what": item.what} for item in wanted]


def case_certify(
    *, actor, case: CertificationCase, rationale: str = "", confirmations=(), now=None
) -> Certificate:
    """A reviewer who did not audit the case certifies it, with no open major
    non-conformity, and the certificate is issued. The reviewer writes the rationale and
    confirms, one by one, that each zero-tolerance or forced-labour finding and the worker
    costs declared have been remediated; the confirmations are kept with the event. A renewal's
    certificate starts the day after the previous one ends."""
    require_reviewer(actor)
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "certify")
        status_before = events.status_before(case, today)  # before the certificate is issued
        _require_impartial(actor, case)
        open_majors = open_major_codes(case)
        if open_majors:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s major non-conformity is open: %(codes)s",
                    "%(count)s major non-conformities are open: %(codes)s",
                    len(open_majors),
                )
                % {"count": len(open_majors), "codes": ", ".join(open_majors)},
                guard="no_open_major",
            )
        rationale = decision_rationale("certify", rationale, actor)
        confirmed = _confirmed(case, confirmations)
        valid_from = today
        previous = (
            getattr(case.previous_case, "certificate", None) if case.previous_case_id else None
        )
        if previous is not None and previous.valid_until >= today:
            valid_from = previous.valid_until + timedelta(days=1)
        decision = Decision.objects.create(
            case=case,
            reviewer=actor,
            outcome=DecisionOutcome.CERTIFIED,
            rationale=rationale,
        )
        certificate = Certificate.objects.create(
            case=case,
            decision=decision,
            standard=case.standard,
            issued_on=today,
            valid_from=valid_from,
            valid_until=add_years(valid_from, settings.CERTIFICATE_VALIDITY_YEARS)
            - timedelta(days=1),
            **_scope(case),
            **_identity(case),
        )
        certificate.number = f"FR-{today.year}-{certificate.pk:06d}"
        certificate.save(update_fields=["number"])
        certificates_keep_current(case.agency_id)
        fire(
            case,
            "certify",
            actor=actor,
            reason=decision.rationale,
            status_before=status_before,
            today=today,
            snapshot={
                "decision": decision.pk,
                "certificate": certificate.number,
                "valid_from": certificate.valid_from.isoformat(),
                "valid_until": certificate.valid_until.isoformat(),
                "confirmed": confirmed,
            },
        )
    return certificate


def case_refuse(*, actor, case: CertificationCase, rationale: str, now=None) -> Decision:
    """A reviewer refuses certification, or the scheduler does when a deadline was missed."""
    require_reviewer_or_scheduler(actor)
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "refuse")
        if actor is not SYSTEM:
            _require_impartial(actor, case)
        rationale = decision_rationale("refuse", rationale, actor)
        decision = Decision.objects.create(
            case=case, reviewer=actor, outcome=DecisionOutcome.REFUSED, rationale=rationale
        )
        fire(case, "refuse", actor=actor, reason=rationale, snapshot={"decision": decision.pk})
    return decision


def case_suspend(*, actor, case: CertificationCase, reason: str, now=None) -> CertificationCase:
    """A reviewer suspends a certificate (a surveillance finding, a complaint), or the
    scheduler does when a surveillance audit is overdue."""
    require_reviewer_or_scheduler(actor)
    reason = transition_reason("suspend", reason)
    with transaction.atomic():
        case = lock_case(case)
        at = now or timezone.now()
        fire(case, "suspend", actor=actor, reason=reason, at=at, today=timezone.localdate(at))
    return case


def case_reinstate(*, actor, case: CertificationCase, reason: str = "") -> CertificationCase:
    """A reviewer lifts a suspension once its corrective actions are verified."""
    require_reviewer(actor)
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "reinstate")
        pending = list(
            open_corrective_actions(
                finding__audit__case=case,
                finding__audit__kind__in=[AuditKind.SURVEILLANCE, AuditKind.SPECIAL],
            )
            .order_by("finding__criterion__code")
            .values_list("finding__criterion__code", flat=True)
        )
        pending += [code for code in open_major_codes(case) if code not in pending]
        if pending:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s corrective action of the suspension is not verified: %(codes)s",
                    "%(count)s corrective actions of the suspension are not verified: %(codes)s",
                    len(pending),
                )
                % {"count": len(pending), "codes": ", ".join(pending)},
                guard="suspension_actions_verified",
            )
        fire(case, "reinstate", actor=actor, reason=transition_reason("reinstate", reason))
    return case


def _cancel_open_audits(case: CertificationCase, actor) -> None:
    for audit in lock_rows(
        case.audits.filter(state__in=[AuditState.PLANNED, AuditState.IN_PROGRESS])
    ):
        source = audit.state
        audit.cancel()
        audit.save()
        record(
            case,
            "audit_cancel",
            source,
            audit.state,
            actor=actor,
            subject=(TransitionEvent.Subject.AUDIT, audit.pk),
        )


def case_withdraw(*, actor, case: CertificationCase, reason: str) -> CertificationCase:
    """A reviewer withdraws a certificate, or the scheduler does when a suspension outlives its limit."""
    require_reviewer_or_scheduler(actor)
    reason = transition_reason("withdraw", reason)
    with transaction.atomic():
        case = lock_case(case)
        fire(case, "withdraw", actor=actor, reason=reason)
        _cancel_open_audits(case, actor)
    return case


def case_expire(*, actor, case: CertificationCase, now=None) -> CertificationCase:
    """The scheduler ends a certificate whose validity is over."""
    require(actor is SYSTEM, "only the scheduler expires a certificate")
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "expire")
        certificate = case.certificate
        if today <= certificate.valid_until:
            raise TransitionNotAllowed(
                gettext("the certificate is valid until %(day)s")
                % {"day": day(certificate.valid_until)},
                guard="validity_ended",
            )
        fire(
            case,
            "expire",
            actor=actor,
            reason=system_reason(
                case,
                gettext_noop("validity ended on %(day)s"),
                day=certificate.valid_until,
            ),
            snapshot={"certificate": certificate.number},
            today=today,
        )
        _cancel_open_audits(case, actor)
    return case


def case_open_renewal(
    *, actor, case: CertificationCase, standard=None, now=None
) -> CertificationCase:
    """The agency opens its renewal, from RENEWAL_WINDOW_DAYS before its certificate ends."""
    require_agency_member(actor, case)
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        case = lock_case(case)
        if case.state != CaseState.CERTIFIED:
            raise TransitionNotAllowed(
                gettext("a renewal opens from a certified case; this one is %(state)s")
                % {"state": state_words(case.state)},
                guard="state",
            )
        opens_on = case.certificate.valid_until - timedelta(days=settings.RENEWAL_WINDOW_DAYS)
        if today < opens_on:
            raise TransitionNotAllowed(
                gettext("the renewal opens %(days)s days before expiry, on %(day)s")
                % {"days": settings.RENEWAL_WINDOW_DAYS, "day": day(opens_on)},
                guard="renewal_window",
            )
        # A renewal is assessed against the newest published version of the same standard.
        return case_open(
            actor=actor,
            agency=case.agency,
            standard=standard or newest_published(case.standard.code),
            kind=CaseKind.RENEWAL,
            previous_case=case,
            language=case.language,
        )
