"""Changes of an agency's certified identity over the API (issue 13 §3): requested by the
agency, decided by a reviewer, applied and reissued only when approved; the rename
scenario through the registry, the verification and the certificate PDF."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from certification.models import AgencyEvent, IdentityChange
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def pdf_words(api, world, certificate) -> str:
    api.force_authenticate(world.agency_member)
    pdf = api.get(f"/api/v1/cases/{certificate.case_id}/certificate/")
    assert pdf.status_code == 200
    return " ".join(PdfReader(io.BytesIO(pdf.getvalue())).pages[0].extract_text().split())


def public_views(api, world, certificate) -> dict:
    """What the public reads of the certificate: registry API and page, verification API and
    page, the agency's public page, the PDF."""
    api.force_authenticate(None)
    code = certificate.verification_code
    (entry,) = api.get("/api/v1/registry/").json()["results"]
    verified = api.get(f"/api/v1/certificates/{certificate.number}/verify/", {"code": code}).json()
    status = api.get(f"/api/v1/agencies/{world.agency.public_id}/status/").json()
    return {
        "registry": (entry["name"], entry["former_name"], entry["revision"]),
        "verified": (
            verified["agency"]["name"],
            verified["agency"]["former_name"],
            verified["certificate"]["revision"],
            verified["certificate"]["former_name"],
        ),
        "status": (status["certificate"]["revision"], status["certificate"]["former_name"]),
        "registry_page": Client().get("/registry/").content.decode(),
        "verify_page": Client().get(f"/verify/{certificate.number}/?code={code}").content.decode(),
        "agency_page": Client().get(f"/agencies/{world.agency.public_id}/").content.decode(),
        "pdf": pdf_words(api, world, certificate),
    }


def test_the_rename_scenario(api, world, django_capture_on_commit_callbacks):
    # Given a certified agency.
    certificate = world.case_in("certified").certificate
    profile = f"/api/v1/agencies/{world.agency.public_id}/"

    # When its member renames it through the profile API.
    api.force_authenticate(world.agency_member)
    renamed = api.patch(profile, {"name": "Everest Fair Jobs"}, format="json")

    # Then it is a request (202), and nothing public changes.
    assert renamed.status_code == 202
    body = renamed.json()
    change = IdentityChange.objects.get()
    assert renamed["Location"] == f"/api/v1/identity-changes/{change.pk}/"
    assert (body["id"], body["state"], body["requested"], body["before"]) == (
        change.pk,
        "pending",
        {"name": "Everest Fair Jobs"},
        {"name": "Kathmandu Fair Jobs"},
    )
    assert api.get(profile).json()["name"] == "Kathmandu Fair Jobs"
    before = public_views(api, world, certificate)
    assert before["registry"] == ("Kathmandu Fair Jobs", None, 1)
    assert before["verified"] == ("Kathmandu Fair Jobs", None, 1, None)
    assert before["status"] == (1, None)
    for page in ("registry_page", "verify_page", "agency_page"):
        assert "Kathmandu Fair Jobs" in before[page], page
        assert "Everest Fair Jobs" not in before[page], page
        assert "formerly" not in before[page], page
    assert "Kathmandu Fair Jobs" in before["pdf"] and "Everest" not in before["pdf"]

    # When a reviewer approves it.
    api.force_authenticate(world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):  # the status cache is dropped
        approved = api.post(
            f"/api/v1/identity-changes/{change.pk}/approve/",
            {"reason": "Deed seen."},
            format="json",
        )

    # Then every public view shows the new name, formerly the old one, same number and code.
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["decided_by"]) == ("approved", "reviewer")
    after = public_views(api, world, certificate)
    assert after["registry"] == ("Everest Fair Jobs", "Kathmandu Fair Jobs", 2)
    assert after["verified"] == (
        "Everest Fair Jobs",
        "Kathmandu Fair Jobs",
        2,
        "Kathmandu Fair Jobs",
    )
    assert after["status"] == (2, "Kathmandu Fair Jobs")
    for page in ("registry_page", "verify_page", "agency_page"):
        assert "Everest Fair Jobs" in after[page], page
        assert "formerly Kathmandu Fair Jobs" in after[page], page
    assert "Everest Fair Jobs" in after["pdf"]
    assert "formerly Kathmandu Fair Jobs" in after["pdf"]
    assert f"{certificate.number} Revision 2" in after["pdf"]
    french = api.get(f"/api/v1/cases/{certificate.case_id}/certificate/", {"language": "fr"})
    words = " ".join(PdfReader(io.BytesIO(french.getvalue())).pages[0].extract_text().split())
    assert "anciennement Kathmandu Fair Jobs" in words


