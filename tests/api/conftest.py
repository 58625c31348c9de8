import pytest
from rest_framework.test import APIClient

from recruiters import services as credentials
from tests.certification.world import World
from tests.factories import MembershipFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def employer_key(world):
    """An API key of the world's employer, and the secret to send."""
    membership = world.employer_member.memberships.get(role="employer_member")
    key, secret = credentials.employer_key_create(
        actor=world.employer_member, employer=membership.employer, name="procurement system"
    )
    return key, secret


@pytest.fixture
def keyed(api, employer_key):
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {employer_key[1]}")
    return api


def other_employer_member():
    return MembershipFactory(employer_member=True).user
