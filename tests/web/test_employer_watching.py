"""Employers find suppliers by name and watch them where they find them (issue 19): name
search whatever the case and accents, Watch / Stop watching buttons on the registry and the
agency's page, the watchlist taking a name with suggestions, e-mail alerts beside webhooks
in each member's language (opt-out per member), and a webhook's test event."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from certification import services
from certification.models import StatusEvent, WatchedAgency, Webhook, WebhookDelivery
from recruiters.models import Membership
from recruiters.organisation.services import language_set
from tests.certification.world import World
from tests.factories import AgencyFactory, MembershipFactory
from tests.web.conftest import field_errors, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    world.agency.name = "Himalaya Fair Jobs"
    world.agency.save()
    world.certified = world.case_in("certified")
    return world


def _employer(world):
    return world.employer_member.memberships.get(role="employer_member").employer


@pytest.mark.parametrize("typed", ["himalaya", "HIMÂLAYA fair", "fair jobs", "Himalaya Fair Jobs"])
def test_the_registry_finds_an_agency_by_part_of_its_name(world, client, typed):
    AgencyFactory(name="Everest Manpower")  # not certified: not in the registry
    page = client.get("/registry/", {"search": typed})
    assert [c.agency_name for c, *_rest in page.context["rows"]] == ["Himalaya Fair Jobs"]


def test_watch_and_stop_watching_from_the_registry_and_the_agency_page(world):
    client = signed_in(world.employer_member)
    registry = client.get("/registry/")
    html = registry.content.decode()
    assert f'name="add" value="{world.agency.public_id}"' in html
    added = client.post(
        "/employer/watchlist/",
        {"add": str(world.agency.public_id), "next": "/registry/?search=himalaya"},
    )
    assert added["Location"] == "/registry/?search=himalaya"
    assert WatchedAgency.objects.filter(employer=_employer(world), agency=world.agency).exists()
    page = client.get(f"/agencies/{world.agency.public_id}/")
    assert f'name="remove" value="{world.agency.public_id}"' in page.content.decode()
    removed = client.post(
        "/employer/watchlist/",
        {"remove": str(world.agency.public_id), "next": f"/agencies/{world.agency.public_id}/"},
    )
    assert removed["Location"] == f"/agencies/{world.agency.public_id}/"
    assert not WatchedAgency.objects.exists()
    # elsewhere than this site, the button goes back to the watchlist
    elsewhere = client.post(
        "/employer/watchlist/",
        {"add": str(world.agency.public_id), "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == "/employer/watchlist/"


def test_only_employers_see_the_buttons(world):
    for person in (None, world.agency_member, world.reviewer):
        client = signed_in(person) if person else Client()
        html = client.get("/registry/").content.decode()
        assert 'name="add"' not in html
        html = client.get(f"/agencies/{world.agency.public_id}/").content.decode()
        assert 'name="add"' not in html


def test_the_watchlist_takes_a_name_and_offers_the_agencies_so_named(world):
    AgencyFactory(name="Himalaya Fair Jobs", country="IN")
    AgencyFactory(name="Kathmandu Care")
    client = signed_in(world.employer_member)
    unique = client.post("/employer/watchlist/", {"supplier": "kathmandu care"})
    assert unique.status_code == 302
    assert list(WatchedAgency.objects.values_list("agency__name", flat=True)) == ["Kathmandu Care"]
    several = client.post("/employer/watchlist/", {"supplier": "himalaya"})
    assert several.status_code == 400
    assert field_errors(several) == {
        "supplier": ["Several agencies have a name like this one: choose below, or type more."]
    }
    offered = several.context["form"].suggestions
    assert sorted((a.name, a.country.code) for a in offered) == [
        ("Himalaya Fair Jobs", "IN"),
        ("Himalaya Fair Jobs", "NP"),
    ]
    html = several.content.decode()
    assert all(f'name="add" value="{a.public_id}"' in html for a in offered)


def test_a_status_change_is_e_mailed_to_the_watching_employer_s_members(
    world, django_capture_on_commit_callbacks
):
    employer = _employer(world)
    WatchedAgency.objects.create(employer=employer, agency=world.agency)
    french = MembershipFactory(
        employer_member=True, employer=employer, user__email="achats@gulf.example"
    ).user
    language_set(user=french, language="fr")
    quiet = MembershipFactory(
        employer_member=True, employer=employer, user__email="quiet@gulf.example"
    ).user
    language_set(user=quiet, status_alerts=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=world.certified, reason="Fees taken.")

    alerts = {tuple(m.to): m for m in mail.outbox if "→" in m.subject}
    assert sorted(alerts) == [("achats@gulf.example",), (world.employer_member.email,)]
    assert alerts[(world.employer_member.email,)].subject == (
        "[fairrecruit] Himalaya Fair Jobs: Certified → Suspended"
    )
    french_alert = alerts[("achats@gulf.example",)]
    assert french_alert.subject == "[fairrecruit] Himalaya Fair Jobs : Certifiée → Suspendue"
    assert f"/agencies/{world.agency.public_id}/" in french_alert.body
    assert all("quiet@gulf.example" not in m.to for m in mail.outbox)

    # Another employer watches it too: nobody sees the other's people.
    WatchedAgency.objects.create(
        employer=MembershipFactory(
            employer_member=True, user__email="buyer@other.example"
        ).employer,
        agency=world.agency,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reinstate(actor=world.reviewer, case=world.certified)
    assert sorted(m.to[0] for m in mail.outbox if "→" in m.subject) == [
        "achats@gulf.example",
        "buyer@other.example",
        world.employer_member.email,
    ]
    assert all(len(m.to) == 1 for m in mail.outbox if "→" in m.subject)


def test_a_member_turns_the_alerts_off_on_their_account_page_and_in_the_api(world):
    client = signed_in(world.employer_member)
    page = client.get("/accounts/settings/")
    assert 'name="status_alerts"' in page.content.decode()
    client.post("/accounts/settings/", {"language": "en"})  # the box left unticked
    assert world.employer_member.preferences.status_alerts is False
    api = APIClient()
    api.force_authenticate(world.employer_member)
    assert (
        api.patch("/api/v1/me/", {"status_alerts": True}, format="json").json()["status_alerts"]
        is True
    )
    # an agency's member has no such box: agencies watch nobody
    other = signed_in(world.agency_member).get("/accounts/settings/")
    assert 'name="status_alerts"' not in other.content.decode()


def test_a_webhook_is_sent_a_test_event_shown_in_its_delivery_log(world):
    employer = _employer(world)
    webhook = Webhook.objects.create(
        employer=employer, url="https://hooks.example/in", secret="s" * 32
    )
    client = signed_in(world.employer_member)
    sent = client.post("/employer/webhooks/", {"test": str(webhook.pk)})
    assert sent["Location"] == f"/employer/webhooks/{webhook.pk}/"
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.event.is_test and delivery.event.payload["type"] == "certification.test"
    assert delivery.event.agency is None and delivery.state == "pending"
    log = client.get(sent["Location"]).content.decode()
    assert "Test event" in log

    from recruiters import services as keys

    _key, secret = keys.employer_key_create(
        actor=world.employer_member, employer=employer, name="erp"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    answer = api.post(f"/api/v1/webhooks/{webhook.pk}/test/")
    assert answer.status_code == 202 and answer.json()["test"] is True
    assert StatusEvent.objects.filter(is_test=True).count() == 2
    # another employer's webhook: not theirs
    other = Webhook.objects.create(
        employer=MembershipFactory(employer_member=True).employer,
        url="https://other.example/in",
        secret="t" * 32,
    )
    assert api.post(f"/api/v1/webhooks/{other.pk}/test/").status_code == 404
    assert client.post("/employer/webhooks/", {"test": str(other.pk)}).status_code == 404
    assert Membership.objects.filter(employer=employer).count() == 1
