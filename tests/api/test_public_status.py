"""One public status: what webhooks announce is what the status endpoint answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.due_work import run_due_work
from certification.models import Certificate, StatusEvent
from tests.certification.world import COMPLIANT, RATIONALE, at, refreshed

pytestmark = pytest.mark.django_db


def test_the_old_case_expiring_after_its_renewal_took_over_announces_no_expiry(api, world):
    # Given a certificate that ended yesterday, and its renewal opened and audited in time.
    today = timezone.localdate()
    case = world.case_in("certified")
    Certificate.objects.filter(case=case).update(
        issued_on=today - timedelta(days=1000),
        valid_from=today - timedelta(days=1000),
        valid_until=today - timedelta(days=1),
    )
    renewal = services.case_open_renewal(
        actor=world.agency_member, case=refreshed(case), now=at(today - timedelta(days=30))
    )
    services.self_assessment_save_answers(
        actor=world.agency_member, case=renewal, answers=dict(COMPLIANT)
    )
    services.case_submit(actor=world.agency_member, case=renewal)
    services.case_plan_audit(
        actor=world.reviewer,
        case=renewal,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    services.case_start_audit(actor=world.auditor, case=refreshed(renewal))
    world.record_findings(refreshed(renewal))
    services.case_complete_audit(actor=world.auditor, case=refreshed(renewal))

    # When the renewal is certified today, and the scheduler then expires the old case.
    renewed = services.case_certify(
        actor=world.reviewer, case=refreshed(renewal), rationale=RATIONALE
    )
    run_due_work(now=timezone.now())

    # Then the status endpoint answers certified with the new certificate, and no webhook
    # event ever told employers otherwise: they were told certified, and it still is.
    assert renewed.valid_from == today
    assert refreshed(case).state == "expired"
    status = api.get(f"/api/v1/agencies/{world.agency.public_id}/status/").json()
    assert (status["status"], status["certificate"]["number"]) == ("certified", renewed.number)
    announced = [
        (event.case_id, event.old_status, event.new_status)
        for event in StatusEvent.objects.filter(agency=world.agency).order_by("occurred_at")
    ]
    assert announced == [(case.pk, "in_progress", "certified")]


def test_a_certificate_past_its_end_is_announced_expired_when_the_scheduler_ends_it(api, world):
    # Given a certificate that ended yesterday: the status endpoint already says expired,
    # employers' webhooks were last told certified.
    today = timezone.localdate()
    case = world.case_in("certified")
    Certificate.objects.filter(case=case).update(
        issued_on=today - timedelta(days=1000),
        valid_from=today - timedelta(days=1000),
        valid_until=today - timedelta(days=1),
    )

    # When the scheduler expires the case.
    run_due_work(now=timezone.now())

    # Then employers are told, once, what the status endpoint answers.
    assert api.get(f"/api/v1/agencies/{world.agency.public_id}/status/").json()["status"] == (
        "expired"
    )
    announced = [
        (event.old_status, event.new_status)
        for event in StatusEvent.objects.filter(agency=world.agency).order_by("occurred_at")
    ]
    assert announced == [("in_progress", "certified"), ("certified", "expired")]
    assert run_due_work(now=timezone.now()) == []
    assert StatusEvent.objects.filter(agency=world.agency).count() == 2
