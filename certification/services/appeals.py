"""Appeals of the scheme's decisions (issue 14 §3, DOMAIN.md §7, ISO/IEC 17065 §7.13).

An agency's member appeals a refusal, a suspension or a withdrawal of its case within
APPEAL_PERIOD_DAYS of the decision (`appeal_lodge`); one appeal per decision. A reviewer
who neither took the decision nor audited the case answers it (`appeal_decide`): upheld,
the decision stands; overturned, the case's own transition `overturn` (`case_overturn`)
restores the state before the decision, with its event, notices and webhooks. The
decision stays in force meanwhile. `appeals_due` reminds the reviewers before an answer is
due and lists what is late (`run_due_work`).

Locks: the case row first, then the appeal's, as every use case of a case does; two
reviewers answering at once are serialised and the second finds the appeal answered (409).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audits.evidence import uploads_judged
from certification import transitions
from certification.errors import TransitionNotAllowed
from certification.labels import day, state_words
from certification.models import (
    APPEALABLE_DECISIONS,
    TERMINAL_STATES,
    Appeal,
    AppealFile,
    AppealOutcome,
    AppealState,
    CaseState,
    CertificationCase,
    TransitionEvent,
)
from certification.services._base import (
    decision_rationale,
    fire,
    lock_case,
    record,
    require,
    require_agency_member,
    require_reviewer,
)
from certification.tasks import send_notice
from recruiters import permissions
from recruiters.models import Agency

APPEAL = TransitionEvent.Subject.APPEAL
APPEAL_MAX_FILES = 10  # files joined to one appeal


def appeal_decision(case: CertificationCase) -> TransitionEvent | None:
    """The case's last own transition: the decision an appeal would be of."""
    return (
        TransitionEvent.objects.filter(case=case, subject_type=TransitionEvent.Subject.CASE)
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def appeal_period_end(decision: TransitionEvent) -> date:
    """The last day an appeal of the decision may be lodged."""
    return timezone.localdate(decision.created_at) + timedelta(days=settings.APPEAL_PERIOD_DAYS)


def _decision_words(decision: TransitionEvent) -> str:
    """ "the decision to suspend of 2027-03-01" """
    return gettext("the decision to %(step)s of %(day)s") % {
        "step": transitions.verb(decision.transition),
        "day": day(timezone.localdate(decision.created_at)),
    }


def appealable_decision(case: CertificationCase, today: date) -> TransitionEvent:
    """The decision the agency may appeal today, or TransitionNotAllowed naming why not:
    `state` (the case is not refused, suspended or withdrawn by a decision), `one_appeal`
    (already appealed), `appeal_period` (too late)."""
    decision = appeal_decision(case)
    if case.state not in (CaseState.REFUSED, CaseState.SUSPENDED, CaseState.WITHDRAWN):
        raise TransitionNotAllowed(
            gettext(
                "only a refusal, a suspension or a withdrawal can be appealed: the case is "
                "%(state)s"
            )
            % {"state": state_words(case.state)},
            guard="state",
        )
    step = decision.transition if decision else ""
    if step not in APPEALABLE_DECISIONS:
        raise TransitionNotAllowed(
            gettext("the case is %(state)s by %(step)s, not by a decision that can be appealed")
            % {"state": state_words(case.state), "step": transitions.verb(step)},
            guard="state",
        )
    earlier = Appeal.objects.filter(decision=decision).first()
    if earlier is not None:
        raise TransitionNotAllowed(
            gettext(
                "%(decision)s is already appealed (appeal %(appeal)s, lodged on %(day)s): "
                "a decision is appealed once"
            )
            % {
                "decision": _decision_words(decision),
                "appeal": earlier.pk,
                "day": day(timezone.localdate(earlier.lodged_at)),
            },
            guard="one_appeal",
        )
    until = appeal_period_end(decision)
    if today > until:
        raise TransitionNotAllowed(
            gettext(
                "an appeal is lodged within %(days)s days of the decision: %(decision)s "
                "could be appealed until %(until)s"
            )
            % {
                "days": settings.APPEAL_PERIOD_DAYS,
                "decision": _decision_words(decision),
                "until": day(until),
            },
            guard="appeal_period",
        )
    return decision


@dataclass(frozen=True)
class _Checked:
    upload: object
    content_type: str


def _checked_files(uploads) -> list[_Checked]:
    """Each file judged by its content as evidence is (audits.evidence.uploads_judged), at
    most EVIDENCE_MAX_BYTES; nothing is kept unless every file passes."""
    return [
        _Checked(upload, content_type)
        for upload, content_type in uploads_judged(
            uploads, max_files=APPEAL_MAX_FILES, max_bytes=settings.EVIDENCE_MAX_BYTES
        )
    ]


def _store(appeal: Appeal, checked: _Checked, actor) -> AppealFile:
    upload = checked.upload
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = AppealFile(
        appeal=appeal,
        original_name=(upload.name or "file")[:255],
        content_type=checked.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    stored.file.save("appeal", upload, save=False)
    stored.save()
    return stored


def appeal_lodge(*, actor, case: CertificationCase, grounds: str, files=(), now=None) -> Appeal:
    """A member of the case's agency appeals the refusal, suspension or withdrawal that
    put the case where it is, within APPEAL_PERIOD_DAYS of it, with the grounds and
    optional files. It is to be answered within APPEAL_ANSWER_DAYS."""
    require_agency_member(actor, case)
    now = now or timezone.now()
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError(
            {"grounds": gettext("Write the grounds of the appeal: why the decision is wrong.")}
        )
    checked = _checked_files(files)
    with transaction.atomic():
        case = lock_case(case)
        decision = appealable_decision(case, timezone.localdate(now))
        appeal = Appeal.objects.create(
            case=case,
            decision=decision,
            lodged_by=actor,
            grounds=grounds,
            lodged_at=now,
            due_by=timezone.localdate(now) + timedelta(days=settings.APPEAL_ANSWER_DAYS),
        )
        for one in checked:
            _store(appeal, one, actor)
        record(
            case,
            "appeal_lodge",
            "",
            appeal.state,
            actor=actor,
            reason=grounds,
            snapshot={
                "appeal": appeal.pk,
                "decision": decision.pk,
                "appealed": decision.transition,
                "due_by": appeal.due_by.isoformat(),
                "files": len(checked),
            },
            subject=(APPEAL, appeal.pk),
        )
    return appeal


def _require_independent(actor, appeal: Appeal, case: CertificationCase) -> None:
    """Nobody answers an appeal of their own decision, nor of a case they audited."""
    require(
        appeal.decision.actor_id != actor.pk,
        gettext("%(person)s took the decision appealed and cannot answer the appeal")
        % {"person": actor.username},
    )
    require(
        not case.audits.filter(lead_auditor__user=actor).exists(),
        gettext("%(person)s audited this case and cannot answer the appeal")
        % {"person": actor.username},
    )


def _require_no_other_live_case(case: CertificationCase) -> None:
    """A refused or withdrawn case is closed, so the agency may have opened another while
    its appeal waited: overturning would leave two live cases (the public status would say
    which?). Refused then, 409 `one_open_case`; the agency cancels the other case first.
    A renewal and the case it renews live side by side, as always. The agency row is locked
    as case_open locks it (after the case: the order identity changes lock in too)."""
    Agency.objects.select_for_update().get(pk=case.agency_id)
    others = (
        CertificationCase.objects.filter(agency_id=case.agency_id)
        .exclude(pk=case.pk)
        .exclude(state__in=TERMINAL_STATES)
        .exclude(previous_case=case)
    )
    if case.previous_case_id:
        others = others.exclude(pk=case.previous_case_id)
    other = others.order_by("pk").first()
    if other is not None:
        raise TransitionNotAllowed(
            gettext(
                "%(agency)s has another open case (%(case)s, %(state)s): overturning would "
                "leave two; that case is cancelled first"
            )
            % {"agency": case.agency.name, "case": other.pk, "state": state_words(other.state)},
            guard="one_open_case",
        )


def restored_state(decision: TransitionEvent) -> str:
    """The state an overturn restores: the one before the decision. A refusal returns the
    case to in_review, where it is decided afresh (one refused in corrective_action too:
    its closure dates are past, and the scheduler would refuse it again at once); a
    suspension to certified; a withdrawal to what it withdrew, certified or suspended."""
    if decision.transition == "refuse":
        return CaseState.IN_REVIEW
    return decision.source


def case_overturn(
    *, actor, case: CertificationCase, rationale: str = "", appeal: Appeal | None = None, now=None
) -> CertificationCase:
    """The case's `overturn`, fired only by `appeal_decide` with the appeal it answers
    (the generic transition route reaches here without one and is refused, guard
    `appeal`). Restores the state before the decision appealed, which must still be the
    case's last step (guard `decision_current`); employers are told of the public change."""
    require_reviewer(actor)
    if appeal is None:
        raise TransitionNotAllowed(
            gettext(
                "a decision is overturned only by answering an appeal of it "
                "(POST /api/v1/appeals/{id}/decide/, or the appeal's page)"
            ),
            guard="appeal",
        )
    now = now or timezone.now()
    with transaction.atomic():
        case = lock_case(case)
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        require(appeal.case_id == case.pk, "this appeal is not of this case")
        # Checked here too, not only by appeal_decide: whoever calls this use case.
        if appeal.state != AppealState.LODGED:
            raise TransitionNotAllowed(
                gettext("this appeal is already answered: %(outcome)s on %(day)s")
                % {
                    "outcome": appeal.get_state_display().lower(),
                    "day": day(timezone.localdate(appeal.decided_at)),
                },
                guard="state",
            )
        _require_independent(actor, appeal, case)
        _require_no_other_live_case(case)
        last = appeal_decision(case)
        if last is None or last.pk != appeal.decision_id:
            raise TransitionNotAllowed(
                gettext(
                    "the case has moved on since %(decision)s (it is now %(state)s): that "
                    "decision can no longer be overturned"
                )
                % {"decision": _decision_words(appeal.decision), "state": state_words(case.state)},
                guard="decision_current",
            )
        case.appeal_being_decided = appeal  # the transition's condition (models/cases.py)
        fire(
            case,
            "overturn",
            actor=actor,
            reason=rationale,
            snapshot={
                "appeal": appeal.pk,
                "decision": appeal.decision_id,
                "overturned": appeal.decision.transition,
            },
            today=timezone.localdate(now),
            restore=restored_state(appeal.decision),
            at=now,
        )
    return case


def appeal_decide(*, actor, appeal: Appeal, outcome: str, rationale: str, now=None) -> Appeal:
    """A reviewer answers a lodged appeal: `upheld` (the decision stands) or `overturned`
    (the case is restored by `case_overturn`), with a rationale of at least
    DECISION_RATIONALE_MIN_LENGTH characters. Refused (403) to the reviewer who took the
    decision appealed and to anyone who audited the case."""
    require_reviewer(actor)
    if outcome not in AppealOutcome.values:
        raise ValidationError(
            {
                "outcome": gettext("Answer %(choices)s.")
                % {"choices": gettext(" or ").join(AppealOutcome.values)}
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        case = lock_case(appeal.case_id)
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        if appeal.state != AppealState.LODGED:
            raise TransitionNotAllowed(
                gettext("this appeal is already answered: %(outcome)s on %(day)s")
                % {
                    "outcome": appeal.get_state_display().lower(),
                    "day": day(timezone.localdate(appeal.decided_at)),
                },
                guard="state",
            )
        _require_independent(actor, appeal, case)
        rationale = decision_rationale("overturn", rationale, actor)
        source = appeal.state
        if outcome == AppealOutcome.OVERTURNED:
            case_overturn(actor=actor, case=case, rationale=rationale, appeal=appeal, now=now)
            appeal.overturn(by=actor, rationale=rationale, at=now)
        else:
            appeal.uphold(by=actor, rationale=rationale, at=now)
        appeal.save()
        record(
            case,
            f"appeal_{'overturn' if outcome == AppealOutcome.OVERTURNED else 'uphold'}",
            source,
            appeal.state,
            actor=actor,
            reason=rationale,
            snapshot={"appeal": appeal.pk, "decision": appeal.decision_id},
            subject=(APPEAL, appeal.pk),
        )
    return appeal


def _claim(appeal: Appeal, field: str, now) -> bool:
    """Mark a reminder sent, once: True for the one run that marked it."""
    return bool(
        Appeal.objects.filter(pk=appeal.pk, **{f"{field}__isnull": True}).update(**{field: now})
    )


def _notify_once(appeal: Appeal, field: str, notice: str, now) -> bool:
    with transaction.atomic():
        first = _claim(appeal, field, now)
        if first:
            transaction.on_commit(
                partial(
                    send_notice,
                    appeal.case_id,
                    notice,
                    appeal.state,
                    f"appeal {appeal.pk}, to be answered by {appeal.due_by.isoformat()}",
                )
            )
    return first


def appeals_due(today: date, now=None) -> list[str]:
    """For `run_due_work`: the reviewers are reminded once COMPLAINT_REMINDER_DAYS before
    an appeal's answer is due, and told once when it is late; every late appeal is listed
    on every run."""
    now = now or timezone.now()
    lines = []
    lodged = Appeal.objects.filter(state=AppealState.LODGED).select_related("case__agency")
    for appeal in lodged.order_by("due_by", "pk"):
        what = f"appeal {appeal.pk} of case {appeal.case_id} of {appeal.case.agency.name}"
        if today > appeal.due_by:
            _notify_once(appeal, "overdue_notified_at", "appeal_overdue", now)
            late = (today - appeal.due_by).days
            lines.append(
                f"overdue: {what}, answer due {appeal.due_by.isoformat()} ({late} days late)"
            )
        elif (appeal.due_by - today).days <= settings.COMPLAINT_REMINDER_DAYS and _notify_once(
            appeal, "reminded_at", "appeal_reminder", now
        ):
            lines.append(f"reminded: {what}, answer due by {appeal.due_by.isoformat()}")
    return lines


def appeal_file_open(*, actor, appeal_file: AppealFile):
    """An appeal's file, for the agency's members and reviewers only."""
    case = appeal_file.appeal.case
    require(
        permissions.is_reviewer(actor) or permissions.is_agency_member(actor, case.agency),
        "this file is not yours to see",
    )
    return appeal_file.file.open("rb")
