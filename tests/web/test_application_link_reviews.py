"""Decisions on an application's link check, from the reviewer's application page: each
match has its form (linked, or not the same, with a note), the newest decision is shown
beside it, a bad decision is refused beside its field, and nobody but a reviewer may
decide. The page costs the same queries for 1 match as for 5."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.selectors.links import application_links
from recruiters.applying import services as applying
from recruiters.links.services import PersonEntry, link_review_record, record_people_and_details
from recruiters.models import LinkReview
from tests.certification.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Sagarmatha Overseas, withdrawn today, with its two directors, phone, licence number
    and e-mail domain."""
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.legal_name = "Sagarmatha Overseas Pvt. Ltd."
    world.agency.licence_number = "DOFE-0911-071"
    world.agency.address = "Flat 3, 12 Durbar Marg, Kathmandu"
    world.agency.save()
    record_people_and_details(
        world.agency,
        [
            PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP"),
            PersonEntry("Gita Shrestha", "director", 1985, "NP"),
        ],
        [("phone", "+977 1-4411223"), ("email_domain", "info@sagarmatha-overseas.example")],
    )
    world.withdrawn = world.case_in("withdrawn")
    return world


def apply(name, email, people, **fields):
    """An agency's application, confirmed: in the reviewers' queue."""
    application = applying.application_submit(
        applying.ApplicationEntry(
            kind="agency",
            name=name,
            country="NP",
            registration_number=f"REG-{name.split()[0].upper()}",
            contact_name="Asha Rai",
            contact_email=email,
            password="a long pass phrase of mine",
            size_band="100_499",
            people=tuple(people),
            **fields,
        )
    )
    return applying.application_confirm(applying.link_key(application))


def one_match():
    """Shares the withdrawn agency's address only."""
    return apply(
        "Everest Fair Jobs",
        "asha@everest-fair.example",
        [PersonEntry("Sita Gurung", "director", 1980), PersonEntry("Hari Karki", "owner", 1975)],
        address="12 Durbar Rd, Flat 3, Kathmandu",
    )


def five_matches():
    """Shares the withdrawn agency's two directors (spelt otherwise), phone, licence
    number and e-mail domain."""
    return apply(
        "Kanchenjunga Manpower",
        "office@sagarmatha-overseas.example",
        [
            PersonEntry("THAPPA, Raam Bahdur", "director", 1971, "NP"),
            PersonEntry("Geeta Shrestha", "director", 1985, "NP"),
        ],
        phone="01 4411223",
        licence_number="dofe 0911 071",
    )


def page(client, application):
    return client.get(reverse("web:review-application", args=[application.public_id]))


def decide(client, application, link, decision, note=""):
    return client.post(
        reverse("web:application-link-review", args=[application.public_id]),
        {
            "other": str(link.other.public_id),
            "kind": link.match.kind,
            "mine": link.match.mine,
            "theirs": link.match.theirs,
            "decision": decision,
            "note": note,
        },
    )


def test_a_reviewer_records_linked_and_not_the_same_and_sees_them(world, client):
    application = five_matches()
    links = application_links(application)
    person = next(link for link in links if link.match.kind == "person")
    phone = next(link for link in links if link.match.kind == "phone")
    client.force_login(world.reviewer)
    shown = page(client, application).content.decode()
    assert shown.count('name="decision" value="linked"') == len(links) == 5
    assert "Decided:" not in shown

    linked = decide(client, application, person, "linked", "Same man, same birth year.")
    assert linked.status_code == 302
    assert linked["Location"] == reverse("web:review-application", args=[application.public_id])
    other = decide(client, application, phone, "not_the_same", "A shared switchboard.")
    assert other.status_code == 302

    reviews = LinkReview.objects.filter(application=application).order_by("id")
    assert [(r.kind, r.decision, r.decided_by, r.other) for r in reviews] == [
        ("person", "linked", world.reviewer, world.agency),
        ("phone", "not_the_same", world.reviewer, world.agency),
    ]
    shown = client.get(linked["Location"]).content.decode()
    assert "Your decision on the match is recorded." in shown
    assert (
        "Decided: Linked: the same people or business (reviewer, " in shown
        and "Same man, same birth year." in shown
    )
    assert "Decided: Not the same (reviewer, " in shown and "A shared switchboard." in shown
    assert shown.count("Decided:") == 2

    # Decided again: the newest stands, beside its match.
    decide(client, application, person, "not_the_same", "Another district.")
    shown = page(client, application).content.decode()
    assert "Same man, same birth year." not in shown and "Another district." in shown
    assert "Decided: Linked" not in shown
    assert LinkReview.objects.filter(application=application).count() == 3


