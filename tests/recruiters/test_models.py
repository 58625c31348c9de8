"""The parties: identifiers, uniqueness in a country, countries and roles, checked by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recruiters.models import Agency, Corridor, Membership, Role, Sector, SectorCode
from tests.factories import (
    AgencyFactory,
    CertificationBodyFactory,
    ConflictOfInterestFactory,
    EmployerFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def violates_constraint(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_every_sector_exists_after_migrating():
    assert sorted(Sector.objects.values_list("code", flat=True)) == sorted(SectorCode.values)


def test_agency_gets_a_public_identifier_that_is_not_its_database_id():
    first, second = AgencyFactory(), AgencyFactory()

    assert first.public_id != second.public_id
    assert first.public_id.version == 4  # random, so it reveals nothing about order or count
    assert Agency.objects.get(public_id=first.public_id) == first


def test_registration_number_is_unique_within_a_country_whatever_its_case():
    AgencyFactory(country="NP", registration_number="REG-1")

    assert violates_constraint(lambda: AgencyFactory(country="NP", registration_number="REG-1"))
    assert violates_constraint(lambda: AgencyFactory(country="NP", registration_number="reg-1"))
    assert violates_constraint(lambda: AgencyFactory(country="NP", registration_number="  REG-1 "))
    assert not violates_constraint(lambda: AgencyFactory(country="PH", registration_number="REG-1"))


def test_licence_number_is_unique_within_a_country_and_may_be_absent_for_many():
    AgencyFactory(country="NP", licence_number="LIC-9")

    assert violates_constraint(lambda: AgencyFactory(country="NP", licence_number="lic-9"))
    assert not violates_constraint(lambda: AgencyFactory(country="VN", licence_number="LIC-9"))
    assert not violates_constraint(lambda: AgencyFactory(country="NP", licence_number=""))
    assert not violates_constraint(lambda: AgencyFactory(country="NP", licence_number=""))


def test_registration_number_is_required_by_the_database():
    assert violates_constraint(lambda: AgencyFactory(registration_number="   "))


def test_validation_explains_a_duplicate_registration_number():
    AgencyFactory(country="NP", registration_number="REG-1")
    duplicate = AgencyFactory.build(country="NP", registration_number="reg-1")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert caught.value.messages == [
        "An agency with this registration number is already registered in this country."
    ]


def test_agency_country_must_be_an_iso_3166_code():
    agency = AgencyFactory.build(country="XX")

    with pytest.raises(ValidationError) as caught:
        agency.full_clean()

    assert list(caught.value.message_dict) == ["country"]


def test_registration_numbers_are_stored_without_stray_spaces():
    agency = AgencyFactory(registration_number="  REG   77 ", licence_number=" L 1 ")

    agency.refresh_from_db()
    assert (agency.registration_number, agency.licence_number) == ("REG 77", "L 1")


def test_corridor_crosses_a_border_and_is_listed_once_per_agency():
    agency = AgencyFactory()
    Corridor.objects.create(agency=agency, origin="NP", destination="QA")

    assert violates_constraint(
        lambda: Corridor.objects.create(agency=agency, origin="NP", destination="QA")
    )
    assert violates_constraint(
        lambda: Corridor.objects.create(agency=agency, origin="NP", destination="NP")
    )
    assert str(agency.corridors.get()) == "NP → QA"


def test_agency_sectors_come_from_the_fixed_list():
    agency = AgencyFactory()
    agency.sectors.set(Sector.objects.filter(code__in=["fishing", "care"]))

    assert list(Agency.objects.filter(sectors="fishing")) == [agency]
    assert [str(sector) for sector in agency.sectors.all()] == ["Care", "Fishing"]


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        (Role.AGENCY_MEMBER, None),
        (Role.AGENCY_MEMBER, "employer"),
        (Role.EMPLOYER_MEMBER, "agency"),
        (Role.AUDITOR, "agency"),
        (Role.REVIEWER, "certification_body"),
    ],
)
def test_membership_organisation_must_match_the_role(role, organisation):
    makers = {
        "agency": AgencyFactory,
        "employer": EmployerFactory,
        "certification_body": CertificationBodyFactory,
    }
    where = {organisation: makers[organisation]()} if organisation else {}

    assert violates_constraint(
        lambda: Membership.objects.create(user=UserFactory(), role=role, **where)
    )


def test_membership_of_the_right_organisation_is_accepted_once():
    member = MembershipFactory(agency_member=True)

    assert violates_constraint(
        lambda: Membership.objects.create(
            user=member.user, role=Role.AGENCY_MEMBER, agency=member.agency
        )
    )
    assert not violates_constraint(
        lambda: Membership.objects.create(
            user=member.user, role=Role.AGENCY_MEMBER, agency=AgencyFactory()
        )
    )
    assert not violates_constraint(
        lambda: Membership.objects.create(user=member.user, role=Role.REVIEWER)
    )
    assert violates_constraint(
        lambda: Membership.objects.create(user=member.user, role=Role.REVIEWER)
    )


def test_auditor_languages_must_be_iso_639_1_codes():
    auditor = MembershipFactory(auditor=True)
    auditor.languages = ["en", "tl", "xx"]

    with pytest.raises(ValidationError) as caught:
        auditor.full_clean()

    assert caught.value.message_dict == {"languages": ["Unknown language code(s): xx."]}


def test_accreditation_must_end_after_it_starts():
    body = CertificationBodyFactory.build()
    body.accredited_until = body.accredited_from

    with pytest.raises(ValidationError) as caught:
        body.full_clean()

    assert caught.value.messages == ["The accreditation must end after it starts."]
    assert violates_constraint(body.save)


def test_only_an_auditor_declares_a_conflict_of_interest():
    conflict = ConflictOfInterestFactory.build(auditor=MembershipFactory(), agency=AgencyFactory())

    with pytest.raises(ValidationError) as caught:
        conflict.full_clean()

    assert list(caught.value.message_dict) == ["auditor"]
    assert "Only an auditor declares conflicts of interest." in caught.value.message_dict["auditor"]


def test_a_conflict_of_interest_needs_a_reason():
    assert violates_constraint(lambda: ConflictOfInterestFactory(reason=""))
