"""Factories for the parties; a trait per role on memberships."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from recruiters.models import (
    Agency,
    CertificationBody,
    ConflictKind,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    Role,
    SizeBand,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Params:
        admin = factory.Trait(is_superuser=True, is_staff=True)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    legal_name = factory.LazyAttribute(lambda agency: f"{agency.name} Ltd.")
    country = "NP"
    registration_number = factory.Sequence(lambda n: f"REG-{n:05d}")
    licence_number = factory.Sequence(lambda n: f"LIC-{n:05d}")
    size_band = SizeBand.FROM_100


class CorridorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Corridor

    agency = factory.SubFactory(AgencyFactory)
    origin = "NP"
    destination = "QA"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    country = "QA"


class CertificationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationBody

    name = factory.Sequence(lambda n: f"Certification body {n}")
    country = "GB"
    accreditation_number = factory.Sequence(lambda n: f"ACC-{n:04d}")
    accredited_from = date(2025, 1, 1)
    accredited_until = date(2028, 12, 31)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A reviewer unless a trait says otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.REVIEWER

    class Params:
        # Members administer their organisation unless a test says is_administrator=False
        # (the first member of an organisation is its administrator).
        agency_member = factory.Trait(
            role=Role.AGENCY_MEMBER,
            agency=factory.SubFactory(AgencyFactory),
            is_administrator=True,
        )
        employer_member = factory.Trait(
            role=Role.EMPLOYER_MEMBER,
            employer=factory.SubFactory(EmployerFactory),
            is_administrator=True,
        )
        auditor = factory.Trait(
            role=Role.AUDITOR,
            certification_body=factory.SubFactory(CertificationBodyFactory),
            countries=["NP", "QA"],
            languages=["en", "ne"],
        )


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    auditor = factory.SubFactory(MembershipFactory, auditor=True)
    agency = factory.SubFactory(AgencyFactory)
    kind = ConflictKind.EMPLOYMENT
    reason = "Worked for the agency until last year."
