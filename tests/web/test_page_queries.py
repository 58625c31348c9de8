"""No page costs more queries for 50 rows than for 1."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import Answer, CorrectiveAction, Finding
from certification import services
from certification.models import StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from recruiters import services as credentials
from scoring.models import Criterion, Principle
from tests.api.test_list_queries import agencies_with_cases, fresh_agency
from tests.certification.world import World
from tests.factories import AgencyFactory
from tests.web.pages import pdf_upload

pytestmark = pytest.mark.django_db


def _employer(world):
    return world.employer_member.memberships.get(role="employer_member").employer


def build_registry(world, n, state):
    for _ in range(n - state.get("registry", 0)):
        fresh_agency(world)
        world.case_in("certified")
    state["registry"] = n
    return None, "/registry/"


def build_registry_for_an_employer(world, n, state):
    """The registry with its Watch / Stop watching buttons: half the agencies watched."""
    build_registry(world, n, state)
    employer = _employer(world)
    for index, agency in enumerate(AgencyFactory._meta.model.objects.order_by("pk")):
        if index % 2:
            WatchedAgency.objects.get_or_create(employer=employer, agency=agency)
    return world.employer_member, "/registry/"


def build_queue(world, n, state):
    agencies_with_cases(world, n - state.get("queue", 0))
    state["queue"] = n
    return world.reviewer, "/review/"


def build_dashboard(world, n, state):
    agencies_with_cases(world, n - state.get("dashboard", 0))
    state["dashboard"] = n
    return world.agency_member, "/dashboard/"


def build_audits(world, n, state):
    today = timezone.localdate()
    for case in agencies_with_cases(world, n - state.get("audits", 0)):
        services.case_plan_audit(
            actor=world.reviewer,
            case=case,
            auditor=world.auditor_membership,
            stage1_date=today,
            stage2_date=today,
        )
    state["audits"] = n
    return world.auditor, "/audits/"


def build_watchlist(world, n, state):
    for _ in range(n - state.get("watchlist", 0)):
        WatchedAgency.objects.create(employer=_employer(world), agency=AgencyFactory())
    state["watchlist"] = n
    return world.employer_member, "/employer/watchlist/"


def build_keys(world, n, state):
    for i in range(n - state.get("keys", 0)):
        credentials.employer_key_create(
            actor=world.employer_member, employer=_employer(world), name=f"k{i}"
        )
    state["keys"] = n
    return world.employer_member, "/employer/api-keys/"


def build_webhooks(world, n, state):
    for i in range(n - state.get("webhooks", 0)):
        Webhook.objects.create(
            employer=_employer(world), url=f"https://93.184.216.34/{i}", secret="s" * 40
        )
    state["webhooks"] = n
    return world.employer_member, "/employer/webhooks/"


def _certified(world, state):
    if "certified" not in state:
        fresh_agency(world)
        state["certified"] = world.case_in("certified")
    return state["certified"]


def build_deliveries(world, n, state):
    case = _certified(world, state)
    webhook = state.setdefault(
        "webhook",
        Webhook.objects.create(
            employer=_employer(world), url="https://93.184.216.34/h", secret="s" * 40
        ),
    )
    for _ in range(n - state.get("deliveries", 0)):
        event = StatusEvent.objects.create(
            agency=case.agency, case=case, old_status="a", new_status="b", payload={}
        )
        WebhookDelivery.objects.create(event=event, webhook=webhook)
    state["deliveries"] = n
    return world.employer_member, f"/employer/webhooks/{webhook.pk}/"


def build_history(world, n, state):
    case = _certified(world, state)
    for _ in range(n - state.get("history", 0)):
        StatusEvent.objects.create(
            agency=case.agency,
            case=case,
            old_status="certified",
            new_status="suspended",
            payload={},
        )
    state["history"] = n
    return None, f"/agencies/{case.agency.public_id}/"


def build_case_events(world, n, state):
    case = _certified(world, state)
    while case.events.count() < n:
        services.case_suspend(actor=world.reviewer, case=case, reason="r")
        services.case_reinstate(actor=world.reviewer, case=case)
    return world.reviewer, f"/cases/{case.pk}/"


def build_principle_evidence(world, n, state):
    if "draft" not in state:
        fresh_agency(world)
        state["draft"] = world.case_in("draft")
        services.self_assessment_save_answers(
            actor=world.agency_member, case=state["draft"], answers={"A1-01": "yes"}
        )
    answer = Answer.objects.get(self_assessment__case=state["draft"])
    for _ in range(n - state.get("evidence", 0)):
        services.evidence_upload(actor=world.agency_member, upload=pdf_upload(), answer=answer)
    state["evidence"] = n
    return world.agency_member, f"/cases/{state['draft'].pk}/self-assessment/A/"


def build_audit_evidence(world, n, state):
    if "auditing" not in state:
        fresh_agency(world)
        case = state["auditing"] = world.case_in("auditing")
        services.finding_record(actor=world.auditor, case=case, criterion="A1", grade="conforming")
    finding = Finding.objects.get(audit__case=state["auditing"])
    for _ in range(n - state.get("evidence", 0)):
        services.evidence_upload(actor=world.auditor, upload=pdf_upload(), finding=finding)
    state["evidence"] = n
    return world.auditor, f"/cases/{state['auditing'].pk}/audit/"


def build_case_record(world, n, state):
    """The reviewer's case page: n findings beyond the standard's (each tagged with an
    indicator, with its corrective action), n files on answers, findings and corrective
    actions."""
    if "in_review" not in state:
        fresh_agency(world)
        case = world.case_in("corrective_action")
        world.answer_corrective_actions(case, verify_minors=True)
        services.case_close_corrective_actions(actor=world.auditor, case=case)
        state["in_review"] = case
        state["action"] = CorrectiveAction.objects.get(finding__audit__case=case)
    case, action = state["in_review"], state["action"]
    audit = case.audits.get()
    principle = Principle.objects.filter(standard=case.standard).first()
    answer = Answer.objects.filter(self_assessment__case=case).first()
    for i in range(state.get("record", 0), n):
        criterion = Criterion.objects.create(
            standard=case.standard,
            principle=principle,
            code=f"X{i}",
            text_en=f"Extra criterion {i}.",
            text_fr=f"Critère supplémentaire {i}.",
            weight=1,
            position=100 + i,
        )
        finding = Finding.objects.create(
            audit=audit,
            criterion=criterion,
            grade="minor",
            indicators=["deception"],  # one more item to confirm
            recorded_by=world.auditor,
        )
        CorrectiveAction.objects.create(
            finding=finding, severity="major", plan_due=timezone.localdate()
        )
        services.evidence_upload(actor=world.auditor, upload=pdf_upload(), finding=finding)
        services.evidence_upload(actor=world.agency_member, upload=pdf_upload(), answer=answer)
        services.evidence_upload(
            actor=world.agency_member, upload=pdf_upload(), corrective_action=action
        )
    state["record"] = n
    return world.reviewer, f"/cases/{case.pk}/"


def build_complaints(world, n, state):
    from tests.monitoring.helpers import file_complaint

    for index in range(n - state.get("complaints", 0)):
        file_complaint(agency=world.agency if index % 2 else None)
    state["complaints"] = n
    return world.reviewer, "/review/complaints/"


BUILDERS = {
    "complaints": build_complaints,
    "case-record": build_case_record,
    "registry": build_registry,
    "registry-for-an-employer": build_registry_for_an_employer,
    "review-queue": build_queue,
    "dashboard": build_dashboard,
    "audits": build_audits,
    "watchlist": build_watchlist,
    "api-keys": build_keys,
    "webhooks": build_webhooks,
    "deliveries": build_deliveries,
    "agency-history": build_history,
    "case-events": build_case_events,
    "principle-evidence": build_principle_evidence,
    "audit-evidence": build_audit_evidence,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_page_costs_the_same_queries_for_1_and_50_rows(name):
    world, state, counts = World(), {}, []
    for rows in (1, 50):
        person, url = BUILDERS[name](world, rows, state)
        client = Client()
        if person is not None:
            client.force_login(person)
        cache.clear()  # what the page costs when nothing is kept (the registry's count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{name}: {counts}"


def test_checking_50_suppliers_costs_what_checking_1_does(db):
    world = World()
    counts = []
    for rows in (1, 50):
        lines = "\n".join(str(AgencyFactory().public_id) for _ in range(rows))
        client = Client()
        client.force_login(world.employer_member)
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/employer/supplier-check/", {"suppliers": lines})
        assert len(response.context["results"]) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]
