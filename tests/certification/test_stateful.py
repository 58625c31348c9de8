"""Random sequences of service calls by random people (hypothesis stateful testing).

After every step: a certificate exists exactly when the case is or was certified; no
certified case has an open major non-conformity; the events replay to the state."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from audits.models import CorrectiveAction
from certification import services
from certification.errors import TransitionNotAllowed
from certification.models import Certificate, TransitionEvent
from certification.selectors import case_replay_state
from tests.certification.calls import ACTOR_ROLE, CALLS, TARGETS
from tests.certification.world import (
    ALL_STATES,
    COMPLIANT,
    CRITERIA,
    RATIONALE,
    REFUSAL,
    World,
    after_validity,
    refreshed,
)

ROLES = [
    "agency_member",
    "other_agency_member",
    "assigned_auditor",
    "other_auditor",
    "reviewer",
    "employer_member",
    "scheduler",
]
roles = st.sampled_from(ROLES)


# The transitions each state allows, the one that moves the case on first: hypothesis
# prefers small choices, and a walk that ends early explores nothing.
FORWARD_FIRST = {
    "draft": ["submit", "cancel"],
    "submitted": ["plan_audit", "return_to_agency", "cancel"],
    "audit_planned": ["start_audit", "cancel"],
    "auditing": ["complete_audit"],
    "corrective_action": ["close_corrective_actions", "refuse"],
    "in_review": ["certify", "refuse"],
    "certified": ["suspend", "withdraw", "expire"],
    "suspended": ["reinstate", "withdraw", "expire"],
}
assert {(s, t) for s, ts in FORWARD_FIRST.items() for t in ts} == set(TARGETS)


def mostly(role: str):
    """Usually the role the call needs, sometimes anyone: deep states get reached, and
    people without the right still knock."""
    return st.sampled_from([role] * 6 + ROLES)


EXPECTED_FAILURES = (PermissionDenied, TransitionNotAllowed, ValidationError)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run in a savepoint, rolled back at teardown: runs never see each other.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.world = World()
        self.case = None

    @initialize(start=st.sampled_from(ALL_STATES))
    def start_from(self, start):
        """Any state, reached through the services, is a starting point."""
        self.case = self.world.case_in(start)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def attempt(self, call):
        try:
            with transaction.atomic():
                call()
        except EXPECTED_FAILURES:
            pass
        self.case = refreshed(self.case)

    def who(self, role):
        if role == "assigned_auditor" and self.case.assigned_auditor is not None:
            return self.case.assigned_auditor.user
        return self.world.actor(role)

    @rule(
        transition=st.sampled_from(sorted(CALLS)),
        right_role=st.sampled_from([True] * 4 + [False]),
        role=roles,
    )
    def any_transition(self, transition, right_role, role):
        """A case transition with valid arguments (findings recorded, corrective actions
        answered where needed), mostly by someone entitled to it."""
        actor = self.who(ACTOR_ROLE[transition] if right_role else role)
        self.attempt(lambda: CALLS[transition](self.world, self.case, actor))

    def _progress(self, choice, right_role, role):
        """A transition the current state allows, with valid arguments, mostly by someone entitled."""
        possible = FORWARD_FIRST.get(self.case.state, [])
        if not possible:
            return
        transition = possible[choice % len(possible)]
        self.any_transition(transition, right_role, role)

    # Named to sort first: hypothesis leans towards the first rules it knows of, and moving
    # the case on should be the common step.
    @rule(choice=st.integers(0, 5), right_role=st.sampled_from([True] * 4 + [False]), role=roles)
    def a_progress(self, choice, right_role, role):
        self._progress(choice, right_role, role)

    @rule(
        role=mostly("agency_member"),
        breach=st.sampled_from([False] * 5 + [True]),
        missing=st.sampled_from([False] * 5 + [True]),
    )
    def save_answers(self, role, breach, missing):
        answers = {**COMPLIANT, "C2.1-01": "yes" if breach else "no"}
        if missing:
            answers["A1-01"] = None
        self.attempt(
            lambda: services.self_assessment_save_answers(
                actor=self.who(role), case=self.case, answers=answers
            )
        )

    @rule(role=mostly("agency_member"))
    def submit(self, role):
        self.attempt(lambda: services.case_submit(actor=self.who(role), case=self.case))

    @rule(role=mostly("reviewer"))
    def return_to_agency(self, role):
        self.attempt(
            lambda: services.case_return_to_agency(
                actor=self.who(role), case=self.case, reason="Incomplete."
            )
        )

    @rule(role=mostly("reviewer"), other=st.booleans())
    def plan_audit(self, role, other):
        auditor = self.world.other_auditor_membership if other else self.world.auditor_membership
        today = timezone.localdate()
        self.attempt(
            lambda: services.case_plan_audit(
                actor=self.who(role),
                case=self.case,
                auditor=auditor,
                stage1_date=today,
                stage2_date=today,
            )
        )

    @rule(role=mostly("reviewer"))
    def plan_surveillance(self, role):
        today = timezone.localdate()
        self.attempt(
            lambda: services.surveillance_audit_plan(
                actor=self.who(role),
                case=self.case,
                auditor=self.world.auditor_membership,
                stage1_date=today,
                stage2_date=today,
            )
        )

    @rule(role=mostly("assigned_auditor"))
    def start_audit(self, role):
        self.attempt(lambda: services.case_start_audit(actor=self.who(role), case=self.case))

    @rule(
        role=mostly("assigned_auditor"),
        grades=st.lists(
            st.tuples(
                st.sampled_from(["conforming"] * 3 + ["observation", "minor", "major"]),
                st.booleans(),
            ),
            min_size=len(CRITERIA),
            max_size=len(CRITERIA),
        ),
    )
    def record_findings(self, role, grades):
        for criterion, (grade, tagged) in zip(CRITERIA, grades, strict=True):
            indicators = ["debt_bondage"] if tagged and grade != "conforming" else []
            self.attempt(
                lambda criterion=criterion, grade=grade, indicators=indicators: (
                    services.finding_record(
                        actor=self.who(role),
                        case=self.case,
                        criterion=criterion,
                        grade=grade,
                        indicators=indicators,
                    )
                )
            )

    @rule(role=mostly("assigned_auditor"))
    def complete_audit(self, role):
        self.attempt(lambda: services.case_complete_audit(actor=self.who(role), case=self.case))

    @rule(
        role=st.sampled_from(["agency_member", "assigned_auditor"] * 3 + ROLES),
        step=st.sampled_from(["submit", "accept", "reject", "verify"]),
        pick=st.integers(min_value=0, max_value=5),
    )
    def corrective_action(self, role, step, pick):
        actions = list(
            CorrectiveAction.objects.filter(finding__audit__case=self.case).order_by("pk")
        )
        if not actions:
            return
        action = actions[pick % len(actions)]
        actor = (
            action.finding.audit.lead_auditor.user if role == "assigned_auditor" else self.who(role)
        )
        calls = {
            "submit": lambda: services.corrective_action_submit(
                actor=actor, corrective_action=action, root_cause="Cause.", action="Action."
            ),
            "accept": lambda: services.corrective_action_accept(
                actor=actor, corrective_action=action, note="Answers the cause."
            ),
            "reject": lambda: services.corrective_action_reject(
                actor=actor, corrective_action=action, reason="No."
            ),
            "verify": lambda: services.corrective_action_verify(
                actor=actor, corrective_action=action, note="Records checked."
            ),
        }
        self.attempt(calls[step])

    @rule(role=mostly("assigned_auditor"))
    def close_corrective_actions(self, role):
        self.attempt(
            lambda: services.case_close_corrective_actions(actor=self.who(role), case=self.case)
        )

    @rule(role=mostly("reviewer"))
    def certify(self, role):
        self.attempt(
            lambda: services.case_certify(actor=self.who(role), case=self.case, rationale=RATIONALE)
        )

    @rule(role=mostly("reviewer"))
    def refuse(self, role):
        self.attempt(
            lambda: services.case_refuse(actor=self.who(role), case=self.case, rationale=REFUSAL)
        )

    @rule(role=mostly("reviewer"))
    def suspend(self, role):
        self.attempt(
            lambda: services.case_suspend(actor=self.who(role), case=self.case, reason="Complaint.")
        )

    @rule(role=mostly("reviewer"))
    def reinstate(self, role):
        self.attempt(lambda: services.case_reinstate(actor=self.who(role), case=self.case))

    @rule(role=mostly("reviewer"))
    def withdraw(self, role):
        self.attempt(
            lambda: services.case_withdraw(
                actor=self.who(role), case=self.case, reason="Complaint."
            )
        )

    @rule(role=mostly("scheduler"))
    def expire(self, role):
        now = (
            after_validity(self.case)
            if hasattr(self.case, "certificate")
            else timezone.now() + timedelta(days=2000)
        )
        self.attempt(lambda: services.case_expire(actor=self.who(role), case=self.case, now=now))

    @rule(role=roles, really=st.integers(min_value=0, max_value=9))
    def cancel(self, role, really):
        if really == 0:  # rarely: a cancelled case has nothing left to explore
            self.attempt(lambda: services.case_cancel(actor=self.who(role), case=self.case))

    @precondition(lambda self: self.case is not None)
    @invariant()
    def a_certificate_exists_exactly_when_the_case_is_or_was_certified(self):
        was_certified = TransitionEvent.objects.filter(
            case=self.case, transition="certify"
        ).exists()
        assert Certificate.objects.filter(case=self.case).exists() == was_certified
        if self.case.state in ("certified", "suspended"):
            assert was_certified

    @precondition(lambda self: self.case is not None)
    @invariant()
    def no_certified_case_has_an_open_major(self):
        if self.case.state == "certified":
            assert (
                not CorrectiveAction.objects.filter(
                    finding__audit__case=self.case, severity="major"
                )
                .exclude(state="verified")
                .exists()
            )

    @precondition(lambda self: self.case is not None)
    @invariant()
    def the_events_replay_to_the_state(self):
        assert case_replay_state(case=self.case) == self.case.state


CaseMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.django_db
def test_random_service_calls_keep_the_invariants():
    CaseMachine.TestCase("runTest").runTest()
