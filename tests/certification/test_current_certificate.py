"""Each agency's current certificate, kept by the services (`superseded_on`, `former_name`)
so that the registry reads it as a row filter: the same answer as the rule it replaces,
"the latest certificate already valid from the day", on every day around a renewal."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from certification import services
from certification.models import Certificate
from certification.status import certificates_keep_current, current_certificates_queryset
from tests.certification.world import COMPLIANT, RATIONALE, World, at, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def latest_valid_from(day):
    """The rule as it was: a subquery per certificate (the oracle here)."""
    latest = (
        Certificate.objects.filter(case__agency=OuterRef("case__agency"), valid_from__lte=day)
        .order_by("-valid_from", "-id")
        .values("pk")[:1]
    )
    return set(
        Certificate.objects.filter(valid_from__lte=day, pk=Subquery(latest)).values_list(
            "pk", flat=True
        )
    )


def renewed_early(world):
    """A certified case whose certificate ends in 20 days, renewed today: the renewal's
    certificate takes over the day after the old one ends."""
    today = timezone.localdate()
    case = world.case_in("certified")
    Certificate.objects.filter(case=case).update(
        issued_on=today - timedelta(days=1000),
        valid_from=today - timedelta(days=1000),
        valid_until=today + timedelta(days=20),
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
    new = services.case_certify(actor=world.reviewer, case=refreshed(renewal), rationale=RATIONALE)
    return Certificate.objects.get(case=case), new


def test_a_renewal_takes_over_on_its_first_day_as_the_rule_says():
    world = World()
    old, new = renewed_early(world)
    # Another agency's certificate, never superseded.
    world.agency = AgencyFactory(country="PH")
    MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
    world.case_in("certified")
    today = timezone.localdate()

    assert new.valid_from == old.valid_until + timedelta(days=1) == today + timedelta(days=21)
    assert (old.superseded_on, new.superseded_on) == (new.valid_from, None)
    for day in (today, old.valid_until, new.valid_from, new.valid_until + timedelta(days=1)):
        current = set(current_certificates_queryset(day).values_list("pk", flat=True))
        assert current == latest_valid_from(day), day
    assert old.pk in set(
        current_certificates_queryset(old.valid_until).values_list("pk", flat=True)
    )
    assert new.pk in set(current_certificates_queryset(new.valid_from).values_list("pk", flat=True))


def test_keeping_an_agencys_certificates_current_twice_changes_nothing():
    world = World()
    old, new = renewed_early(world)

    certificates_keep_current(world.agency.pk)

    assert Certificate.objects.get(pk=old.pk).superseded_on == new.valid_from
    assert Certificate.objects.get(pk=new.pk).superseded_on is None


def test_the_migration_fills_what_the_services_keep():
    world = World()
    _old, new = renewed_early(world)
    Certificate.objects.filter(pk=new.pk).update(former_name="Everest Jobs", revision=2)
    kept = dict(Certificate.objects.values_list("pk", "superseded_on"))
    Certificate.objects.update(superseded_on=None, former_name="")
    migration = importlib.import_module("certification.migrations.0010_certificate_current_kept")

    migration.fill(apps, None)

    assert dict(Certificate.objects.values_list("pk", "superseded_on")) == kept
    # No revision rows recorded that name: the migration finds no former name for it.
    assert Certificate.objects.get(pk=new.pk).former_name == ""


def test_the_bulk_check_summarises_a_certificate_as_the_status_endpoint_does():
    from certification.status import certificate_summary, supplier_check

    world = World()
    case = world.case_in("certified")
    Certificate.objects.filter(case=case).update(former_name="Everest Jobs", revision=2)
    certificate = Certificate.objects.select_related("standard", "case").get(case=case)

    [result] = supplier_check([{"id": world.agency.public_id}])

    assert result["certificate"] == certificate_summary(certificate)
    assert result["certificate"]["former_name"] == "Everest Jobs"
    assert result["agency"] == {
        "id": str(world.agency.public_id),
        "name": world.agency.name,
        "country": "NP",
    }
