"""Every state and every transition, and every transition and every role (DESIGN.md §2)."""

import pytest
from django.core.exceptions import PermissionDenied

from certification import services
from certification.errors import TransitionNotAllowed
from certification.selectors import CaseAccess, case_replay_state
from certification.transitions import CASE_TRANSITIONS
from tests.certification.calls import ACTOR_ROLE, CALLS, TARGETS
from tests.certification.world import ALL_STATES, World, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "agency_member",
    "other_agency_member",
    "assigned_auditor",
    "other_auditor",
    "reviewer",
    "employer_member",
    "superuser",
    "scheduler",
]


@pytest.mark.parametrize("transition", sorted(CALLS))
@pytest.mark.parametrize("state", ALL_STATES)
def test_every_state_and_transition_reaches_the_documented_target_or_is_refused(state, transition):
    world = World()
    case = world.case_in(state)
    actor = world.actor(ACTOR_ROLE[transition])
    expected = TARGETS.get((state, transition))

    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            CALLS[transition](world, case, actor)
        assert refreshed(case).state == state
    else:
        CALLS[transition](world, case, actor)
        assert refreshed(case).state == expected
    assert case_replay_state(case=case) == refreshed(case).state


SOURCES = {transition: state for (state, transition) in TARGETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", sorted(CALLS))
def test_every_transition_and_role_has_the_documented_permission(transition, role):
    world = World()
    case = world.case_in(SOURCES[transition])
    allowed = role in CASE_TRANSITIONS[transition].roles

    if allowed:
        CALLS[transition](world, case, world.actor(role))
        assert refreshed(case).state == TARGETS[(SOURCES[transition], transition)]
    else:
        with pytest.raises(PermissionDenied):
            CALLS[transition](world, case, world.actor(role))
        assert refreshed(case).state == SOURCES[transition]


def test_the_state_cannot_be_assigned_directly():
    case = World().case_in("draft")

    with pytest.raises(AttributeError):
        case.state = "certified"


def test_refused_transition_names_the_state_guard():
    world = World()
    case = world.case_in("draft")

    with pytest.raises(TransitionNotAllowed) as caught:
        CALLS["certify"](world, case, world.reviewer)

    assert (caught.value.guard, str(caught.value)) == ("state", "cannot certify: the case is draft")


def case_available_transitions(*, case, user):
    return CaseAccess(user).available_transitions(case)


def test_available_transitions_depend_on_state_and_role():
    world = World()
    case = world.case_in("in_review")

    assert case_available_transitions(case=case, user=world.reviewer) == ["certify", "refuse"]
    assert case_available_transitions(case=case, user=world.agency_member) == []
    other_agency = AgencyFactory()
    MembershipFactory(agency_member=True, agency=other_agency, user=world.agency_member)
    draft = services.case_open(
        actor=world.agency_member, agency=other_agency, standard=world.standard
    )
    assert case_available_transitions(case=draft, user=world.agency_member) == ["cancel", "submit"]
    assert case_available_transitions(case=draft, user=world.reviewer) == []
