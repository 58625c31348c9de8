"""Every list endpoint costs the same number of queries for 1 row as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import services
from certification.models import StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from recruiters import services as credentials
from tests.certification.world import COMPLIANT, World
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def agencies_with_cases(world: World, count: int, state: str = "submitted"):
    cases = []
    for _ in range(count):
        agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
        case = services.case_open(actor=world.agency_member, agency=agency, standard=world.standard)
        if state == "submitted":
            services.self_assessment_save_answers(
                actor=world.agency_member, case=case, answers=dict(COMPLIANT)
            )
            services.case_submit(actor=world.agency_member, case=case)
        cases.append(case)
    return cases


def fresh_agency(world: World) -> None:
    """The world's agency is replaced by a new one, so that it may open another case."""
    world.agency = AgencyFactory()
    MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)


def employer_key(world):
    employer = world.employer_member.memberships.get(role="employer_member").employer
    return employer, credentials.employer_key_create(
        actor=world.employer_member, employer=employer, name="k"
    )[1]


def build_cases(world, n, api):
    agencies_with_cases(world, n)
    api.force_authenticate(world.agency_member)
    return "/api/v1/cases/"


def build_queue(world, n, api):
    agencies_with_cases(world, n)
    api.force_authenticate(world.reviewer)
    return "/api/v1/review-queue/"


def build_auditors(world, n, api):
    for _ in range(n - 2 if n > 2 else 0):
        MembershipFactory(auditor=True)
    api.force_authenticate(world.reviewer)
    return "/api/v1/auditors/"


def build_tokens(world, n, api):
    for i in range(n):
        credentials.personal_token_create(user=world.agency_member, name=f"t{i}")
    api.force_authenticate(world.agency_member)
    return "/api/v1/auth/tokens/"


def build_keys(world, n, api):
    employer = world.employer_member.memberships.get(role="employer_member").employer
    for i in range(n):
        credentials.employer_key_create(
            actor=world.employer_member, employer=employer, name=f"k{i}"
        )
    api.force_authenticate(world.employer_member)
    return "/api/v1/employer-keys/"


