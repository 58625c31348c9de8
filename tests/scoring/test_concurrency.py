"""Two operators loading the same new standard version at the same moment."""

import threading

import pytest
from django.db import connection

from scoring.models import Question, Standard
from scoring.services import standard_load
from scoring.standard_file import validate_standard
from tests.scoring.standard_data import valid_standard


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_loads_of_a_new_version_store_it_once():
    spec = validate_standard(valid_standard())
    barrier = threading.Barrier(2)
    outcomes, failures = [], []

    def load_it():
        try:
            barrier.wait(timeout=10)
            outcomes.append(standard_load(spec=spec).outcome)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=load_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert sorted(outcomes) == ["created", "unchanged"]
    assert Standard.objects.count() == 1
    assert Question.objects.count() == 6