def test_a_bad_decision_is_refused_beside_its_field_and_nothing_is_saved(world, client):
    application = five_matches()
    links = application_links(application)
    client.force_login(world.reviewer)

    answer = decide(client, application, links[2], "maybe", "Perhaps.")

    assert answer.status_code == 400
    shown = answer.content.decode()
    assert '<p class="error" id="id_link_2_decision_error">Choose linked or not the same.</p>' in (
        shown
    )
    assert shown.count('class="error"') == 1  # beside that match only
    assert 'value="Perhaps."' in shown  # the note is kept
    assert not LinkReview.objects.exists()

    unknown = client.post(
        reverse("web:application-link-review", args=[application.public_id]),
        {
            "other": "7d1c1f39-0000-4000-8000-000000000000",
            "kind": "person",
            "mine": "a",
            "theirs": "b",
            "decision": "linked",
        },
    )
    assert unknown.status_code == 400
    shown = unknown.content.decode()
    assert '<div class="field has-error" id="link-review-errors"><p class="error">' in shown
    assert "No agency or application has this id." in shown  # it names no match: on top
    assert not LinkReview.objects.exists()


def test_an_application_is_not_linked_to_itself(world, client):
    application = five_matches()
    link = application_links(application)[0]
    client.force_login(world.reviewer)
    answer = client.post(
        reverse("web:application-link-review", args=[application.public_id]),
        {
            "other": str(application.public_id),
            "kind": link.match.kind,
            "mine": link.match.mine,
            "theirs": link.match.theirs,
            "decision": "linked",
        },
    )
    assert answer.status_code == 400
    assert "An agency is not linked to itself." in answer.content.decode()
    assert not LinkReview.objects.exists()


@pytest.mark.parametrize("who", ["agency_member", "auditor", "employer_member"])
def test_anyone_but_a_reviewer_gets_404_and_nothing_is_saved(world, client, who):
    application = five_matches()
    link = application_links(application)[0]
    client.force_login(getattr(world, who))

    assert decide(client, application, link, "linked").status_code == 404
    assert page(client, application).status_code == 404
    assert not LinkReview.objects.exists()


def test_signed_out_the_sign_in_page_and_a_get_is_refused(world, client):
    application = five_matches()
    link = application_links(application)[0]
    answer = decide(client, application, link, "linked")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    client.force_login(world.reviewer)
    url = reverse("web:application-link-review", args=[application.public_id])
    assert client.get(url).status_code == 405
    assert not LinkReview.objects.exists()


def test_the_page_costs_the_same_queries_for_1_and_5_matches(world):
    counts = []
    for application, expected in ((one_match(), 1), (five_matches(), 5)):
        links = application_links(application)
        assert len(links) == expected
        for link in links:  # each with a decision shown, and who took it
            link_review_record(
                actor=world.reviewer,
                subject=application,
                other=link.other,
                kind=link.match.kind,
                mine=link.match.mine,
                theirs=link.match.theirs,
                decision="linked",
            )
        client = Client()
        client.force_login(world.reviewer)
        with CaptureQueriesContext(connection) as queries:
            shown = page(client, application)
        assert shown.status_code == 200
        assert shown.content.decode().count("Decided:") == expected
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
