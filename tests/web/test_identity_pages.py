"""The certified identity on the pages: the profile of an agency under certification sends
a change of identity as a request and shows it with the history; reviewers approve or
reject requests on their own page."""

import pytest

from certification.models import CertificateRevision, IdentityChange
from certification.services import identity
from tests.web.conftest import field_errors, messages_of, signed_in

pytestmark = pytest.mark.django_db


def profile_form(world, **changes):
    agency = world.agency
    data = {
        "name": agency.name,
        "legal_name": agency.legal_name,
        "registration_number": agency.registration_number,
        "licence_number": agency.licence_number,
        "country": agency.country.code,
        "address": agency.address,
        "website": agency.website,
        "size_band": agency.size_band,
        "sectors": [s.code for s in agency.sectors.all()],
        "corridors": "NP-QA",
    }
    return {**data, **changes}


def test_a_locked_agencys_profile_sends_a_change_of_identity_as_a_request(world):
    world.case_in("certified")
    client = signed_in(world.agency_member)
    url = f"/agencies/{world.agency.public_id}/profile/"

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["locked"] is True
    assert "a change of its name, legal name, registration number" in page.content.decode()
    assert set(page.context["form"].fields) >= {"registration_number", "country"}

    response = client.post(
        url, profile_form(world, name="Everest Fair Jobs", address="Thamel"), follow=True
    )

    assert messages_of(response) == [
        "The profile is saved. The change of identity is sent to the scheme: it applies once "
        "a reviewer approves it."
    ]
    world.agency.refresh_from_db()
    assert (world.agency.name, world.agency.address) == ("Kathmandu Fair Jobs", "Thamel")
    change = IdentityChange.objects.get()
    assert change.requested == {"name": "Everest Fair Jobs"}
    assert response.context["pending"] == change
    text = response.content.decode()
    assert f"Request {change.pk}, made by agency" in text
    assert "Everest Fair Jobs" in text  # the requested value, in the pending request
    assert [e.kind for e in response.context["history"]] == [
        "profile_edit",
        "identity_change_request",
    ]
    assert "Change of identity requested" in text and "Profile edited" in text


def test_a_second_change_while_one_is_pending_is_refused_beside_the_form(world):
    world.case_in("submitted")
    client = signed_in(world.agency_member)
    url = f"/agencies/{world.agency.public_id}/profile/"
    client.post(url, profile_form(world, name="Everest Fair Jobs"))
    change = IdentityChange.objects.get()

    response = client.post(url, profile_form(world, legal_name="Other Ltd", address="x"))

    assert response.status_code == 409
    assert field_errors(response) == {
        "__all__": [
            f"A change of identity is already pending for this agency: request {change.pk} of "
            f"{change.requested_at.isoformat(timespec='seconds')}. Wait for its decision."
        ]
    }
    assert response.context["form"]["legal_name"].value() == "Other Ltd"  # kept as typed
    world.agency.refresh_from_db()
    assert world.agency.address == ""


def test_an_unlocked_agency_edits_its_identity_at_once(world):
    world.case_in("draft")
    client = signed_in(world.agency_member)
    url = f"/agencies/{world.agency.public_id}/profile/"
    form = profile_form(world, name="Everest Fair Jobs")
    del form["registration_number"], form["country"]

    response = client.post(url, form, follow=True)

    assert messages_of(response) == ["The profile is saved."]
    world.agency.refresh_from_db()
    assert world.agency.name == "Everest Fair Jobs"
    assert not IdentityChange.objects.exists()
    assert response.context["locked"] is False


def test_reviewers_read_the_profile_without_a_form(world):
    world.case_in("submitted")
    identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )
    page = signed_in(world.reviewer).get(f"/agencies/{world.agency.public_id}/profile/")

    assert page.status_code == 200
    assert page.context["form"] is None
    assert page.context["pending"].requested == {"name": "Everest Fair Jobs"}
    assert "/review/identity-changes/" in page.content.decode()
    refused = signed_in(world.reviewer).post(f"/agencies/{world.agency.public_id}/profile/", {})
    assert refused.status_code == 404


def test_a_reviewer_approves_a_rename_and_the_certificate_is_reissued(world):
    certificate = world.case_in("certified").certificate
    _agency, change = identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )
    client = signed_in(world.reviewer)

    listing = client.get("/review/identity-changes/")
    assert [c.pk for c, _form in listing.context["rows"]] == [change.pk]
    assert "Kathmandu Fair Jobs" in listing.content.decode()
    assert "/review/identity-changes/" in client.get("/review/").content.decode()
    assert "/review/identity-changes/" in client.get("/dashboard/").content.decode()

    response = client.post(
        f"/review/identity-changes/{change.pk}/approve/", {f"c{change.pk}-reason": ""}, follow=True
    )

    assert messages_of(response) == ["The change of identity of Everest Fair Jobs is approved."]
    assert response.context["rows"] == []
    certificate.refresh_from_db()
    assert (certificate.agency_name, certificate.revision) == ("Everest Fair Jobs", 2)
    assert CertificateRevision.objects.get().agency_name == "Kathmandu Fair Jobs"


def test_a_rejection_without_a_reason_shows_the_message_beside_the_field(world):
    world.case_in("certified")
    _agency, change = identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )
    client = signed_in(world.reviewer)
    url = f"/review/identity-changes/{change.pk}/reject/"

    bad = client.post(url, {f"c{change.pk}-reason": "  "})

    assert bad.status_code == 400
    [(_change, form)] = bad.context["rows"]
    assert form.errors == {"reason": ["A reason is required to reject a change of identity."]}
    change.refresh_from_db()
    assert change.state == "pending"

    good = client.post(url, {f"c{change.pk}-reason": "No deed of the new name."}, follow=True)

    assert messages_of(good) == ["The change of identity of Kathmandu Fair Jobs is rejected."]
    change.refresh_from_db()
    assert (change.state, change.decision_reason) == ("rejected", "No deed of the new name.")
    history = signed_in(world.agency_member).get(f"/agencies/{world.agency.public_id}/profile/")
    assert "No deed of the new name." in history.content.decode()


def test_only_reviewers_decide_on_the_pages(world):
    world.case_in("certified")
    _agency, change = identity.agency_profile_update(
        actor=world.agency_member, agency=world.agency, data={"name": "Everest Fair Jobs"}
    )

    for person in (world.agency_member, world.auditor, world.employer_member):
        response = signed_in(person).post(f"/review/identity-changes/{change.pk}/approve/")
        assert response.status_code == 404
    assert (
        signed_in(world.reviewer).post(f"/review/identity-changes/{change.pk}/undo/").status_code
        == 404
    )
    change.refresh_from_db()
    assert change.state == "pending"
