"""Property-based requests against every operation of the committed schema (schemathesis):
no server error, and every response as the schema says."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from recruiters import services as credentials
from tests.certification.world import World
from tests.conftest import PROJECT_DIR

# The committed schema (a test keeps it equal to the generated one), called in process.
schema = schemathesis.openapi.from_path(PROJECT_DIR / "docs" / "openapi.yaml")
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: the WSGI handler must not close the test's connection
    (and its transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def reviewer_token(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    world = World()
    world.case_in("in_review")
    _token, secret = credentials.personal_token_create(user=world.reviewer, name="schemathesis")
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_the_schema_says(case, reviewer_token):
    cache.clear()  # throttling is tested on its own
    # A random header that happens to be named Host is the request's host: Django answers
    # 400 before any view when it is not an allowed one, as it must (not the API's to list).
    for name in [name for name in (case.headers or {}) if name.lower() == "host"]:
        del case.headers[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {reviewer_token}"},
        # Not checked: whether a well-formed request is accepted (a wrong password is
        # well-formed). A request outside the schema must be refused (negative data).
        excluded_checks=[positive_data_acceptance],
    )
