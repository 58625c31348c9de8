"""A register of any size in realistic proportions, written through bulk inserts (issue 16):
for benchmarks and for sizing a deployment (`manage.py seed_scale --agencies 100000`).

What each agency gets is drawn from a seeded generator, so that two runs of the same size
write the same register. Out of every 100 agencies, 25 have no case, 50 hold a certificate
(40 certified, of which 4 on a renewal whose first certificate has expired; 3 suspended,
3 withdrawn, 4 expired) and 25 have a case in one of the other states (draft, submitted,
audit planned, auditing, corrective action, in review, refused, cancelled). Every case has
its self-assessment row (answers are not written) and the log of the transitions that took
it to its state, each dated as the services would date it; every audit begun has its
findings, one per criterion, completed audits all of them; each certificate has had its
surveillance audit every year; open non-conformities have their corrective actions.

The rows are written as the services and the scheduler would leave them: each agency's
current certificate kept (`superseded_on`), the certificate's scope from the agency's
corridors and sectors, decisions by a reviewer who did not audit the case, suspensions
within their limit, so that `run_due_work` finds nothing due. Not written: answers, the
agencies' public history of status changes (StatusEvent), complaints, appeals; the cases'
`created_at` is the day of the seed. Nobody can sign in as the accounts it makes
(unusable passwords).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audits.models import (
    Audit,
    AuditKind,
    AuditState,
    CorrectiveAction,
    CorrectiveActionState,
    Finding,
    SelfAssessment,
)
from certification.due_work import add_months
from certification.models import (
    Certificate,
    CertificationCase,
    Decision,
    DecisionOutcome,
    TransitionEvent,
)
from certification.models.cases import CaseKind, CaseState
from certification.services.decisions import add_years
from certification.transitions import event_names
from recruiters.models import Agency, CertificationBody, Corridor, Membership, Sector, SizeBand
from recruiters.models.parties import name_key
from scoring.models import Criterion, Standard

REASON = "Invented for a register at scale (seed_scale): no real decision."
PREFIX = "SC-"  # the registration numbers of seeded agencies: a run continues the numbering
BATCH = 2000  # agencies per transaction

ORIGINS = ["NP", "PH", "BD", "IN", "LK", "ID", "VN", "KH", "MM", "PK", "KE", "UG", "ET", "GH"]
DESTINATIONS = ["QA", "AE", "SA", "KW", "OM", "BH", "MY", "SG", "JP", "KR", "DE", "GB", "CA"]
FIRST = ["Himal", "Sagar", "Everest", "Manila", "Luzon", "Dhaka", "Bengal", "Lanka", "Java",
         "Mekong", "Nile", "Rift", "Gold", "Blue", "Bright", "Fair", "Sun", "Unity", "Harbour",
         "Summit", "Lotus", "Crescent", "Coral", "Silver"]  # fmt: skip
SECOND = ["Overseas", "Manpower", "Fair Jobs", "Recruitment", "Placement", "Workforce",
          "Employment", "Human Resources", "Careers", "Staffing", "Migration Services",
          "Global Jobs"]  # fmt: skip

# (state, share out of 100 agencies); None: no case.
PLAN = [
    (None, 25),
    ("renewed", 4),  # an expired first case and a certified renewal
    (CaseState.CERTIFIED, 36),
    (CaseState.SUSPENDED, 3),
    (CaseState.WITHDRAWN, 3),
    (CaseState.EXPIRED, 4),
    (CaseState.DRAFT, 4),
    (CaseState.SUBMITTED, 3),
    (CaseState.AUDIT_PLANNED, 3),
    (CaseState.AUDITING, 3),
    (CaseState.CORRECTIVE_ACTION, 3),
    (CaseState.IN_REVIEW, 3),
    (CaseState.REFUSED, 3),
    (CaseState.CANCELLED, 3),
]

# The case transitions that bring a case to each state, as (event, from, to).
_AUDITED = [
    ("submit", "draft", "submitted"),
    ("plan_audit", "submitted", "audit_planned"),
    ("start_audit", "audit_planned", "auditing"),
]
_CLEAN = [*_AUDITED, ("complete_audit", "auditing", "in_review")]
_CERTIFIED = [*_CLEAN, ("certify", "in_review", "certified")]
PATHS = {
    CaseState.DRAFT: [],
    CaseState.SUBMITTED: _AUDITED[:1],
    CaseState.AUDIT_PLANNED: _AUDITED[:2],
    CaseState.AUDITING: _AUDITED,
    CaseState.CORRECTIVE_ACTION: [*_AUDITED, ("complete_audit", "auditing", "corrective_action")],
    CaseState.IN_REVIEW: _CLEAN,
    CaseState.REFUSED: [
        *_AUDITED,
        ("complete_audit", "auditing", "corrective_action"),
        ("refuse", "corrective_action", "refused"),
    ],
    CaseState.CANCELLED: [*_AUDITED[:1], ("cancel", "submitted", "cancelled")],
    CaseState.CERTIFIED: _CERTIFIED,
    CaseState.SUSPENDED: [*_CERTIFIED, ("suspend", "certified", "suspended")],
    CaseState.WITHDRAWN: [*_CERTIFIED, ("withdraw", "certified", "withdrawn")],
    CaseState.EXPIRED: [*_CERTIFIED, ("expire", "certified", "expired")],
}
CERTIFICATE_STATES = {
    CaseState.CERTIFIED,
    CaseState.SUSPENDED,
    CaseState.WITHDRAWN,
    CaseState.EXPIRED,
}


ROWS = ("agencies", "corridors", "cases", "audits", "findings", "corrective_actions",
        "certificates", "events")  # fmt: skip


@dataclass
class Counts:
    agencies: int = 0
    corridors: int = 0
    cases: int = 0
    audits: int = 0
    findings: int = 0
    corrective_actions: int = 0
    certificates: int = 0
    events: int = 0
    by_state: dict = field(default_factory=dict)

    def add(self, other: "Counts") -> None:
        for name in ROWS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for state, count in other.by_state.items():
            self.by_state[state] = self.by_state.get(state, 0) + count


@dataclass(frozen=True)
class Parties:
    """Who the seeded cases were audited and decided by."""

    standard: Standard
    auditor: Membership
    reviewer: object  # a user
    agency_member: object  # a user, member of no agency: the one who submitted
    criteria: tuple  # (id, zero_tolerance)

    def actor(self, event: str):
        if event == "expire":
            return None  # the scheduler
        if event in {"submit", "cancel"}:
            return self.agency_member
        if event in {"start_audit", "complete_audit"}:
            return self.auditor.user
        return self.reviewer


def _validate_paths() -> None:
    known = event_names()
    unknown = {name for path in PATHS.values() for name, _s, _t in path} - known
    if unknown:  # the log's vocabulary is closed (certification/transitions.py)
        raise ValueError(f"unknown events in the seed's paths: {sorted(unknown)}")


def parties(standard: Standard) -> Parties:
    """The certification body, auditor and reviewer of the seeded cases (made once)."""
    users = get_user_model()
    today = timezone.localdate()
    body, _new = CertificationBody.objects.get_or_create(
        accreditation_number="SCALE-0001",
        defaults={
            "name": "Scale Certification Body",
            "country": "NP",
            "accredited_from": today - timedelta(days=3650),
            "accredited_until": today + timedelta(days=3650),
            "countries": ORIGINS,
        },
    )

    def user(username: str):
        person, new = users.objects.get_or_create(username=username)
        if new:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        return person

    auditor, _new = Membership.objects.get_or_create(
        user=user("scale-auditor"),
        role="auditor",
        defaults={"certification_body": body, "countries": ORIGINS, "languages": ["en"]},
    )
    reviewer = user("scale-reviewer")
    Membership.objects.get_or_create(user=reviewer, role="reviewer")
    criteria = tuple(
        Criterion.objects.filter(standard=standard)
        .order_by("principle__position", "position")
        .values_list("id", "zero_tolerance")
    )
    return Parties(
        standard=standard,
        auditor=auditor,
        reviewer=reviewer,
        agency_member=user("scale-agency-member"),
        criteria=criteria,
    )


def next_number() -> int:
    """The number after the highest seeded agency's, so that a second run adds agencies."""
    numbers = Agency.objects.filter(registration_number__startswith=PREFIX).values_list(
        "registration_number", flat=True
    )
    return (
        max((int(n[len(PREFIX) :]) for n in numbers if n[len(PREFIX) :].isdigit()), default=0) + 1
    )


