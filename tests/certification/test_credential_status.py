"""A credential's status following its case (issue 17): suspension sets the bit and
reinstatement clears it, withdrawal revokes for good, an overturned withdrawal gets a new
credential, a reissue one of its revision; a kept list stops vouching; many at once on
PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from certification import services
from certification.models import Credential, IssuerKey, StatusList
from certification.services import identity
from certification.vc import core
from tests.certification.appeals_helpers import ANSWER, add_reviewer, lodged
from tests.certification.credentials_helpers import download, payload, verdict
from tests.certification.world import RATIONALE, World, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


# --- status following the case -------------------------------------------------------------


def test_suspension_sets_the_bit_reinstatement_clears_it_withdrawal_revokes(world, client):
    case = world.case_in("certified")
    certificate = case.certificate
    assert verdict(client, certificate).result == "valid"

    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint under investigation.")
    assert verdict(client, certificate) == core.Verdict(
        "suspended",
        "suspension",
        f"{payload(Credential.objects.get().token)['credentialStatus'][1]['id']}",
    )

    services.case_reinstate(actor=world.reviewer, case=refreshed(case))
    assert verdict(client, certificate).result == "valid"

    services.case_withdraw(
        actor=world.reviewer, case=refreshed(case), reason="Complaint substantiated."
    )
    assert verdict(client, certificate).result == "revoked"
    assert Credential.objects.get().revoked_at is not None


def test_withdrawn_while_suspended_reads_revoked_with_either_list_old(world, client):
    case = world.case_in("suspended")
    certificate = case.certificate
    _, _, before = download(client, certificate)
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")
    token, did_doc, after = download(client, certificate)
    credential = Credential.objects.get()
    assert (credential.suspended, credential.revoked_at is not None) == (True, True)
    assert core.verify(token, did_doc, after).result == "revoked"
    # An old revocation list beside a fresh suspension list: still not valid.
    revocation, suspension = (
        entry["statusListCredential"] for entry in payload(token)["credentialStatus"]
    )
    mixed = {revocation: before[revocation], suspension: after[suspension]}
    assert core.verify(token, did_doc, mixed).result == "suspended"


def test_a_list_kept_from_before_a_withdrawal_stops_vouching_after_a_day(world, client):
    case = world.case_in("certified")
    token, did_doc, kept = download(client, case.certificate)
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")
    later = timezone.now() + timedelta(hours=25)
    assert core.verify(token, did_doc, kept, now=later).reason == "status_list_expired"
    assert payload(next(iter(kept.values())))["validUntil"]


def test_a_certificate_without_credential_is_suspended_and_reinstated_without_a_key(world):
    """Certificates issued before credentials: their suspension never waits for a key."""
    case = world.case_in("certified")
    Credential.objects.all().delete()
    IssuerKey.objects.all().delete()
    with override_settings(CREDENTIAL_DEVELOPMENT_KEYS=False):
        services.case_suspend(
            actor=world.reviewer, case=case, reason="Complaint under investigation."
        )
        assert refreshed(case).state == "suspended"
        services.case_reinstate(actor=world.reviewer, case=refreshed(case))
        services.case_withdraw(
            actor=world.reviewer, case=refreshed(case), reason="Complaint substantiated."
        )
    assert refreshed(case).state == "withdrawn"
    assert not Credential.objects.exists()


def test_a_withdrawal_overturned_gets_a_new_credential_the_old_one_stays_revoked(world, client):
    add_reviewer(world)
    appeal = lodged(world, "withdrawn")
    case = appeal.case
    old = Credential.objects.get()
    services.appeal_decide(
        actor=world.appeal_reviewer, appeal=appeal, outcome="overturned", rationale=ANSWER
    )
    assert refreshed(case).state == "certified"
    old.refresh_from_db()
    new = Credential.objects.exclude(pk=old.pk).get()
    assert old.revoked_at is not None
    assert (new.revoked_at, new.suspended) == (None, False)
    assert new.status_index != old.status_index
    # What the API gives now is the new one, and it is valid; the old one is still revoked.
    token, did_doc, lists = download(client, case.certificate)
    assert token == new.token
    assert core.verify(token, did_doc, lists).result == "valid"
    assert core.verify(old.token, did_doc, lists).result == "revoked"


def test_a_reissue_under_a_new_name_gets_a_credential_of_its_revision(world, client):
    case = world.case_in("certified")
    identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )
    change = world.agency.identity_changes.get()
    identity.identity_change_approve(actor=world.reviewer, change=change)
    first, second = Credential.objects.order_by("pk")
    assert (first.revision, second.revision) == (1, 2)
    token, did_doc, lists = download(client, refreshed(case).certificate)
    assert token == second.token
    assert (
        payload(token)["credentialSubject"]["issuedToParty"]["tradingName"] == "Everest Fair Jobs"
    )
    assert core.verify(token, did_doc, lists).result == "valid"
    assert core.verify(first.token, did_doc, lists).result == "valid"  # the old revision too


# --- many at once (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_certifications_and_suspensions_at_once_keep_every_entry_and_bit_right(client):
    """Ten reviewers certify ten cases of one body at once: ten distinct entries of one
    list; then eight of them are suspended at once: exactly those eight read suspended."""
    from tests.certification.test_concurrency import run_at_once

    world = World()
    waiting = [world.case_in("in_review")]
    for _ in range(9):
        agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
        world.agency = agency
        waiting.append(world.case_in("in_review"))
    queue = list(waiting)
    results, failures = run_at_once(
        10,
        lambda: services.case_certify(actor=world.reviewer, case=queue.pop(), rationale=RATIONALE),
    )
    assert failures == [] and len(results) == 10
    assert sorted(Credential.objects.values_list("status_index", flat=True)) == list(range(10))
    assert StatusList.objects.get().next_index == 10

    cases = [refreshed(case) for case in waiting]
    suspended, kept = cases[:8], cases[8:]
    queue = list(suspended)
    results, failures = run_at_once(
        8,
        lambda: services.case_suspend(
            actor=world.reviewer, case=queue.pop(), reason="Complaint under investigation."
        ),
    )
    assert failures == [] and len(results) == 8
    connection.close()
    for case in suspended:
        assert verdict(client, refreshed(case).certificate).result == "suspended"
    for case in kept:
        assert verdict(client, refreshed(case).certificate).result == "valid"