def test_a_profile_edit_of_a_locked_agency_saves_the_other_fields_and_requests_the_rest(api, world):
    world.case_in("submitted")
    api.force_authenticate(world.agency_member)

    response = api.patch(
        f"/api/v1/agencies/{world.agency.public_id}/",
        {"legal_name": "KFJ Pvt Ltd", "address": "Thamel", "sectors": ["care"]},
        format="json",
    )

    assert response.status_code == 202
    assert response.json()["requested"] == {"legal_name": "KFJ Pvt Ltd"}
    profile = api.get(f"/api/v1/agencies/{world.agency.public_id}/").json()
    assert (profile["legal_name"], profile["address"], profile["sectors"]) == (
        world.agency.legal_name,
        "Thamel",
        ["care"],
    )
    history = api.get(f"/api/v1/agencies/{world.agency.public_id}/history/").json()["results"]
    assert [(e["kind"], e["actor"]) for e in history] == [
        ("profile_edit", "agency"),
        ("identity_change_request", "agency"),
    ]
    assert history[0]["changes"] == {
        "address": {"before": "", "after": "Thamel"},
        "sectors": {"before": ["construction"], "after": ["care"]},
    }


def test_an_unlocked_agency_patches_its_name_at_once(api, world):
    world.case_in("draft")
    api.force_authenticate(world.agency_member)

    response = api.patch(
        f"/api/v1/agencies/{world.agency.public_id}/", {"name": "Everest"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Everest"
    assert not IdentityChange.objects.exists()
    assert AgencyEvent.objects.get().changes == {
        "name": {"before": "Kathmandu Fair Jobs", "after": "Everest"}
    }


def test_a_second_request_is_409_naming_the_pending_one(api, world):
    world.case_in("certified")
    api.force_authenticate(world.agency_member)
    url = f"/api/v1/agencies/{world.agency.public_id}/identity-changes/"
    first = api.post(url, {"name": "Everest"}, format="json")
    assert first.status_code == 201
    change = IdentityChange.objects.get()

    for response in (
        api.post(url, {"licence_number": "L-2"}, format="json"),
        api.patch(
            f"/api/v1/agencies/{world.agency.public_id}/", {"name": "Annapurna", "address": "x"}
        ),
    ):
        assert response.status_code == 409
        assert response.json()["errors"] == [
            {
                "code": "identity_change_pending",
                "detail": "A change of identity is already pending for this agency: request "
                f"{change.pk} of {change.requested_at.isoformat(timespec='seconds')}. "
                "Wait for its decision.",
                "attr": None,
            }
        ]
    world.agency.refresh_from_db()
    assert world.agency.address == ""
    assert IdentityChange.objects.count() == 1


def test_bad_requests_are_400_by_field_and_change_nothing(api, world):
    world.case_in("certified")
    AgencyFactory(name="Everest Fair Jobs", country="NP")
    api.force_authenticate(world.agency_member)
    url = f"/api/v1/agencies/{world.agency.public_id}/identity-changes/"

    empty = api.post(url, {}, format="json")
    taken = api.post(url, {"name": "everest fair jobs"}, format="json")
    blank = api.post(url, {"name": ""}, format="json")
    country = api.post(url, {"country": "XX"}, format="json")
    same = api.post(url, {"name": "Kathmandu Fair Jobs"}, format="json")

    assert empty.status_code == 400
    assert empty.json()["errors"][0]["detail"] == "Name at least one field to change."
    assert taken.status_code == 400
    assert taken.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "An agency of this name is already registered in this country.",
            "attr": "__all__",
        }
    ]
    assert (blank.status_code, blank.json()["errors"][0]["attr"]) == (400, "name")
    assert country.status_code == 400
    assert country.json()["errors"][0]["attr"] == "country"
    assert same.status_code == 400
    assert same.json()["errors"][0]["detail"] == (
        "Nothing to change: every value is the agency's already."
    )
    assert not IdentityChange.objects.exists()
    assert not AgencyEvent.objects.exists()


