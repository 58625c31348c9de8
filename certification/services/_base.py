"""What every use case shares: locks, role checks, the state check, firing a transition
with its event and notices."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django_fsm import can_proceed

from certification import credentials, events, transitions
from certification.errors import TransitionNotAllowed
from certification.labels import state_words
from certification.models import CertificationCase, TransitionEvent
from certification.status import status_cache_invalidate
from certification.tasks import send_notice
from recruiters import permissions

SYSTEM = None  # the scheduler (run_due_work) acts with no user
# The transitions that put a certificate in force and so issue its credential when it has
# none (certification/credentials.py); the others change its status bits only.
ISSUING_TRANSITIONS = frozenset({"certify", "overturn"})


def lock_case(case: CertificationCase | int) -> CertificationCase:
    """The case row, locked until the transaction ends, read afresh."""
    pk = case.pk if isinstance(case, CertificationCase) else case
    return CertificationCase.objects.select_for_update().get(pk=pk)


def lock_rows(queryset):
    """Rows locked in primary-key order, so that two transactions never wait on each other."""
    return list(queryset.select_for_update().order_by("pk"))


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def require_agency_member(actor, case: CertificationCase) -> None:
    require(
        permissions.is_agency_member(actor, case.agency),
        gettext("only a member of the case's agency may do this"),
    )


def require_reviewer(actor) -> None:
    require(permissions.is_reviewer(actor), gettext("only a reviewer may do this"))


def require_reviewer_or_scheduler(actor) -> None:
    require(
        actor is SYSTEM or permissions.is_reviewer(actor), gettext("only a reviewer may do this")
    )


def require_auditor(actor) -> None:
    """Checked before the state: only auditors learn why an auditor's action cannot happen now."""
    require(
        permissions.is_auditor(actor), gettext("only the auditor assigned to the case may do this")
    )


def require_assigned_auditor(actor, case: CertificationCase) -> None:
    require(
        permissions.is_lead_auditor(actor, case.assigned_auditor),
        gettext("only the auditor assigned to the case may do this"),
    )


def require_transition(case: CertificationCase, name: str) -> None:
    """The state check: the transition must start from the case's current state."""
    if not can_proceed(getattr(case, name)):
        raise TransitionNotAllowed(
            gettext("cannot %(step)s: the case is %(state)s")
            % {"step": transitions.verb(name), "state": state_words(case.state)},
            guard="state",
        )


# What the registry shows changes with the case's own state and with a reissue under a
# new identity; an audit's or a corrective action's steps leave it as it is.
REGISTRY_SUBJECTS = frozenset(
    {TransitionEvent.Subject.CASE, TransitionEvent.Subject.IDENTITY_CHANGE}
)


def record(
    case,
    transition: str,
    source: str,
    target: str,
    *,
    actor,
    reason="",
    snapshot=None,
    subject=None,
):
    """Write the event and send the notices once the transaction commits."""
    subject_type, subject_id = subject if subject else (TransitionEvent.Subject.CASE, None)
    event = TransitionEvent.objects.create(
        case=case,
        subject_type=subject_type,
        subject_id=subject_id,
        transition=transition,
        source=source,
        target=target,
        actor=actor,
        reason=reason,
        snapshot=snapshot or {},
    )
    public_id, registry = case.agency.public_id, subject_type in REGISTRY_SUBJECTS

    def drop_kept_answers():  # a function, not a partial: a robust callback's failure is
        status_cache_invalidate(public_id, registry=registry)  # logged by its __qualname__

    # First, and robust: the cache away must not stop the callbacks after it (notices,
    # webhooks), and no kept answer outlives the change for want of them.
    transaction.on_commit(drop_kept_answers, robust=True)
    transaction.on_commit(partial(send_notice, case.pk, transition, target, reason))
    return event


def fire(
    case: CertificationCase,
    name: str,
    *,
    actor,
    reason: str = "",
    snapshot=None,
    status_before: str | None = None,
    today=None,
    **arguments,
):
    """Fire a case transition already checked, save, and record it. When the transition
    may change the agency's public status, employers watching it hear of a change once the
    transaction commits: `status_before` is read before the use case changed anything
    else (events.status_before; case_certify reads it before issuing the certificate), and
    the status after on `today` (the use case's day; default: today)."""
    entry = transitions.case_transition(name)
    require_transition(case, name)
    if entry.public and status_before is None:
        status_before = events.status_before(case, today)
    source = case.state
    getattr(case, name)(**arguments)
    case.save()
    event = record(case, name, source, case.state, actor=actor, reason=reason, snapshot=snapshot)
    if entry.public:
        # The credentials' status bits, or a new credential, in this same transaction: a
        # list never says valid for a certificate withdrawn by a committed transition.
        credentials.follow_case(case, issue_missing=name in ISSUING_TRANSITIONS)
        events.status_changed(case, status_before, today)
    return event


def require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("A reason is required to %(what)s.") % {"what": what}}
        )
    return reason


def transition_reason(name: str, reason: str) -> str:
    """The reason given for a case transition, stripped; refused when blank and the
    transition requires one (certification/transitions.py)."""
    entry = transitions.case_transition(name)
    if entry.reason is transitions.Reason.REQUIRED:
        return require_reason(reason, str(entry.reason_purpose))
    return (reason or "").strip()


def decision_rationale(name: str, rationale: str, actor) -> str:
    """A certification decision's rationale: written by the reviewer (never filled in for
    them), at least DECISION_RATIONALE_MIN_LENGTH characters. The scheduler's refusals
    carry their own reason."""
    rationale = (rationale or "").strip()
    entry = transitions.case_transition(name)
    if actor is SYSTEM:
        return transition_reason(name, rationale)
    least = settings.DECISION_RATIONALE_MIN_LENGTH
    if len(rationale) < least:
        raise ValidationError(
            {
                "reason": gettext(
                    "Write the rationale of the decision: what it rests on, in at least "
                    "%(count)s characters (%(given)s given) to %(what)s."
                )
                % {"count": least, "given": len(rationale), "what": entry.reason_purpose}
            }
        )
    return rationale


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
