"""Admin pages for scheme staff: lists with search and filters, inline memberships."""

import pytest
from django.contrib import admin
from django.urls import reverse

from recruiters.links.services import keyed_hash
from recruiters.models import Agency, AgencyDetail, Corridor, Membership, RelevantPerson, Role
from tests.factories import (
    AgencyFactory,
    CertificationBodyFactory,
    ConflictOfInterestFactory,
    EmployerFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_every_changelist_opens_with_search_for_scheme_staff(staff_client):
    ConflictOfInterestFactory()
    MembershipFactory(employer_member=True)

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = staff_client.get(url, {"q": "a"})
        assert response.status_code == 200, url


def test_agency_list_filters_by_country_and_sector(staff_client):
    nepal = AgencyFactory(name="Kathmandu Jobs", country="NP")
    nepal.sectors.add("fishing")
    AgencyFactory(name="Manila Care", country="PH")
    url = reverse("admin:recruiters_agency_changelist")

    by_country = staff_client.get(url, {"country": "PH"})
    by_sector = staff_client.get(url, {"sectors__code__exact": "fishing"})

    assert [a.name for a in by_country.context["cl"].result_list] == ["Manila Care"]
    assert [a.name for a in by_sector.context["cl"].result_list] == ["Kathmandu Jobs"]


def test_agency_search_finds_a_registration_number(staff_client):
    AgencyFactory(name="Target", registration_number="XYZ-42")
    AgencyFactory(name="Other")

    response = staff_client.get(reverse("admin:recruiters_agency_changelist"), {"q": "xyz-42"})

    assert [a.name for a in response.context["cl"].result_list] == ["Target"]


def inline_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_adding_an_agency_with_corridor_and_member_inline(staff_client):
    member = UserFactory(username="newmember")
    data = {
        "name": "Dhaka Overseas",
        "legal_name": "Dhaka Overseas Ltd.",
        "country": "BD",
        "registration_number": "C-12345",
        "licence_number": "RL-99",
        "size_band": "100_499",
        "sectors": ["construction"],
        **inline_management("corridors", 1),
        "corridors-0-origin": "BD",
        "corridors-0-destination": "SA",
        **inline_management("memberships", 1),
        "memberships-0-user": str(member.pk),
        "memberships-0-is_active": "on",
        # The people and details behind it, for the link check (issue 18 §3).
        **inline_management("people", 1),
        "people-0-name": "Abdul Karim",
        "people-0-role": "director",
        "people-0-birth_year": "1975",
        **inline_management("details", 1),
        "details-0-kind": "bank_account",
        "details-0-value": "BD12 3456 7890",
    }

    response = staff_client.post(reverse("admin:recruiters_agency_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    agency = Agency.objects.get(name="Dhaka Overseas")
    person = RelevantPerson.objects.get(agency=agency)
    assert sorted(person.keys.values_list("key", flat=True)) == ["bdl", "krm"]
    bank = AgencyDetail.objects.get(agency=agency, kind="bank_account")
    assert bank.value == "…7890" and bank.normalised == keyed_hash("bank_account", "BD1234567890")
    # Its own fields as records too: its names (one: they differ only by "Ltd."), numbers.
    assert sorted(
        AgencyDetail.objects.filter(agency=agency)
        .exclude(kind="bank_account")
        .values_list("kind", "value")
    ) == [
        ("licence", "RL-99"),
        ("name", "Dhaka Overseas"),
        ("registration", "C-12345"),
    ]
    assert list(Corridor.objects.filter(agency=agency).values_list("origin", "destination")) == [
        ("BD", "SA")
    ]
    assert Membership.objects.get(agency=agency).role == Role.AGENCY_MEMBER


def test_admin_explains_a_duplicate_registration_number(staff_client):
    AgencyFactory(country="NP", registration_number="REG-1")
    data = {
        "name": "Copy",
        "legal_name": "Copy Ltd.",
        "country": "NP",
        "registration_number": "reg-1",
        "size_band": "100_499",
        **inline_management("corridors", 0),
        **inline_management("memberships", 0),
        **inline_management("people", 0),
        **inline_management("details", 0),
    }

    response = staff_client.post(reverse("admin:recruiters_agency_add"), data)

    assert response.status_code == 200
    assert "An agency with this registration number is already registered in this country." in (
        response.content.decode()
    )
    assert Agency.objects.count() == 1


def test_auditor_inline_records_countries_and_languages(staff_client):
    body = CertificationBodyFactory()
    auditor = UserFactory()
    url = reverse("admin:recruiters_certificationbody_change", args=[body.pk])
    data = {
        "name": body.name,
        "country": "GB",
        "accreditation_number": body.accreditation_number,
        "accredited_from": "2025-01-01",
        "accredited_until": "2028-12-31",
        "countries": ["NP", "PH"],
        **inline_management("memberships", 1),
        "memberships-0-user": str(auditor.pk),
        "memberships-0-countries": ["PH"],
        "memberships-0-languages": ["en", "tl"],
        "memberships-0-is_active": "on",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 302
    membership = Membership.objects.get(user=auditor)
    assert (membership.role, membership.languages, [c.code for c in membership.countries]) == (
        Role.AUDITOR,
        ["en", "tl"],
        ["PH"],
    )


def test_people_who_are_not_staff_are_sent_to_the_login_page(client):
    client.force_login(MembershipFactory(agency_member=True).user)

    response = client.get(reverse("admin:recruiters_agency_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_employer_page_lists_its_members(staff_client):
    member = MembershipFactory(employer_member=True, employer=EmployerFactory(name="Gulf Build"))

    response = staff_client.get(
        reverse("admin:recruiters_employer_change", args=[member.employer.pk])
    )

    assert response.status_code == 200
    assert member.user.username in response.content.decode()


def test_a_detail_with_nothing_to_compare_is_refused_in_the_admin(staff_client):
    data = {
        "name": "Khulna Jobs",
        "legal_name": "Khulna Jobs Ltd.",
        "country": "BD",
        "registration_number": "K-1",
        "size_band": "100_499",
        **inline_management("corridors", 0),
        **inline_management("memberships", 0),
        **inline_management("people", 0),
        **inline_management("details", 1),
        "details-0-kind": "bank_account",
        "details-0-value": "---",
    }

    response = staff_client.post(reverse("admin:recruiters_agency_add"), data)

    assert response.status_code == 200
    assert "Nothing here that the link check could compare." in response.content.decode()
    assert not Agency.objects.filter(name="Khulna Jobs").exists()
