"""Demo data: one user per role, parties in several countries, cases in eight states reached
through the services, a withdrawn agency's people behind an application to join (the link
check finds them), a clean one beside it; idempotent; DEBUG only."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from certification.models import CertificationCase, TransitionEvent
from certification.selectors import case_replay_state
from certification.selectors.links import agency_links, application_links
from recruiters.demo import DEMO_PASSWORD
from recruiters.models import (
    Agency,
    AgencyDetail,
    Application,
    ApplicationEvent,
    CertificationBody,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    PersonKey,
    RelevantPerson,
    Role,
)

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def everything() -> list:
    User = get_user_model()
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (
            User,
            Agency,
            Corridor,
            Employer,
            CertificationBody,
            Membership,
            ConflictOfInterest,
            CertificationCase,
            TransitionEvent,
            RelevantPerson,
            PersonKey,
            AgencyDetail,
            Application,
            ApplicationEvent,
        )
    ]


def test_seed_demo_creates_people_parties_and_cases_in_eight_states(settings):
    settings.DEBUG = True

    output = seed()

    users = get_user_model().objects.all()
    assert {"admin", "agency", "auditor", "auditor2", "employer", "reviewer"} <= set(
        users.values_list("username", flat=True)
    )
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert users.get(username="admin").is_superuser
    assert Membership.objects.filter(role=Role.AUDITOR).count() == 2
    assert Membership.objects.filter(role=Role.REVIEWER).count() == 1
    assert Membership.objects.filter(role=Role.EMPLOYER_MEMBER).count() == 1
    # Every demo member administers their organisation (colleagues, keys, webhooks).
    organisations = Membership.objects.filter(role__in=[Role.AGENCY_MEMBER, Role.EMPLOYER_MEMBER])
    assert organisations.count() >= 9
    assert not organisations.filter(is_administrator=False).exists()
    assert not Membership.objects.filter(
        role__in=[Role.AUDITOR, Role.REVIEWER], is_administrator=True
    ).exists()
    assert Agency.objects.values("country").distinct().count() == 7
    assert Employer.objects.count() == 2
    assert ConflictOfInterest.objects.count() == 1
    states = sorted(CertificationCase.objects.values_list("state", flat=True))
    assert states == sorted(
        [
            "draft",
            "submitted",
            "auditing",
            "corrective_action",
            "in_review",
            "certified",
            "suspended",
            "withdrawn",
        ]
    )
    for case in CertificationCase.objects.all():
        assert case_replay_state(case=case) == case.state  # reached by transitions, not written
    assert "http://127.0.0.1:8000/admin/" in output
    assert f"password for every one: {DEMO_PASSWORD}" in output


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = everything()

    output = seed()

    assert everything() == before
    assert output.startswith("Demo data: already present")


def test_the_demo_application_s_link_check_lists_the_withdrawn_agency_s_director(settings):
    settings.DEBUG = True
    seed()
    withdrawn = Agency.objects.get(name="Gorkha Manpower Services")
    assert withdrawn.cases.get().state == "withdrawn"
    assert withdrawn.people.filter(role="director").count() == 2
    assert set(withdrawn.details.values_list("kind", flat=True)) >= {"phone", "address"}
    applying = Application.objects.get(name="Everest Horizon Overseas")
    employer = Application.objects.get(name="Doha Marina Hotels")
    assert (applying.kind, applying.state) == ("agency", "submitted")
    assert (employer.kind, employer.state) == ("employer", "submitted")

    links = application_links(applying)

    assert [
        (link.match.kind, link.match.mine, link.match.theirs, link.other) for link in links
    ] == [
        ("phone", "01-4412345", "+977 1-4412345", withdrawn),
        ("person", "Thapa Raam Bahadur", "Ram Bahadur Thapa", withdrawn),
    ]
    person = links[1]
    assert person.match.strength == "strong" and person.match.outcome == "withdrawn"
    assert person.reason.startswith("Thapa Raam Bahadur is like Ram Bahadur Thapa (Director")
    assert application_links(employer) == []
    # The demo's certified agencies share nothing with the withdrawn one.
    assert agency_links(Agency.objects.get(name="Himalaya Fair Jobs")) == []


def test_the_demo_applications_await_the_demo_reviewer(settings, client):
    settings.DEBUG = True
    seed()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    queue = client.get("/review/applications/").content.decode()
    assert "Everest Horizon Overseas" in queue and "Doha Marina Hotels" in queue
    applying = Application.objects.get(name="Everest Horizon Overseas")
    page = client.get(f"/review/applications/{applying.public_id}/").content.decode()
    assert "is like Ram Bahadur Thapa" in page and "Gorkha Manpower Services" in page
    assert page.count('name="decision" value="linked"') == 2


def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG=true"):
        seed()

    assert not get_user_model().objects.exists()