def seed_scale(agencies: int, *, standard: Standard, seed: int = 16, progress=None) -> Counts:
    """Write `agencies` more agencies with their cases; `progress(done, total)` after each batch."""
    _validate_paths()
    who = parties(standard)
    sectors = list(Sector.objects.values_list("code", flat=True))
    first = next_number()
    rng = random.Random(seed * 1_000_003 + first)  # noqa: S311  (invented data, not secrets)
    plan = [state for state, share in PLAN for _ in range(share)]
    totals = Counts()
    for start in range(first, first + agencies, BATCH):
        numbers = range(start, min(start + BATCH, first + agencies))
        with transaction.atomic():
            totals.add(_batch(numbers, rng, plan, sectors, who))
        if progress:
            progress(start + len(numbers) - first, agencies)
    return totals


def _at(day: date) -> datetime:
    """Ten in the morning of `day`, and never later than now."""
    return min(timezone.make_aware(datetime.combine(day, time(10, 0))), timezone.now())


def _validity_days(today: date) -> int:
    return (add_years(today, settings.CERTIFICATE_VALIDITY_YEARS) - today).days


def _batch(numbers, rng, plan, sectors, who: Parties) -> Counts:
    counts = Counts()
    today = timezone.localdate()
    # Certificates in force began at most this long ago: more than the first renewal
    # reminder before their end (RENEWAL_REMINDER_DAYS), so that none is due yet.
    validity = _validity_days(today)
    youngest = validity - max(settings.RENEWAL_REMINDER_DAYS, default=0) - 5
    agencies, sector_links, corridors, states = [], [], [], []
    for number in numbers:
        country = ORIGINS[number % len(ORIGINS)]
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {number}"
        agencies.append(
            Agency(
                name=name,
                name_key=name_key(name),
                legal_name=f"{name} Private Limited",
                country=country,
                registration_number=f"{PREFIX}{number:07d}",
                licence_number=f"LIC-{number:07d}" if number % 3 else "",
                address=f"{number} Main Road",
                size_band=rng.choice(SizeBand.values),
            )
        )
        states.append(rng.choice(plan))
    Agency.objects.bulk_create(agencies)
    counts.agencies = len(agencies)
    through = Agency.sectors.through
    scope = {}
    for agency in agencies:
        chosen = sorted(rng.sample(sectors, rng.randint(1, min(3, len(sectors)))))
        pairs = sorted(
            {(agency.country.code, d) for d in rng.sample(DESTINATIONS, rng.randint(1, 3))}
        )
        sector_links += [through(agency_id=agency.pk, sector_id=code) for code in chosen]
        corridors += [Corridor(agency=agency, origin=o, destination=d) for o, d in pairs]
        scope[agency.pk] = {
            "countries": sorted({agency.country.code} | {d for _o, d in pairs}),
            "corridors": [f"{o}-{d}" for o, d in pairs],
            "sectors": chosen,
        }
    through.objects.bulk_create(sector_links)
    Corridor.objects.bulk_create(corridors)
    counts.corridors = len(corridors)

    # Cases: (case, its story) in order, written at once; a renewal's first case comes first.
    cases, stories = [], []
    for agency, state in zip(agencies, states, strict=True):
        if state is None:
            continue
        if state == "renewed":
            first_from = today - timedelta(days=rng.randint(validity + 5, validity + 200))
            stories.append(_story(agency, CaseState.EXPIRED, first_from, None, rng, today))
            renewal_from = add_years(first_from, settings.CERTIFICATE_VALIDITY_YEARS)
            stories.append(
                _story(agency, CaseState.CERTIFIED, renewal_from, stories[-1], rng, today)
            )
            stories[-2].superseded_on = renewal_from
        else:
            if state in CERTIFICATE_STATES:
                if state == CaseState.EXPIRED:
                    start = today - timedelta(days=rng.randint(validity + 5, validity + 400))
                else:
                    start = today - timedelta(days=rng.randint(0, youngest))
            else:
                # Opened long enough ago for each of its steps to be in the past.
                start = today - timedelta(days=rng.randint(10 * len(PATHS[state]) + 30, 250))
            stories.append(_story(agency, state, start, None, rng, today))
    for story in stories:
        cases.append(story.case(who))
    CertificationCase.objects.bulk_create(cases)
    for story, case in zip(stories, cases, strict=True):
        story.saved = case
        if story.previous is not None:
            case.previous_case_id = story.previous.saved.pk
    for story in stories:  # opened when its story began, not on the day of the seed
        story.saved.created_at = _at(story.opened)
    CertificationCase.objects.bulk_update(
        [s.saved for s in stories], ["previous_case", "created_at"], batch_size=1000
    )
    counts.cases = len(cases)
    for story in stories:
        counts.by_state[str(story.state)] = counts.by_state.get(str(story.state), 0) + 1

    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            case=s.saved, submitted_at=_at(s.opened + timedelta(days=10)) if s.path else None
        )
        for s in stories
    )
    events = [
        TransitionEvent(
            case=s.saved,
            transition=name,
            source=source,
            target=target,
            actor=who.actor(name),
            created_at=_at(day),
            reason="" if name not in {"suspend", "withdraw", "refuse"} else REASON,
        )
        for s in stories
        for (name, source, target), day in s.event_days()
    ]
    TransitionEvent.objects.bulk_create(events, batch_size=5000)
    counts.events = len(events)

    # The audit of each case audited, and the surveillance audits each certificate had by
    # today (once a year, as the scheduler wants them: certification/due_work.py).
    audits = [(s, a) for s in stories if (a := s.audit(who)) is not None]
    audits += [(s, a) for s in stories for a in s.surveillance(who, today)]
    Audit.objects.bulk_create([a for _s, a in audits])
    counts.audits = len(audits)
    findings, actions = [], []
    for story, audit in audits:
        if audit.state == AuditState.PLANNED:
            continue
        recorded = who.criteria if audit.state == AuditState.COMPLETED else who.criteria[:5]
        for index, (criterion_id, _zero) in enumerate(recorded):
            grade = story.grade(index, rng, surveillance=audit.kind == AuditKind.SURVEILLANCE)
            findings.append(
                Finding(
                    audit=audit,
                    criterion_id=criterion_id,
                    grade=grade,
                    effective_grade=grade if audit.state == AuditState.COMPLETED else "",
                    text="" if grade == "conforming" else "Seeded finding.",
                    recorded_by=who.auditor.user,
                )
            )
    Finding.objects.bulk_create(findings, batch_size=5000)
    counts.findings = len(findings)
    open_states = {CaseState.CORRECTIVE_ACTION, CaseState.REFUSED}
    for finding in findings:
        if finding.grade in {"minor", "major"}:
            case_state = finding.audit.case.state
            actions.append(
                CorrectiveAction(
                    finding=finding,
                    severity=finding.grade,
                    plan_due=finding.audit.stage2_date
                    + timedelta(days=30 if finding.grade == "major" else 60),
                    state=CorrectiveActionState.OPEN
                    if case_state in open_states
                    else CorrectiveActionState.VERIFIED,
                )
            )
    CorrectiveAction.objects.bulk_create(actions, batch_size=5000)
    counts.corrective_actions = len(actions)

    decided = [s for s in stories if s.state in CERTIFICATE_STATES or s.state == "refused"]
    decisions = [
        Decision(
            case=s.saved,
            reviewer=who.reviewer,
            outcome=DecisionOutcome.REFUSED if s.state == "refused" else DecisionOutcome.CERTIFIED,
            rationale=REASON,
            decided_at=_at(s.valid_from or s.opened + timedelta(days=10 * len(s.path))),
        )
        for s in decided
    ]
    Decision.objects.bulk_create(decisions)
    certificates = [
        s.certificate(decision, scope[s.agency.pk], who)
        for s, decision in zip(decided, decisions, strict=True)
        if s.state in CERTIFICATE_STATES
    ]
    Certificate.objects.bulk_create(certificates)
    counts.certificates = len(certificates)
    return counts


