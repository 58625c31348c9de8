"""seed_scale (issue 16): a register in realistic proportions that the pages read as they
read one made by the services, and query counts that do not grow with it."""

from collections import Counter
from itertools import pairwise

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import Audit, AuditState, CorrectiveAction, Finding
from certification.models import Certificate, CertificationCase, TransitionEvent
from certification.models.cases import CaseState
from certification.scale_seed import PLAN, PREFIX, seed_scale
from certification.status import current_certificates_queryset
from recruiters.models import Agency
from scoring.models import Criterion
from tests.certification.world import load_mini_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard():
    return load_mini_standard()


def test_the_plan_covers_every_state_and_adds_up_to_one_hundred():
    assert sum(share for _state, share in PLAN) == 100
    states = {state for state, _share in PLAN} - {None, "renewed"}
    assert states == set(CaseState.values)


def test_cases_reach_their_states_with_what_the_services_would_leave(standard):
    counts = seed_scale(400, standard=standard)
    assert counts.agencies == Agency.objects.count() == 400
    assert counts.cases == CertificationCase.objects.count()
    assert set(counts.by_state) == set(CaseState.values)
    criteria = Criterion.objects.filter(standard=standard).count()
    for case in CertificationCase.objects.prefetch_related("events", "audits"):
        events = list(case.events.all())
        if events:  # the log ends where the case is, each step starting where the last ended
            assert events[-1].target == case.state
            assert all(a.target == b.source for a, b in pairwise(events))
        else:
            assert case.state == CaseState.DRAFT
    for audit in Audit.objects.filter(state=AuditState.COMPLETED):
        assert audit.findings.count() == criteria
    certified = {CaseState.CERTIFIED, CaseState.SUSPENDED, CaseState.WITHDRAWN, CaseState.EXPIRED}
    assert set(Certificate.objects.values_list("case__state", flat=True)) == certified
    assert not CertificationCase.objects.filter(state__in=certified, certificate=None).exists()
    open_actions = CorrectiveAction.objects.filter(state="open")
    assert set(open_actions.values_list("finding__audit__case__state", flat=True)) <= {
        CaseState.CORRECTIVE_ACTION,
        CaseState.REFUSED,
    }
    assert counts.findings == Finding.objects.count()
    assert counts.events == TransitionEvent.objects.count()


def test_each_agency_has_one_current_certificate_and_renewals_supersede(standard):
    seed_scale(400, standard=standard)
    today = timezone.localdate()
    current = Counter(current_certificates_queryset(today).values_list("case__agency", flat=True))
    assert current and set(current.values()) == {1}
    with_certificates = Agency.objects.filter(cases__certificate__isnull=False).distinct()
    assert set(current) == set(with_certificates.values_list("pk", flat=True))
    renewals = CertificationCase.objects.filter(previous_case__isnull=False)
    assert renewals.exists()
    for renewal in renewals.select_related("certificate", "previous_case__certificate"):
        first = renewal.previous_case.certificate
        assert first.superseded_on == renewal.certificate.valid_from
        assert renewal.certificate.status == "valid"


def test_a_second_run_adds_agencies_after_the_first(standard):
    seed_scale(30, standard=standard)
    seed_scale(20, standard=standard)
    numbers = sorted(Agency.objects.values_list("registration_number", flat=True))
    assert numbers == [f"{PREFIX}{n:07d}" for n in range(1, 51)]


def test_the_command_refuses_a_database_that_may_be_live(standard, settings):
    settings.DEBUG = False
    settings.SCHEME_STANDARD_CODE = standard.code
    with pytest.raises(CommandError, match="--not-production"):
        call_command("seed_scale", agencies=5)
    assert not Agency.objects.exists()
    call_command("seed_scale", agencies=5, not_production=True)
    assert Agency.objects.count() == 5


def test_the_command_says_to_load_the_standard_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=r"no published version of .*: load it first"):
        call_command("seed_scale", agencies=5)


def _queries(client, path) -> int:
    cache.clear()  # what the view reads, not a page kept from before
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries)


PATHS = [
    "/api/v1/registry/",
    "/api/v1/registry/?country=PH&sector=construction&status=certified",
    "/registry/",
    "/registry/?country=NP",
    "/api/v1/registry/export/?file=csv",
    "/api/v1/registry/export/?file=xlsx",
]


def test_the_registers_query_counts_do_not_grow_with_it(standard):
    client = Client()
    seed_scale(60, standard=standard)  # every list has rows already: a page is read
    assert Certificate.objects.filter(agency_country="NP", case__state="certified").exists()
    small = {path: _queries(client, path) for path in PATHS}
    seed_scale(600, standard=standard)
    assert {path: _queries(client, path) for path in PATHS} == small


def test_the_scheduler_finds_nothing_due_in_a_seeded_register(standard, settings):
    """Surveillance audits each year, suspensions within their limit, no deadline passed:
    the register is one the scheduler has kept, not one it would change at once."""
    from certification.due_work import run_due_work

    seed_scale(400, standard=standard)
    assert Audit.objects.filter(kind="surveillance").exists()

    assert run_due_work() == []


def test_events_are_dated_as_the_decisions_and_certificates_they_made(standard):
    seed_scale(200, standard=standard)
    for certificate in Certificate.objects.select_related("case", "decision"):
        certify = certificate.case.events.get(transition="certify")
        assert certify.created_at.date() == certificate.valid_from == certificate.issued_on
        assert certificate.decision.decided_at.date() == certificate.valid_from
        for later in certificate.case.events.filter(id__gt=certify.id):
            assert later.created_at >= certify.created_at


def test_every_row_is_dated_between_its_cases_opening_and_now(standard):
    seed_scale(300, standard=standard)
    now = timezone.now()
    for case in CertificationCase.objects.prefetch_related("events", "audits"):
        assert case.created_at <= now
        for event in case.events.all():
            assert case.created_at <= event.created_at <= now, (case.state, event.transition)
        for audit in case.audits.all():
            assert audit.completed_at is None or case.created_at <= audit.completed_at <= now
