"""A certificate names the agency that was audited: its identity is recorded at issue, and
a later change of the agency's profile does not change what the certificate says."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from certification.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_certificate_records_the_agencys_identity_at_issue(world):
    certificate = world.case_in("certified").certificate

    recorded = Certificate.objects.get(pk=certificate.pk)
    assert (
        recorded.agency_name,
        recorded.agency_legal_name,
        recorded.agency_registration_number,
        recorded.agency_licence_number,
        recorded.agency_country.code,
    ) == (
        world.agency.name,
        world.agency.legal_name,
        world.agency.registration_number,
        world.agency.licence_number,
        "NP",
    )


def test_an_agency_renamed_after_certification_keeps_its_certified_name_in_public(api, world):
    # Given a certified agency, renamed through the profile API by its own member: the
    # rename is a request, not applied until a reviewer approves it (test_identity_changes).
    certificate = world.case_in("certified").certificate
    api.force_authenticate(world.agency_member)
    renamed = api.patch(
        f"/api/v1/agencies/{world.agency.public_id}/", {"name": "Another Agency"}, format="json"
    )
    assert renamed.status_code == 202
    assert renamed.json()["requested"] == {"name": "Another Agency"}
    api.force_authenticate(None)

    # Then the registry, the verification (page and API) and the PDF name it as certified.
    registry = api.get("/api/v1/registry/").json()["results"]
    assert [entry["name"] for entry in registry] == ["Kathmandu Fair Jobs"]
    assert api.get("/api/v1/registry/", {"search": "Another"}).json()["results"] == []
    code = certificate.verification_code
    verified = api.get(f"/api/v1/certificates/{certificate.number}/verify/", {"code": code})
    assert verified.json()["agency"]["name"] == "Kathmandu Fair Jobs"
    page = Client().get(f"/verify/{certificate.number}/?code={code}").content.decode()
    assert "Kathmandu Fair Jobs" in page and "Another Agency" not in page
    registry_page = Client().get("/registry/").content.decode()
    assert "Kathmandu Fair Jobs" in registry_page and "Another Agency" not in registry_page
    api.force_authenticate(world.agency_member)
    pdf = api.get(f"/api/v1/cases/{certificate.case_id}/certificate/")
    words = " ".join(PdfReader(io.BytesIO(pdf.getvalue())).pages[0].extract_text().split())
    assert "Kathmandu Fair Jobs" in words and "Another Agency" not in words


def test_no_agency_takes_a_name_another_holds_in_its_country(api, world):
    from tests.factories import AgencyFactory

    AgencyFactory(name="Himalaya Fair Jobs", country="NP")
    AgencyFactory(name="Himalaya Fair Jobs", country="PH")  # another country: another name
    api.force_authenticate(world.agency_member)
    url = f"/api/v1/agencies/{world.agency.public_id}/"

    for taken in ("Himalaya Fair Jobs", "himalaya  FAIR jobs", "Hîmàlaya Fair Jobs"):
        response = api.patch(url, {"name": taken}, format="json")

        assert response.status_code == 400, taken
        assert response.json()["errors"] == [
            {
                "code": "invalid",
                "detail": "An agency of this name is already registered in this country.",
                "attr": "__all__",
            }
        ]
    world.agency.refresh_from_db()
    assert world.agency.name == "Kathmandu Fair Jobs"
    assert api.patch(url, {"name": "Kathmandu Fair Jobs Nepal"}, format="json").status_code == 200
