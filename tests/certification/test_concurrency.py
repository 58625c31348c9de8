"""Nothing lost, nothing done twice, when people or schedulers act at the same moment."""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection

from certification import services
from certification.errors import TransitionNotAllowed
from certification.models import Certificate, TransitionEvent
from tests.certification.world import RATIONALE, World, refreshed
from tests.conftest import PROJECT_DIR
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def run_at_once(count: int, work) -> tuple[list, list]:
    barrier = threading.Barrier(count)
    results, failures = [], []

    def worker():
        try:
            barrier.wait(timeout=20)
            results.append(work())
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, failures


def test_eight_reviewers_certifying_at_once_issue_one_certificate():
    world = World()
    case = world.case_in("in_review")

    results, failures = run_at_once(
        8, lambda: services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
    )

    assert len(results) == 1
    assert len(failures) == 7
    assert all(isinstance(f, TransitionNotAllowed) and f.guard == "state" for f in failures), (
        failures
    )
    assert Certificate.objects.filter(case=case).count() == 1
    assert TransitionEvent.objects.filter(case=case, transition="certify").count() == 1
    assert refreshed(case).state == "certified"


def test_two_run_due_work_processes_at_once_handle_each_item_once():
    world = World()
    cases = [world.case_in("certified")]
    for _ in range(11):
        agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
        world.agency = agency
        cases.append(world.case_in("certified"))
    day_after = max(c.certificate.valid_until for c in cases) + timedelta(days=1)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": url}
    command = [sys.executable, "manage.py", "run_due_work", "--now", f"{day_after}T09:00:00+00:00"]

    processes = [
        subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    done = [
        line
        for stdout, _err in outputs
        for line in stdout.splitlines()
        if line.startswith("expired:")
    ]
    assert len(done) == 12
    assert len(set(done)) == 12
    assert TransitionEvent.objects.filter(transition="expire").count() == 12
    assert {refreshed(c).state for c in cases} == {"expired"}