@dataclass
class _Story:
    """One case: its agency, the state it reaches, its dates."""

    agency: Agency
    state: str
    opened: date
    valid_from: date | None
    previous: "_Story | None"
    superseded_on: date | None = None
    suspended_on: date | None = None
    withdrawn_on: date | None = None
    saved: CertificationCase | None = None
    path: list = field(default_factory=list)
    faults: int = 0  # findings that are non-conformities

    def case(self, who: Parties) -> CertificationCase:
        audited = self.state not in {"draft", "submitted", "cancelled"}
        return CertificationCase(
            agency=self.agency,
            standard=who.standard,
            kind=CaseKind.RENEWAL if self.previous else CaseKind.INITIAL,
            state=self.state,
            assigned_auditor=who.auditor if audited else None,
            suspended_at=_at(self.suspended_on) if self.suspended_on else None,
        )

    @property
    def valid_until(self) -> date:
        return add_years(self.valid_from, settings.CERTIFICATE_VALIDITY_YEARS) - timedelta(days=1)

    def event_days(self):
        """Each event's day: the audit's steps ten days apart from the opening, then the
        decision on the certificate's first day, and what followed on its own day."""
        for step, event in enumerate(self.path):
            day = {
                "certify": self.valid_from,
                "suspend": self.suspended_on,
                "withdraw": self.withdrawn_on,
                "expire": self.valid_until + timedelta(days=1) if self.valid_from else None,
            }.get(event[0]) or self.opened + timedelta(days=10 * (step + 1))
            yield event, day

    def surveillance(self, who: Parties, today: date) -> list[Audit]:
        """A completed surveillance audit on each anniversary of the certificate passed by
        today (or by the end of its validity, its suspension or its withdrawal)."""
        if self.valid_from is None:
            return []
        end = min(today, self.valid_until, self.suspended_on or today, self.withdrawn_on or today)
        audits, number = [], 1
        interval = settings.SURVEILLANCE_INTERVAL_MONTHS
        while (due := add_months(self.valid_from, interval * number)) <= end:
            audits.append(
                Audit(
                    case=self.saved,
                    kind=AuditKind.SURVEILLANCE,
                    lead_auditor=who.auditor,
                    stage1_date=due - timedelta(days=7),
                    stage2_date=due,
                    state=AuditState.COMPLETED,
                    started_at=_at(due - timedelta(days=7)),
                    completed_at=_at(due),
                )
            )
            number += 1
        return audits

    def audit(self, who: Parties) -> Audit | None:
        if self.state in {"draft", "submitted", "cancelled"}:
            return None
        state = {
            "audit_planned": AuditState.PLANNED,
            "auditing": AuditState.IN_PROGRESS,
        }.get(self.state, AuditState.COMPLETED)
        stage1 = self.opened + timedelta(days=30)
        return Audit(
            case=self.saved,
            kind=AuditKind.INITIAL if self.previous is None else AuditKind.RECERTIFICATION,
            lead_auditor=who.auditor,
            stage1_date=stage1,
            stage2_date=stage1 + timedelta(days=7),
            state=state,
            started_at=None if state == AuditState.PLANNED else _at(stage1),
            # Completed on the day of the case's complete_audit event.
            completed_at=_at(stage1 + timedelta(days=10))
            if state == AuditState.COMPLETED
            else None,
        )

    def grade(self, index: int, rng: random.Random, surveillance: bool = False) -> str:
        # Cases that went to corrective action (or were refused) have non-conformities in
        # their first criteria; the others, and surveillance audits, a few observations.
        if not surveillance and self.state in {"corrective_action", "refused"} and index < 2:
            return "major" if index == 0 and self.state == "refused" else "minor"
        return "observation" if rng.random() < 0.05 else "conforming"

    def certificate(self, decision: Decision, scope: dict, who: Parties) -> Certificate:
        agency = self.agency
        number = (
            f"FR-S{agency.registration_number[len(PREFIX) :]}-{1 if self.previous is None else 2}"
        )
        return Certificate(
            case=self.saved,
            decision=decision,
            number=number,
            agency_name=agency.name,
            agency_legal_name=agency.legal_name,
            agency_registration_number=agency.registration_number,
            agency_licence_number=agency.licence_number,
            agency_country=agency.country,
            standard=who.standard,
            issued_on=self.valid_from,
            valid_from=self.valid_from,
            valid_until=add_years(self.valid_from, settings.CERTIFICATE_VALIDITY_YEARS)
            - timedelta(days=1),
            superseded_on=self.superseded_on,
            **scope,
        )


def _story(agency, state, start: date, previous, rng, today) -> _Story:
    certified = state in CERTIFICATE_STATES
    opened = start - timedelta(days=90) if certified else start
    story = _Story(
        agency=agency,
        state=state,
        opened=opened,
        valid_from=start if certified else None,
        previous=previous,
        path=list(PATHS[state]),
    )
    if previous is not None:  # a renewal opens before its first certificate ends
        story.path = list(_CERTIFIED)
    if state in {CaseState.SUSPENDED, CaseState.WITHDRAWN}:
        # Lately, after the certificate began: a suspension within the limit after which
        # the scheduler withdraws (SUSPENSION_LIMIT_DAYS), a withdrawal within the year.
        limit = max(1, settings.SUSPENSION_LIMIT_DAYS - 30) if state == CaseState.SUSPENDED else 365
        day = max(start + timedelta(days=1), today - timedelta(days=rng.randint(1, limit)))
        day = min(day, today)
        if state == CaseState.SUSPENDED:
            story.suspended_on = day
        else:
            story.withdrawn_on = day
    return story
