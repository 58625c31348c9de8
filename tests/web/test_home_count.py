"""The home page's count of certified agencies: read once a minute at most, not counted
over the register on every visit, and still right at once after a change of status."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from certification import services
from certification.status import certified_agency_count
from tests.certification.world import World

pytestmark = pytest.mark.django_db


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_count_is_cached_and_dropped_when_a_status_changes(
    django_capture_on_commit_callbacks,
):
    cache.clear()
    world = World()
    case = world.case_in("certified")
    client = Client()
    today = case.certificate.valid_from

    first = queries_of(client, "/")
    second = queries_of(client, "/")

    counting = [sql for sql in first if "COUNT(" in sql.upper()]
    assert len(counting) == 1
    assert not [sql for sql in second if "COUNT(" in sql.upper()]
    assert certified_agency_count(today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    assert certified_agency_count(today) == 0