def test_reviewers_list_the_pending_requests_and_decide_them(api, world):
    world.case_in("certified")
    api.force_authenticate(world.agency_member)
    api.post(
        f"/api/v1/agencies/{world.agency.public_id}/identity-changes/",
        {"name": "Everest"},
        format="json",
    )
    change = IdentityChange.objects.get()
    api.force_authenticate(world.reviewer)

    pending = api.get("/api/v1/identity-changes/").json()["results"]
    assert [(c["id"], c["agency_name"], c["requested_by"]) for c in pending] == [
        (change.pk, "Kathmandu Fair Jobs", "agency")
    ]
    unreasoned = api.post(f"/api/v1/identity-changes/{change.pk}/reject/", {}, format="json")
    assert unreasoned.status_code == 400
    assert unreasoned.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "A reason is required to reject a change of identity.",
            "attr": "reason",
        }
    ]
    rejected = api.post(
        f"/api/v1/identity-changes/{change.pk}/reject/", {"reason": "No deed."}, format="json"
    )
    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["decision_reason"]) == (
        "rejected",
        "No deed.",
    )
    assert api.get("/api/v1/identity-changes/").json()["results"] == []
    assert [
        c["id"]
        for c in api.get("/api/v1/identity-changes/", {"state": "rejected"}).json()["results"]
    ] == [change.pk]
    again = api.post(f"/api/v1/identity-changes/{change.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "state"
    assert api.get("/api/v1/identity-changes/", {"state": "lost"}).status_code == 400


def test_an_approval_after_another_agency_took_the_name_is_409(api, world):
    world.case_in("certified")
    api.force_authenticate(world.agency_member)
    api.post(
        f"/api/v1/agencies/{world.agency.public_id}/identity-changes/",
        {"name": "Everest"},
        format="json",
    )
    change = IdentityChange.objects.get()
    AgencyFactory(name="Everest", country="NP")
    api.force_authenticate(world.reviewer)

    response = api.post(f"/api/v1/identity-changes/{change.pk}/approve/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "code": "identity_taken",
            "detail": "cannot approve: An agency of this name is already registered in this country.",
            "attr": None,
        }
    ]


def test_the_agency_reads_its_requests_and_others_do_not(api, world):
    world.case_in("certified")
    api.force_authenticate(world.agency_member)
    api.post(
        f"/api/v1/agencies/{world.agency.public_id}/identity-changes/",
        {"name": "Everest"},
        format="json",
    )
    change = IdentityChange.objects.get()

    own = api.get(f"/api/v1/agencies/{world.agency.public_id}/identity-changes/").json()
    assert [c["id"] for c in own["results"]] == [change.pk]
    assert api.get(f"/api/v1/identity-changes/{change.pk}/").json()["state"] == "pending"
    assert api.post(f"/api/v1/identity-changes/{change.pk}/approve/").status_code == 403
    assert api.get("/api/v1/identity-changes/").status_code == 403
    api.force_authenticate(world.other_agency_member)
    assert api.get(f"/api/v1/identity-changes/{change.pk}/").status_code == 404
    assert (
        api.get(f"/api/v1/agencies/{world.agency.public_id}/identity-changes/").status_code == 404
    )
    assert api.get(f"/api/v1/agencies/{world.agency.public_id}/history/").status_code == 404
