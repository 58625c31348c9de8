"""Demo data for a newcomer's first look (`manage.py seed_demo`). Running it again changes nothing.

Beside the parties: the people and details behind Gorkha Manpower Services (whose case
certification/demo.py brings to withdrawn), and two applications to join awaiting a
reviewer, made and confirmed as applicants make them: an agency whose director is
Gorkha's, spelt otherwise, and which shares its phone (the link check lists both), and a
clean employer."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from recruiters.applying.services import (
    ApplicationEntry,
    application_confirm,
    application_submit,
    link_key,
)
from recruiters.links.services import PersonEntry, record_people_and_details
from recruiters.models import (
    Agency,
    Application,
    CertificationBody,
    ConflictKind,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    Role,
    Sector,
    SizeBand,
)

# Published in the README and printed by `make run`: demo accounts only, refused unless DEBUG.
DEMO_PASSWORD = "fairrecruit-demo"  # noqa: S105

AGENCIES = [
    {
        "name": "Himalaya Fair Jobs",
        "legal_name": "Himalaya Fair Jobs Pvt. Ltd.",
        "country": "NP",
        "registration_number": "NP-REG-2011-0456",
        "licence_number": "DOFE-1287-068",
        "address": "Baneshwor, Kathmandu",
        "website": "https://himalaya-fair-jobs.example",
        "size_band": SizeBand.FROM_500,
        "sectors": ["construction", "manufacturing"],
        "corridors": [("NP", "QA"), ("NP", "MY")],
    },
    {
        "name": "Luzon Care Staffing",
        "legal_name": "Luzon Care Staffing Inc.",
        "country": "PH",
        "registration_number": "CS201512345",
        "licence_number": "DMW-045-LB-032519-R",
        "address": "Ermita, Manila",
        "website": "https://luzon-care.example",
        "size_band": SizeBand.FROM_2000,
        "sectors": ["care", "domestic_work", "hospitality"],
        "corridors": [("PH", "AE"), ("PH", "SA")],
    },
    {
        "name": "Mekong Skills Export",
        "legal_name": "Mekong Skills Export Joint Stock Company",
        "country": "VN",
        "registration_number": "0312345678",
        "licence_number": "123-LDTBXH-GP",
        "address": "District 3, Ho Chi Minh City",
        "website": "https://mekong-skills.example",
        "size_band": SizeBand.FROM_100,
        "sectors": ["manufacturing", "agriculture", "fishing"],
        "corridors": [("VN", "JP"), ("VN", "TW")],
    },
    {
        "name": "Dhaka Overseas Careers",
        "legal_name": "Dhaka Overseas Careers Ltd.",
        "country": "BD",
        "registration_number": "C-145872",
        "licence_number": "RL-1432",
        "address": "Banani, Dhaka",
        "website": "https://dhaka-overseas.example",
        "size_band": SizeBand.FROM_500,
        "sectors": ["construction"],
        "corridors": [("BD", "SA"), ("BD", "QA")],
    },
    {
        "name": "Colombo Care Placements",
        "legal_name": "Colombo Care Placements (Pvt) Ltd",
        "country": "LK",
        "registration_number": "PV-98765",
        "licence_number": "SLBFE-2231",
        "address": "Colombo 03",
        "website": "https://colombo-care.example",
        "size_band": SizeBand.FROM_100,
        "sectors": ["care", "domestic_work"],
        "corridors": [("LK", "AE"), ("LK", "IL")],
    },
    {
        "name": "Jakarta Maritime Crew",
        "legal_name": "PT Jakarta Maritime Crew",
        "country": "ID",
        "registration_number": "AHU-0012345",
        "licence_number": "P3MI-118",
        "address": "Tanjung Priok, Jakarta",
        "website": "https://jakarta-crew.example",
        "size_band": SizeBand.UNDER_100,
        "sectors": ["fishing"],
        "corridors": [("ID", "TW"), ("ID", "KR")],
    },
    {
        "name": "Nairobi Gulf Staffing",
        "legal_name": "Nairobi Gulf Staffing Limited",
        "country": "KE",
        "registration_number": "PVT-7UXZ2R",
        "licence_number": "NEA-0456",
        "address": "Westlands, Nairobi",
        "website": "https://nairobi-gulf.example",
        "size_band": SizeBand.FROM_500,
        "sectors": ["hospitality", "domestic_work"],
        "corridors": [("KE", "QA"), ("KE", "SA")],
    },
    {
        # Withdrawn (certification/demo.py): workers paid its sub-agent for their jobs.
        "name": "Gorkha Manpower Services",
        "legal_name": "Gorkha Manpower Services Pvt. Ltd.",
        "country": "NP",
        "registration_number": "NP-REG-2009-0178",
        "licence_number": "DOFE-0911-066",
        "address": "Putalisadak, Kathmandu",
        "website": "https://gorkha-manpower.example",
        "size_band": SizeBand.FROM_100,
        "sectors": ["construction"],
        "corridors": [("NP", "QA"), ("NP", "MY")],
    },
]

# Who and what stands behind an agency (DOMAIN.md §10), for the link check to compare.
PEOPLE_AND_DETAILS = {
    "Gorkha Manpower Services": (
        [
            PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP"),
            PersonEntry("Gita Shrestha", "director", 1985, "NP"),
        ],
        [("phone", "+977 1-4412345")],  # its address comes from the agency's own field
    ),
}

# Applications to join, confirmed: in the reviewers' queue (/review/applications/). Their
# password is the demo's, so that an accepted one signs in as the other demo logins do.
APPLICATIONS = [
    {
        # Gorkha's director, his name transliterated otherwise and in another order, and
        # Gorkha's phone written as Nepalis dial it at home.
        "kind": "agency",
        "name": "Everest Horizon Overseas",
        "legal_name": "Everest Horizon Overseas Pvt. Ltd.",
        "country": "NP",
        "registration_number": "NP-REG-2024-0932",
        "licence_number": "DOFE-1502-081",
        "address": "Bagbazar, Kathmandu",
        "phone": "01-4412345",
        "website": "https://everest-horizon.example",
        "size_band": SizeBand.FROM_100,
        "corridors": ("NP-QA",),
        "sectors": ("construction",),
        "people": (
            PersonEntry("Thapa Raam Bahadur", "director", 1971, "NP"),
            PersonEntry("Sunita Lama", "owner", 1983, "NP"),
        ),
        "contact_name": "Bikash Karki",
        "contact_email": "bikash@everest-horizon.example",
    },
    {
        "kind": "employer",
        "name": "Doha Marina Hotels",
        "legal_name": "Doha Marina Hotels W.L.L.",
        "country": "QA",
        "registration_number": "QA-CR-88123",
        "address": "West Bay, Doha",
        "phone": "+974 4400 1234",
        "website": "https://doha-marina-hotels.example",
        "contact_name": "Layla Haddad",
        "contact_email": "layla@doha-marina-hotels.example",
    },
]

# One member per agency beyond the first, so that each demo case has someone to act for it.
AGENCY_MEMBERS = {
    "Luzon Care Staffing": "agency_luzon",
    "Mekong Skills Export": "agency_mekong",
    "Dhaka Overseas Careers": "agency_dhaka",
    "Colombo Care Placements": "agency_colombo",
    "Jakarta Maritime Crew": "agency_jakarta",
    "Nairobi Gulf Staffing": "agency_nairobi",
    "Gorkha Manpower Services": "agency_gorkha",
}

EMPLOYERS = [
    {"name": "Gulf Build Contracting", "country": "QA"},
    {"name": "Penang Electronics Assembly", "country": "MY"},
]

CERTIFICATION_BODY = {
    "name": "Verity Social Audits",
    "country": "GB",
    "accreditation_number": "DEMO-ACC-017",
    "countries": ["NP", "PH", "VN", "QA", "MY", "AE", "SA", "JP", "TW"],
}

# username, description, role, organisation key, auditor countries, auditor languages
USERS = [
    ("admin", "scheme administrator (superuser): /admin/", None, None, [], []),
    ("reviewer", "reviewer (scheme staff)", Role.REVIEWER, None, [], []),
    (
        "agency",
        "agency member of Himalaya Fair Jobs (NP) (case: certified)",
        Role.AGENCY_MEMBER,
        "Himalaya Fair Jobs",
        [],
        [],
    ),
    (
        "auditor",
        "auditor at Verity Social Audits",
        Role.AUDITOR,
        "cb",
        ["NP", "QA", "MY"],
        ["en", "ne", "ar"],
    ),
    (
        "auditor2",
        "auditor at Verity Social Audits",
        Role.AUDITOR,
        "cb",
        ["PH", "VN", "AE", "SA", "JP"],
        ["en", "tl", "vi"],
    ),
    (
        "employer",
        "employer member of Gulf Build Contracting (QA)",
        Role.EMPLOYER_MEMBER,
        "Gulf Build Contracting",
        [],
        [],
    ),
]


@transaction.atomic
def seed_demo() -> int:
    """Create what is missing; return how many objects were created."""
    created = 0
    agencies = {}
    for data in AGENCIES:
        data = dict(data)
        sectors, corridors = data.pop("sectors"), data.pop("corridors")
        agency, new = Agency.objects.get_or_create(
            country=data["country"], registration_number=data["registration_number"], defaults=data
        )
        created += new
        if new:
            agency.sectors.set(Sector.objects.filter(code__in=sectors))
        for origin, destination in corridors:
            created += Corridor.objects.get_or_create(
                agency=agency, origin=origin, destination=destination
            )[1]
        agencies[agency.name] = agency

    employers = {}
    for data in EMPLOYERS:
        employer, new = Employer.objects.get_or_create(**data)
        created += new
        employers[employer.name] = employer

    today = timezone.localdate()
    body_data = dict(CERTIFICATION_BODY)
    body, new = CertificationBody.objects.get_or_create(
        accreditation_number=body_data.pop("accreditation_number"),
        defaults={
            **body_data,
            "accredited_from": today - timedelta(days=365),
            "accredited_until": today + timedelta(days=3 * 365),
        },
    )
    created += new

    user_model = get_user_model()
    memberships = {}
    for username, _description, role, organisation, countries, languages in USERS:
        user, new = user_model.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.fairrecruit.example",
                "is_superuser": role is None,
                "is_staff": role is None,
            },
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        created += new
        if role is None:
            continue
        where = {
            Role.AGENCY_MEMBER: {"agency": agencies.get(organisation)},
            Role.EMPLOYER_MEMBER: {"employer": employers.get(organisation)},
            Role.AUDITOR: {"certification_body": body},
            Role.REVIEWER: {},
        }[role]
        administers = role in (Role.AGENCY_MEMBER, Role.EMPLOYER_MEMBER)
        membership, new = Membership.objects.get_or_create(
            user=user,
            role=role,
            **where,
            defaults={
                "countries": countries,
                "languages": languages,
                "is_administrator": administers,
            },
        )
        if administers and not membership.is_administrator:  # seeded before the role existed
            membership.is_administrator = True
            membership.save(update_fields=["is_administrator"])
        created += new
        memberships[username] = membership

    for agency_name, username in AGENCY_MEMBERS.items():
        user, new = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.fairrecruit.example"}
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        created += new
        membership, new = Membership.objects.get_or_create(
            user=user,
            role=Role.AGENCY_MEMBER,
            agency=agencies[agency_name],
            defaults={"is_administrator": True},
        )
        if not membership.is_administrator:  # seeded before the role existed
            membership.is_administrator = True
            membership.save(update_fields=["is_administrator"])
        created += new

    created += ConflictOfInterest.objects.get_or_create(
        auditor=memberships["auditor2"],
        agency=agencies["Luzon Care Staffing"],
        kind=ConflictKind.EMPLOYMENT,
        defaults={"reason": "Worked as compliance officer at Luzon Care Staffing until 2023."},
    )[1]

    for agency_name, (people, details) in PEOPLE_AND_DETAILS.items():
        agency = agencies[agency_name]
        if not agency.people.exists():  # recorded once, whole
            record_people_and_details(agency, people, details)
            created += len(people) + len(details)
    created += seed_applications()
    return created


def seed_applications() -> int:
    """The demo applications that are missing, submitted and confirmed (by their e-mailed
    link's key) through the applicants' own services; return how many were made. One
    that exists, in whatever state a reviewer left it, is left alone."""
    created = 0
    for data in APPLICATIONS:
        if Application.objects.filter(contact_email__iexact=data["contact_email"]).exists():
            continue
        application = application_submit(ApplicationEntry(password=DEMO_PASSWORD, **data))
        if application is None:  # the e-mail has an account: nothing to show
            continue
        application_confirm(link_key(application))
        created += 1
    return created
