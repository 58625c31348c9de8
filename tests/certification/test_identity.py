"""The certified identity through the services: which agencies are locked, a change of
identity saved as a request and applied only when approved, the certificate reissued
under the new identity, every edit of the profile logged (issue 13 §3)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification import services
from certification.errors import TransitionNotAllowed
from certification.models import (
    AgencyEvent,
    CertificateRevision,
    IdentityChange,
    IdentityChangeState,
    TransitionEvent,
)
from certification.selectors.identity import agency_is_locked
from certification.services import identity
from certification.status import former_name
from tests.certification.world import RATIONALE, World
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def rename(world, name="Everest Fair Jobs", **more):
    return identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": name, **more}
    )


@pytest.mark.parametrize(
    ("state", "locked"),
    [
        ("draft", False),
        ("submitted", True),
        ("audit_planned", True),
        ("auditing", True),
        ("corrective_action", True),
        ("in_review", True),
        ("certified", True),
        ("suspended", True),
        ("refused", False),
        ("withdrawn", False),
        ("expired", False),
        ("cancelled", False),
    ],
)
def test_an_agency_is_locked_from_submission_while_its_case_or_certificate_lives(
    world, state, locked
):
    world.case_in(state)

    assert agency_is_locked(world.agency) is locked


def test_an_agency_without_a_case_is_not_locked(world):
    assert agency_is_locked(world.agency) is False


def test_an_unlocked_agency_edits_its_name_at_once_and_the_edit_is_logged(world):
    world.case_in("draft")

    agency, change = rename(world, address="Thamel, Kathmandu")

    assert change is None
    agency.refresh_from_db()
    assert (agency.name, agency.address) == ("Everest Fair Jobs", "Thamel, Kathmandu")
    (event,) = AgencyEvent.objects.filter(agency=agency)
    assert (event.kind, event.actor, event.identity_change) == (
        "profile_edit",
        world.agency_member,
        None,
    )
    assert event.changes == {
        "name": {"before": "Kathmandu Fair Jobs", "after": "Everest Fair Jobs"},
        "address": {"before": "", "after": "Thamel, Kathmandu"},
    }


def test_a_locked_agency_renaming_itself_makes_a_request_and_keeps_its_name(world):
    case = world.case_in("submitted")

    agency, change = rename(world, website="https://kfj.example.org")

    agency.refresh_from_db()
    assert agency.name == "Kathmandu Fair Jobs"  # not applied
    assert agency.website == "https://kfj.example.org"  # the other fields are
    assert (change.state, change.requested, change.before, change.requested_by) == (
        IdentityChangeState.PENDING,
        {"name": "Everest Fair Jobs"},
        {"name": "Kathmandu Fair Jobs"},
        world.agency_member,
    )
    kinds = list(AgencyEvent.objects.filter(agency=agency).order_by("id").values_list("kind"))
    assert kinds == [("identity_change_request",), ("profile_edit",)]
    edit = AgencyEvent.objects.get(kind="profile_edit")
    assert edit.changes == {"website": {"before": "", "after": "https://kfj.example.org"}}
    event = TransitionEvent.objects.get(case=case, transition="identity_change_request")
    assert (event.subject_type, event.subject_id, event.source, event.target) == (
        "identity_change",
        change.pk,
        "",
        "pending",
    )
    assert event.snapshot == {
        "changes": {"name": {"before": "Kathmandu Fair Jobs", "after": "Everest Fair Jobs"}}
    }


def test_the_same_values_are_no_change_of_identity(world):
    world.case_in("submitted")

    _agency, change = rename(
        world, name=" Kathmandu Fair Jobs ", licence_number=world.agency.licence_number
    )

    assert change is None
    assert not AgencyEvent.objects.exists()
    assert not IdentityChange.objects.exists()


def test_a_registration_number_or_country_changes_only_by_request(world):
    # Given an agency with no case: its name is edited at once, its country is not.
    change = identity.identity_change_request(
        actor=world.agency_member,
        agency=world.agency,
        values={"country": "np", "registration_number": "NP-9"},
    )

    assert change.requested == {"registration_number": "NP-9"}  # NP is its country already
    world.agency.refresh_from_db()
    assert world.agency.registration_number != "NP-9"


def test_one_request_at_a_time(world):
    world.case_in("submitted")
    _agency, first = rename(world)

    with pytest.raises(identity.IdentityChangePending) as refused:
        rename(world, name="Annapurna Jobs", address="changed too")

    assert refused.value.guard == "identity_change_pending"
    assert str(refused.value) == (
        f"A change of identity is already pending for this agency: request {first.pk} of "
        f"{first.requested_at.isoformat(timespec='seconds')}. Wait for its decision."
    )
    world.agency.refresh_from_db()
    assert world.agency.address == ""  # nothing of the second edit is saved
    assert IdentityChange.objects.count() == 1


def test_the_database_holds_one_pending_request_per_agency(world):
    IdentityChange.objects.create(
        agency=world.agency,
        requested_by=world.agency_member,
        requested={"name": "A"},
        before={"name": "B"},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityChange.objects.create(
            agency=world.agency,
            requested_by=world.agency_member,
            requested={"name": "C"},
            before={"name": "B"},
        )


def test_a_request_for_a_name_another_agency_holds_is_refused_and_nothing_changes(world):
    world.case_in("submitted")
    AgencyFactory(name="Everest Fair Jobs", country="NP")

    with pytest.raises(ValidationError) as refused:
        rename(world, name="everest fair JOBS", address="new")

    assert refused.value.messages == [
        "An agency of this name is already registered in this country."
    ]
    assert not IdentityChange.objects.exists()
    assert not AgencyEvent.objects.exists()


def test_a_request_with_nothing_new_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        identity.identity_change_request(
            actor=world.agency_member, agency=world.agency, values={"name": world.agency.name}
        )

    assert refused.value.messages == ["Nothing to change: every value is the agency's already."]


def test_only_the_agencys_members_request_and_only_reviewers_decide(world):
    world.case_in("submitted")
    with pytest.raises(PermissionDenied):
        identity.identity_change_request(
            actor=world.reviewer, agency=world.agency, values={"name": "X"}
        )
    _agency, change = rename(world)

    for person in (world.agency_member, world.auditor, world.other_agency_member):
        with pytest.raises(PermissionDenied):
            identity.identity_change_approve(actor=person, change=change)
        with pytest.raises(PermissionDenied):
            identity.identity_change_reject(actor=person, change=change, reason="No.")
    change.refresh_from_db()
    assert change.state == IdentityChangeState.PENDING


def test_approval_of_a_rename_reissues_the_certificate_with_a_new_revision(world):
    case = world.case_in("certified")
    certificate = case.certificate
    issued, code, number = certificate.issued_on, certificate.verification_code, certificate.number
    _agency, change = rename(world)
    later = timezone.now() + timedelta(days=3)

    identity.identity_change_approve(actor=world.reviewer, change=change, now=later)

    world.agency.refresh_from_db()
    certificate.refresh_from_db()
    change.refresh_from_db()
    assert world.agency.name == "Everest Fair Jobs"
    assert (change.state, change.decided_by, change.decided_at, change.decision_reason) == (
        IdentityChangeState.APPROVED,
        world.reviewer,
        later,
        "",
    )
    assert (certificate.number, certificate.verification_code, certificate.revision) == (
        number,
        code,
        2,
    )
    assert (certificate.agency_name, certificate.issued_on) == (
        "Everest Fair Jobs",
        timezone.localdate(later),
    )
    (old,) = CertificateRevision.objects.filter(certificate=certificate)
    assert (old.revision, old.agency_name, old.issued_on, old.superseded_by, old.superseded_at) == (
        1,
        "Kathmandu Fair Jobs",
        issued,
        change,
        later,
    )
    assert (old.agency_registration_number, old.agency_country.code) == (
        world.agency.registration_number,
        "NP",
    )
    assert former_name(certificate) == "Kathmandu Fair Jobs"
    approve = TransitionEvent.objects.get(case=case, transition="identity_change_approve")
    assert (approve.source, approve.target, approve.actor) == (
        "pending",
        "approved",
        world.reviewer,
    )
    assert approve.snapshot["reissued"] == [{"number": number, "revision": 2}]
    assert (
        AgencyEvent.objects.filter(kind="identity_change_approve", identity_change=change).count()
        == 1
    )


def test_a_legal_name_change_reissues_without_a_former_name(world):
    certificate = world.case_in("certified").certificate
    change = identity.identity_change_request(
        actor=world.agency_member, agency=world.agency, values={"legal_name": "KFJ Pvt Ltd"}
    )

    identity.identity_change_approve(actor=world.reviewer, change=change, reason="Deed seen.")

    certificate.refresh_from_db()
    assert (certificate.revision, certificate.agency_legal_name) == (2, "KFJ Pvt Ltd")
    assert former_name(certificate) is None
    change.refresh_from_db()
    assert change.decision_reason == "Deed seen."


def test_no_former_name_once_the_certificate_is_withdrawn(world):
    case = world.case_in("certified")
    _agency, change = rename(world)
    identity.identity_change_approve(actor=world.reviewer, change=change)
    services.case_withdraw(actor=world.reviewer, case=case, reason="Complaint substantiated.")

    case.certificate.refresh_from_db()
    case.refresh_from_db()
    assert former_name(case.certificate) is None


def test_approval_before_certification_changes_the_agency_and_the_future_certificate(world):
    case = world.case_in("in_review")
    _agency, change = rename(world)

    identity.identity_change_approve(actor=world.reviewer, change=change)
    services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    case.refresh_from_db()
    assert (case.certificate.agency_name, case.certificate.revision) == ("Everest Fair Jobs", 1)
    assert not CertificateRevision.objects.exists()


def test_approval_is_refused_when_another_agency_took_the_name_meanwhile(world):
    certificate = world.case_in("certified").certificate
    _agency, change = rename(world)
    AgencyFactory(name="Everest Fair Jobs", country="NP")

    with pytest.raises(TransitionNotAllowed) as refused:
        identity.identity_change_approve(actor=world.reviewer, change=change)

    assert refused.value.guard == "identity_taken"
    assert str(refused.value) == (
        "cannot approve: An agency of this name is already registered in this country."
    )
    change.refresh_from_db()
    certificate.refresh_from_db()
    world.agency.refresh_from_db()
    assert (change.state, certificate.revision, world.agency.name) == (
        "pending",
        1,
        "Kathmandu Fair Jobs",
    )


def test_a_rejection_needs_a_reason_and_keeps_the_identity(world):
    case = world.case_in("certified")
    _agency, change = rename(world)

    with pytest.raises(ValidationError) as refused:
        identity.identity_change_reject(actor=world.reviewer, change=change, reason="  ")
    assert refused.value.message_dict == {
        "reason": ["A reason is required to reject a change of identity."]
    }

    identity.identity_change_reject(
        actor=world.reviewer, change=change, reason="No deed of the new name."
    )

    change.refresh_from_db()
    world.agency.refresh_from_db()
    case.certificate.refresh_from_db()
    assert (change.state, change.decision_reason) == ("rejected", "No deed of the new name.")
    assert (world.agency.name, case.certificate.revision) == ("Kathmandu Fair Jobs", 1)
    event = TransitionEvent.objects.get(case=case, transition="identity_change_reject")
    assert (event.reason, event.target) == ("No deed of the new name.", "rejected")
    with pytest.raises(TransitionNotAllowed) as again:
        identity.identity_change_approve(actor=world.reviewer, change=change)
    assert str(again.value) == "cannot approve: the request is already rejected"
    # A decided request no longer blocks the next one.
    _agency, second = rename(world, name="Annapurna Jobs")
    assert second.state == "pending"


def test_reviewers_hear_of_a_request_and_the_agency_of_the_decision(
    world, django_capture_on_commit_callbacks
):
    case = world.case_in("certified")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _agency, change = rename(world)
    (request_notice,) = mail.outbox
    assert request_notice.to == ["reviewer@example.org"]
    assert request_notice.subject == (
        f"[fairrecruit] Kathmandu Fair Jobs: case {case.pk} — change of identity requested"
    )
    assert "A change of the identity of Kathmandu Fair Jobs is pending." in request_notice.body
    assert f"/agencies/{world.agency.public_id}/profile/" in request_notice.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        identity.identity_change_reject(actor=world.reviewer, change=change, reason="No deed.")
    (decision_notice,) = mail.outbox
    assert decision_notice.to == ["agency@example.org"]
    assert "A change of the identity of Kathmandu Fair Jobs is rejected." in decision_notice.body
    assert "Reason: No deed." in decision_notice.body


def test_without_a_live_case_a_request_is_logged_in_the_agency_history_only(world):
    world.case_in("refused")

    change = identity.identity_change_request(
        actor=world.agency_member, agency=world.agency, values={"registration_number": "NP-1"}
    )

    assert not TransitionEvent.objects.filter(transition__startswith="identity_change").exists()
    assert AgencyEvent.objects.get().identity_change == change


def test_agency_events_are_append_only(world):
    rename(world)
    event = AgencyEvent.objects.get()

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AgencyEvent.objects.update(reason="x")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_requests_and_approvals_at_the_same_moment_happen_once():
    from tests.certification.test_concurrency import run_at_once

    world = World()
    certificate = world.case_in("certified").certificate

    requested, refused = run_at_once(
        6,
        lambda: identity.identity_change_request(
            actor=world.agency_member, agency=world.agency, values={"name": "Everest Fair Jobs"}
        ),
    )
    assert (len(requested), len(refused)) == (1, 5)
    assert all(isinstance(f, identity.IdentityChangePending) for f in refused), refused

    approved, refused = run_at_once(
        6, lambda: identity.identity_change_approve(actor=world.reviewer, change=requested[0])
    )
    assert (len(approved), len(refused)) == (1, 5)
    assert all(isinstance(f, TransitionNotAllowed) and f.guard == "state" for f in refused)
    certificate.refresh_from_db()
    assert certificate.revision == 2
    assert CertificateRevision.objects.filter(certificate=certificate).count() == 1


def test_nobody_decides_a_request_of_their_own_agency(world):
    from recruiters.models import Role
    from tests.factories import MembershipFactory

    world.case_in("certified")
    _agency, change = rename(world)
    MembershipFactory(user=world.agency_member, role=Role.REVIEWER)  # also scheme staff

    for decide in (identity.identity_change_approve, identity.identity_change_reject):
        with pytest.raises(TransitionNotAllowed) as refused:
            decide(actor=world.agency_member, change=change, reason="Looks right to me.")
        assert refused.value.guard == "impartiality"
    change.refresh_from_db()
    world.agency.refresh_from_db()
    assert (change.state, world.agency.name) == ("pending", "Kathmandu Fair Jobs")
