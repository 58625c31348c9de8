"""The worker survey's pages: a survey world, one of its codes, and a fresh throttle."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.monitoring.survey_helpers import survey_world


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return survey_world()


@pytest.fixture
def code(world):
    _batch, codes = world.issue(count=3, corridor=world.corridor, now=timezone.now())
    return codes[0]
