"""run_due_work: each kind of due item, done once, and the command's report."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from certification import due_work, services
from certification.due_work import add_months, run_due_work
from certification.models import RenewalReminder
from tests.certification.world import World, at, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def no_surveillance_due(settings):
    """For tests that jump years ahead and are about something else than surveillance."""
    settings.SURVEILLANCE_INTERVAL_MONTHS = 48


def test_a_certificate_past_its_validity_expires_once(world, no_surveillance_due):
    case = world.case_in("certified")
    until = case.certificate.valid_until

    assert [line for line in run_due_work(now=at(until)) if not line.startswith("reminded")] == []
    lines = run_due_work(now=at(until + timedelta(days=1)))

    assert lines == [
        f"expired: case {case.pk} of Kathmandu Fair Jobs, certificate {case.certificate.number} valid until {until}"
    ]
    assert refreshed(case).state == "expired"
    assert run_due_work(now=at(until + timedelta(days=1))) == []


def test_a_case_whose_major_is_not_closed_in_time_is_refused(world):
    case = world.case_in("auditing")
    world.record_findings(case, C1_1="major")
    services.case_complete_audit(actor=world.auditor, case=case)
    due = timezone.localdate() + timedelta(days=90)

    assert run_due_work(now=at(due)) == []
    lines = run_due_work(now=at(due + timedelta(days=1)))

    assert lines == [
        f"refused: case {case.pk} of Kathmandu Fair Jobs, majors not closed in time: C1.1"
    ]
    assert refreshed(case).state == "refused"
    decision = case.decisions.get()
    assert (decision.outcome, decision.reviewer, decision.rationale) == (
        "refused",
        None,
        "major non-conformities not closed by their deadline: C1.1",
    )


def test_an_overdue_surveillance_audit_suspends_after_the_grace_period(world):
    case = world.case_in("certified")
    due = add_months(case.certificate.valid_from, 12)

    assert run_due_work(now=at(due + timedelta(days=60))) == []
    lines = run_due_work(now=at(due + timedelta(days=61)))

    assert lines == [
        f"suspended: case {case.pk} of Kathmandu Fair Jobs, surveillance audit due {due} overdue"
    ]
    assert refreshed(case).state == "suspended"


def test_a_surveillance_audit_done_in_time_prevents_the_suspension(world):
    case = world.case_in("certified")
    today = timezone.localdate()
    services.surveillance_audit_plan(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    services.case_start_audit(actor=world.auditor, case=refreshed(case))
    world.record_findings(refreshed(case))
    services.case_complete_audit(actor=world.auditor, case=refreshed(case))
    due = add_months(case.certificate.valid_from, 12)

    assert run_due_work(now=at(due + timedelta(days=61))) == []
    assert refreshed(case).state == "certified"


def test_a_suspension_older_than_its_limit_becomes_a_withdrawal(world):
    case = world.case_in("suspended")
    since = refreshed(case).suspended_at

    assert run_due_work(now=since + timedelta(days=179)) == []
    lines = run_due_work(now=since + timedelta(days=181))

    assert lines == [
        f"withdrawn: case {case.pk} of Kathmandu Fair Jobs, suspended since {since:%Y-%m-%d}"
    ]
    assert refreshed(case).state == "withdrawn"


def test_renewal_reminders_go_out_90_and_30_days_before_expiry_once_each(
    world, no_surveillance_due, django_capture_on_commit_callbacks
):
    case = world.case_in("certified")
    until = case.certificate.valid_until

    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_work(now=at(until - timedelta(days=91))) == []
        first = run_due_work(now=at(until - timedelta(days=90)))
        again = run_due_work(now=at(until - timedelta(days=89)))
        second = run_due_work(now=at(until - timedelta(days=30)))

    assert first == [
        f"reminded: case {case.pk} of Kathmandu Fair Jobs, certificate ends in 90 days"
    ]
    assert again == []
    assert second == [
        f"reminded: case {case.pk} of Kathmandu Fair Jobs, certificate ends in 30 days"
    ]
    assert sorted(RenewalReminder.objects.values_list("days_before", flat=True)) == [30, 90]
    assert [m.to for m in mail.outbox if "renewal reminder" in m.subject] == [
        ["agency@example.org"],
        ["agency@example.org"],
    ]


def test_a_suspended_certificate_expires_too(world):
    case = world.case_in("suspended")

    lines = run_due_work(now=at(case.certificate.valid_until + timedelta(days=1)))

    assert [line.split(":")[0] for line in lines] == ["expired"]
    assert refreshed(case).state == "expired"


def test_the_command_prints_each_item_and_a_summary(world, no_surveillance_due):
    case = world.case_in("certified")
    day_after = case.certificate.valid_until + timedelta(days=1)
    out = io.StringIO()

    call_command("run_due_work", "--now", f"{day_after}T09:00:00+00:00", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"expired: case {case.pk}")
    assert lines[-1] == (
        f"run_due_work at {day_after}T09:00:00+00:00: 1 expired, 0 refused, 0 suspended, 0 withdrawn, 0 reminded, 0 overdue, 0 failed"
    )


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--now: not an ISO 8601 date and time: 'soon'"):
        call_command("run_due_work", "--now", "soon", stdout=io.StringIO())


def test_an_item_that_fails_is_reported_rolled_back_and_does_not_stop_the_others(
    world, no_surveillance_due, monkeypatch
):
    first = world.case_in("certified")
    until = first.certificate.valid_until
    real_expire = due_work.case_expire
    failing = {first.pk}

    def expire_or_fail(*, actor, case, now):
        if case.pk in failing:
            raise RuntimeError("mail server down")
        return real_expire(actor=actor, case=case, now=now)

    monkeypatch.setattr(due_work, "case_expire", expire_or_fail)
    other_agency = AgencyFactory()
    MembershipFactory(agency_member=True, agency=other_agency, user=world.agency_member)
    world.agency = other_agency
    second = world.case_in("certified")

    lines = run_due_work(now=at(until + timedelta(days=1)))

    assert lines[0] == f"failed: case {first.pk}: mail server down"
    assert lines[1].startswith(f"expired: case {second.pk}")
    assert (refreshed(first).state, refreshed(second).state) == ("certified", "expired")
    with pytest.raises(CommandError, match="1 item\\(s\\) failed; the next run tries them again"):
        call_command(
            "run_due_work",
            "--now",
            f"{until + timedelta(days=1)}T09:00:00+00:00",
            stdout=io.StringIO(),
        )
