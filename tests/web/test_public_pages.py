"""Home, registry, an agency's public page and certificate verification: no sign-in."""

import pytest
from django.test import Client

from certification import services
from tests.factories import AgencyFactory, CorridorFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def certified_agency(world, name, country="NP", corridor=None):
    world.agency = AgencyFactory(name=name, country=country)
    if corridor:
        CorridorFactory(agency=world.agency, origin=corridor[0], destination=corridor[1])
    MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
    return world.case_in("certified")


def test_home_says_what_the_scheme_is_and_counts_certified_agencies(world):
    certified_agency(world, "Alpha Jobs")
    response = Client().get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ethical recruitment, certified" in text
    assert "1 agency is certified today." in text


def test_registry_filters_by_status_country_and_search(world):
    alpha = certified_agency(world, "Alpha Jobs", "NP", corridor=("NP", "QA"))
    beta = certified_agency(world, "Beta Staffing", "BD")
    services.case_suspend(actor=world.reviewer, case=beta, reason="Complaint.")
    client = Client()

    def names(query):
        response = client.get("/registry/" + query)
        assert response.status_code == 200
        return [c.case.agency.name for c, _status, _former, _watched in response.context["rows"]]

    assert names("") == ["Alpha Jobs", "Beta Staffing"]
    assert names("?status=suspended") == ["Beta Staffing"]
    assert names("?country=np") == ["Alpha Jobs"]
    assert names("?search=beta") == ["Beta Staffing"]
    assert names(f"?search={alpha.agency.registration_number}") == ["Alpha Jobs"]
    assert names("?corridor=np-qa") == ["Alpha Jobs"]
    assert names("?status=suspended&country=np") == []


def test_registry_shows_the_error_of_an_unknown_status_beside_its_field(world):
    response = Client().get("/registry/?status=bogus")
    assert response.status_code == 200
    assert "status" in response.context["filter"].form.errors


def test_registry_is_paginated_by_25(world):
    for i in range(26):
        certified_agency(world, f"Listed agency {i:02}")
    first = Client().get("/registry/")
    assert len(first.context["rows"]) == 25
    assert 'rel="next"' in first.content.decode()
    second = Client().get("/registry/?page=2")
    assert [c.case.agency.name for c, _s, _f, _w in second.context["rows"]] == ["Listed agency 25"]


def test_agency_page_shows_status_certificate_and_history(world):
    case = certified_agency(world, "Alpha Jobs")
    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    response = Client().get(f"/agencies/{case.agency.public_id}/")
    text = response.content.decode()
    assert response.context["status"]["status"] == "suspended"
    assert case.certificate.number in text
    assert [(e.old_status, e.new_status) for e in response.context["history"]] == [
        ("certified", "suspended"),
        ("in_progress", "certified"),
    ]


def test_agency_page_of_an_unknown_agency_is_404(world):
    assert Client().get("/agencies/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize(
    ("change", "verdict"),
    [(None, "Valid"), ("suspend", "Suspended"), ("withdraw", "Withdrawn")],
)
def test_verification_page_says_the_status_in_large_type(world, change, verdict):
    case = certified_agency(world, "Alpha Jobs")
    if change:
        getattr(services, f"case_{change}")(actor=world.reviewer, case=case, reason="Complaint.")
    certificate = case.certificate
    response = Client().get(f"/verify/{certificate.number}/?code={certificate.verification_code}")
    assert response.status_code == 200
    assert f'id="verdict">{verdict}</p>' in response.content.decode()


def test_verification_with_a_wrong_code_or_number_is_the_same_not_found(world):
    certificate = certified_agency(world, "Alpha Jobs").certificate
    wrong_code = Client().get(f"/verify/{certificate.number}/?code=nope")
    wrong_number = Client().get(f"/verify/FR-0000-000000/?code={certificate.verification_code}")
    for response in (wrong_code, wrong_number):
        assert response.status_code == 404
        assert 'id="verdict">Not found</p>' in response.content.decode()


def test_verification_form_leads_to_the_certificate_page(world):
    certificate = certified_agency(world, "Alpha Jobs").certificate
    response = Client().get(
        "/verify/", {"number": certificate.number, "code": certificate.verification_code}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/verify/{certificate.number}/?code={certificate.verification_code}"
    )


def test_verification_form_shows_missing_fields_beside_them(world):
    response = Client().get("/verify/", {"number": "", "code": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"number", "code"}
    assert 'id="id_code_error"' in response.content.decode()


@pytest.mark.parametrize("number", ["a/b", "FR 2026", "../../admin", "FR-2026-\u00b2"])
def test_a_number_that_cannot_be_a_certificates_is_said_beside_its_field(world, number):
    response = Client().get("/verify/", {"number": number, "code": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "number": [
            "A certificate number has only letters, digits and hyphens, as printed: FR-2026-000123."
        ]
    }


@pytest.mark.parametrize("number", ["a%00b", "%C2%B2", "x" * 300])
def test_an_odd_number_in_the_address_is_not_found_like_any_other(world, number):
    page = Client().get(f"/verify/{number}/?code=x")
    api = Client().get(f"/api/v1/certificates/{number}/verify/?code=x")

    assert (page.status_code, api.status_code) == (404, 404)
    assert 'id="verdict">Not found</p>' in page.content.decode()


def test_certificate_qr_code_points_to_the_verification_page(world):
    from certification.pdf import verification_url

    certificate = certified_agency(world, "Alpha Jobs").certificate
    assert verification_url(certificate).endswith(
        f"/verify/{certificate.number}/?code={certificate.verification_code}"
    )


def test_the_registrys_count_is_kept_until_a_change_commits(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for i in range(25):
        certified_agency(world, f"Listed agency {i:02}")
    client = Client()
    client.get("/registry/")  # counted, and the count kept

    with django_assert_num_queries(1):  # the page's rows only
        kept = client.get("/registry/")
    with django_capture_on_commit_callbacks(execute=True):
        certified_agency(world, "Listed agency 25")
    after = client.get("/registry/")

    assert len(kept.context["rows"]) == 25 and 'rel="next"' not in kept.content.decode()
    assert 'rel="next"' in after.content.decode()