def build_watchlist(world, n, api):
    employer, secret = employer_key(world)
    for _ in range(n):
        WatchedAgency.objects.create(employer=employer, agency=AgencyFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return "/api/v1/watchlist/"


def build_webhooks(world, n, api):
    employer, secret = employer_key(world)
    for i in range(n):
        Webhook.objects.create(employer=employer, url=f"https://93.184.216.34/{i}", secret="s" * 40)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return "/api/v1/webhooks/"


def build_deliveries(world, n, api):
    employer, secret = employer_key(world)
    webhook = Webhook.objects.create(
        employer=employer, url="https://93.184.216.34/h", secret="s" * 40
    )
    fresh_agency(world)
    case = world.case_in("certified")
    for _ in range(n):
        event = StatusEvent.objects.create(
            agency=world.agency, case=case, old_status="a", new_status="b", payload={}
        )
        WebhookDelivery.objects.create(event=event, webhook=webhook)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return f"/api/v1/webhooks/{webhook.pk}/deliveries/"


def build_watchers(world, n, api):
    for _ in range(n):
        WatchedAgency.objects.create(employer=EmployerFactory(), agency=world.agency)
    api.force_authenticate(world.agency_member)
    return f"/api/v1/agencies/{world.agency.public_id}/watchers/"


def build_events(world, n, api):
    fresh_agency(world)
    case = world.case_in("certified")
    for _ in range(max(0, (n - 7) // 2)):
        services.case_suspend(actor=world.reviewer, case=case, reason="r")
        services.case_reinstate(actor=world.reviewer, case=case)
    api.force_authenticate(world.agency_member)
    return f"/api/v1/cases/{case.pk}/events/"


def _extra_audits(world, case, count):
    """Audits beside the case's own, each with a major finding on every criterion."""
    from datetime import date

    from audits.models import Audit, Finding
    from scoring.models import Criterion

    criteria = list(Criterion.objects.filter(standard=case.standard))
    audits = []
    for _ in range(count):
        audit = Audit.objects.create(
            case=case,
            kind="special",
            lead_auditor=world.auditor_membership,
            stage1_date=date(2026, 1, 5),
            stage2_date=date(2026, 1, 6),
        )
        for criterion in criteria:
            Finding.objects.create(
                audit=audit, criterion=criterion, grade="major", recorded_by=world.auditor
            )
        audits.append(audit)
    return audits


def build_audits(world, n, api):
    fresh_agency(world)
    case = world.case_in("certified")
    _extra_audits(world, case, n - 1)
    api.force_authenticate(world.agency_member)
    return f"/api/v1/cases/{case.pk}/audits/"


def build_corrective_actions(world, n, api):
    from datetime import date

    from audits.models import CorrectiveAction, Finding

    fresh_agency(world)
    case = world.case_in("certified")
    _extra_audits(world, case, (n + 2) // 3)
    findings = Finding.objects.filter(audit__case=case, corrective_action__isnull=True)
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(finding=finding, severity="major", plan_due=date(2026, 2, 1))
        for finding in findings[:n]
    )
    api.force_authenticate(world.agency_member)
    return f"/api/v1/cases/{case.pk}/corrective-actions/"


def build_identity_changes(world, n, api):
    from certification.services import identity

    for case in agencies_with_cases(world, n, state="draft"):
        identity.identity_change_request(
            actor=world.agency_member,
            agency=case.agency,
            values={"registration_number": f"NEW-{case.pk}"},
        )
    api.force_authenticate(world.reviewer)
    return "/api/v1/identity-changes/"


def build_agency_identity_changes(world, n, api):
    from certification.services import identity

    fresh_agency(world)
    for i in range(n):
        change = identity.identity_change_request(
            actor=world.agency_member, agency=world.agency, values={"name": f"Renamed {i}"}
        )
        identity.identity_change_reject(actor=world.reviewer, change=change, reason="No deed.")
    api.force_authenticate(world.agency_member)
    return f"/api/v1/agencies/{world.agency.public_id}/identity-changes/"


def build_agency_history(world, n, api):
    from certification.services import identity

    fresh_agency(world)
    for i in range(n):
        identity.agency_profile_update(
            actor=world.agency_member, agency=world.agency, data={"address": f"Street {i}"}
        )
    api.force_authenticate(world.reviewer)
    return f"/api/v1/agencies/{world.agency.public_id}/history/"


def build_complaints(world, n, api):
    from tests.monitoring.helpers import file_complaint

    for index in range(n):
        file_complaint(
            agency=world.agency if index % 2 else None,
            categories=["fee_paid"] if index % 3 else ["other"],
        )
    api.force_authenticate(world.reviewer)
    return "/api/v1/complaints/"


BUILDERS = {
    "complaints": build_complaints,
    "identity-changes": build_identity_changes,
    "agency-identity-changes": build_agency_identity_changes,
    "agency-history": build_agency_history,
    "audits": build_audits,
    "corrective-actions": build_corrective_actions,
    "cases": build_cases,
    "review-queue": build_queue,
    "auditors": build_auditors,
    "tokens": build_tokens,
    "employer-keys": build_keys,
    "watchlist": build_watchlist,
    "webhooks": build_webhooks,
    "deliveries": build_deliveries,
    "watchers": build_watchers,
    "events": build_events,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_list_costs_the_same_queries_for_1_and_50_rows(name, api):
    counts = []
    world = World()
    for rows in (1, 50):
        path = BUILDERS[name](world, rows, api)
        with CaptureQueriesContext(connection) as queries:
            response = api.get(path, {"page_size": 100})
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}  # paginated like every list
        assert len(body["results"]) >= rows  # the list really holds the rows it was given
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries for 1 row, {counts[1]} for 50"


@pytest.mark.parametrize("name", ["events", "audits", "corrective-actions", "deliveries"])
def test_a_list_inside_an_object_is_paginated_by_page_size(name, api):
    world = World()
    path = BUILDERS[name](world, 12, api)

    first = api.get(path, {"page_size": 5}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == len(second["results"]) == 5
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(set(ids)) == 10
    expected_order = sorted(ids, reverse=(name == "deliveries"))  # deliveries: newest first
    assert ids == expected_order


def test_the_case_filters_do_not_hide_a_cases_history(api):
    world = World()
    path = build_events(world, 1, api)

    response = api.get(path, {"state": "draft"})  # the case is certified

    assert response.status_code == 200
    assert response.json()["results"][0]["transition"] == "open"
