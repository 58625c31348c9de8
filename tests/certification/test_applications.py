"""Applying to join (issue 18 §1), through the API: an agency applies, confirms its e-mail
by the link, the reviewer sees the link check, asks for information, the applicant
answers, the reviewer accepts and the first member signs in; an employer likewise; a
rejection with its reason; bad input refused whole, beside its field."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from recruiters.applying import services
from recruiters.links.services import PersonEntry, record_people_and_details
from recruiters.models import (
    Agency,
    Application,
    ApplicationEvent,
    Employer,
    Membership,
    RelevantPerson,
)
from tests.certification.world import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase of mine"


def agency_application(**more) -> dict:
    return {
        "kind": "agency",
        "name": "Everest Fair Jobs",
        "legal_name": "Everest Fair Jobs Pvt. Ltd.",
        "country": "NP",
        "registration_number": "REG/2026-0042",
        "licence_number": "LIC 1234",
        "address": "Flat 9, 3 New Road, Kathmandu",
        "phone": "+977 1 5550000",
        "email": "info@everest-fair.com.np",
        "size_band": "100_499",
        "corridors": ["NP-QA", "NP-MY"],
        "sectors": ["construction", "hospitality"],
        "people": [{"name": "THAPPA, Raam Bahdur", "role": "director", "birth_year": 1971}],
        "contact_name": "Asha Rai",
        "contact_email": "Asha@Everest-Fair.com.np",
        "password": PASSWORD,
        **more,
    }


@pytest.fixture
def world():
    """A reviewer, and Sagarmatha Overseas withdrawn with its director Ram Bahadur Thapa."""
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.save()
    record_people_and_details(world.agency, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    world.case_in("withdrawn")
    world.reviewer.email = "reviewer@scheme.example"
    world.reviewer.save()
    mail.outbox.clear()
    return world


def key_in(message) -> str:
    return re.search(r"key=([^\s]+)", message.body).group(1)


def apply(client, **more):
    answer = client.post(
        reverse("api:applications"), agency_application(**more), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    return answer


def test_an_agency_applies_is_checked_asked_answers_and_is_accepted(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = apply(client)
    assert answer.json()["state"] == "awaiting_confirmation"
    assert answer["Cache-Control"] == "no-store"
    [confirm] = mail.outbox
    assert confirm.to == ["asha@everest-fair.com.np"]
    reviewer = client
    reviewer.force_login(world.reviewer)
    assert reviewer.get(reverse("api:applications")).json()["results"] == []  # not confirmed

    reviewer.logout()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("api:application-confirm"),
            {"key": key_in(confirm)},
            content_type="application/json",
        )
    assert confirmed.json()["state"] == "submitted"
    assert [m.to for m in mail.outbox[1:]] == [
        ["asha@everest-fair.com.np"],
        ["reviewer@scheme.example"],
    ]

    reviewer.force_login(world.reviewer)
    [listed] = reviewer.get(reverse("api:applications")).json()["results"]
    detail = reviewer.get(reverse("api:application-detail", args=[listed["id"]])).json()
    [link] = detail["links"]
    assert (link["kind"], link["strength"], link["theirs"], link["outcome"]) == (
        "person",
        "strong",
        "Ram Bahadur Thapa",
        "withdrawn",
    )
    assert "Sagarmatha Overseas (withdrawn" in link["reason"]
    assert [e["transition"] for e in detail["events"]] == ["submit", "confirm"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = reviewer.post(
            reverse("api:application-ask", args=[listed["id"]]),
            {"question": "Was Ram Bahadur Thapa a director of Sagarmatha Overseas?"},
            content_type="application/json",
        )
    assert asked.json()["state"] == "information_requested"
    [question] = mail.outbox
    assert "Was Ram Bahadur Thapa a director" in question.body
    reviewer.logout()
    followed = client.post(
        reverse("api:application-follow"),
        {"key": key_in(question)},
        content_type="application/json",
    ).json()
    assert (followed["state"], followed["question"]) == (
        "information_requested",
        "Was Ram Bahadur Thapa a director of Sagarmatha Overseas?",
    )
    answered = client.post(
        reverse("api:application-answer"),
        {"key": key_in(question), "answer": "No: another man of that name, born in Palpa."},
        content_type="application/json",
    )
    assert answered.json()["state"] == "submitted"

    reviewer.force_login(world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = reviewer.post(reverse("api:application-accept", args=[listed["id"]]))
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    agency = Agency.objects.get(name="Everest Fair Jobs")
    assert (agency.country.code, agency.registration_number, agency.size_band) == (
        "NP",
        "REG/2026-0042",
        "100_499",
    )
    assert sorted(agency.sectors.values_list("code", flat=True)) == ["construction", "hospitality"]
    assert sorted(f"{c.origin.code}-{c.destination.code}" for c in agency.corridors.all()) == [
        "NP-MY",
        "NP-QA",
    ]
    assert RelevantPerson.objects.get(name="THAPPA, Raam Bahdur").agency == agency
    membership = Membership.objects.get(agency=agency)
    assert (membership.role, membership.user.email) == ("agency_member", "asha@everest-fair.com.np")
    assert "Sign in with asha@everest-fair.com.np" in mail.outbox[-1].body
    reviewer.logout()
    signed_in = client.post(
        "/accounts/login/", {"username": "asha@everest-fair.com.np", "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] != "/accounts/login/"
    assert client.get(reverse("web:dashboard")).status_code == 200
    steps = ApplicationEvent.objects.filter(application__agency=agency).values_list(
        "transition", "source", "target", "actor__username"
    )
    assert list(steps) == [
        ("submit", "", "awaiting_confirmation", None),
        ("confirm", "awaiting_confirmation", "submitted", None),
        ("ask", "submitted", "information_requested", "reviewer"),
        ("reply", "information_requested", "submitted", None),
        ("accept", "submitted", "accepted", "reviewer"),
    ]


def test_an_employer_applies_with_fewer_fields_and_is_accepted(world, client):
    apply(
        client,
        kind="employer",
        name="Doha Builders",
        country="QA",
        registration_number="CR 55501",
        size_band="",
        corridors=[],
        sectors=[],
        people=[],
        contact_email="hr@doha-builders.qa",
    )
    application = Application.objects.get()
    services.application_confirm(services.link_key(application))
    services.application_accept(actor=world.reviewer, application=application)
    employer = Employer.objects.get(name="Doha Builders")
    membership = Membership.objects.get(employer=employer)
    # The first member administers the employer and reads in the application's language.
    assert (membership.role, membership.is_administrator) == ("employer_member", True)
    assert membership.user.preferences.language == "en"


def test_a_rejection_says_why(world, client, django_capture_on_commit_callbacks):
    apply(client)
    application = Application.objects.get()
    services.application_confirm(services.link_key(application))
    client.force_login(world.reviewer)
    url = reverse("api:application-reject", args=[application.public_id])
    assert client.post(url, {"reason": " "}, content_type="application/json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        rejected = client.post(
            url,
            {"reason": "The licence number is not the ministry's."},
            content_type="application/json",
        )
    assert rejected.json()["state"] == "rejected"
    assert "The licence number is not the ministry's." in mail.outbox[-1].body
    assert not Agency.objects.filter(name="Everest Fair Jobs").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"people": [{"name": "Hari", "role": "director", "birth_year": 1850}]},
            "people.0.birth_year",
        ),
        ({"people": []}, "people"),
        ({"corridors": ["NP-NP"]}, "corridors"),
        ({"password": "password"}, "password"),
        ({"contact_email": "not an e-mail"}, "contact_email"),
        ({"country": "XX"}, "country"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_made(world, client, change, field):
    answer = client.post(
        reverse("api:applications"), agency_application(**change), content_type="application/json"
    )
    assert answer.status_code == 400
    assert field in {error["attr"] for error in answer.json()["errors"]}
    assert (
        not Application.objects.exists()
        and not RelevantPerson.objects.filter(agency__isnull=True).exists()
    )


def test_an_e_mail_with_an_account_is_answered_as_any_other_and_its_owner_told(
    world, client, django_capture_on_commit_callbacks
):
    UserFactory(username="asha", email="asha@everest-fair.com.np")
    with django_capture_on_commit_callbacks(execute=True):
        answer = apply(client)
    assert answer.json() == {
        "state": "awaiting_confirmation",
        "message": "We sent a link to your e-mail: open it to send your application to the "
        "reviewers.",
    }
    assert not Application.objects.exists()
    [told] = mail.outbox
    assert told.to == ["asha@everest-fair.com.np"]
    assert "already has an account" in told.body and "key=" not in told.body


def test_a_number_of_the_register_is_refused_and_one_under_way_at_confirmation(world, client):
    taken = agency_application(
        registration_number=world.agency.registration_number.lower(),
        country=world.agency.country.code,
    )
    answer = client.post(reverse("api:applications"), taken, content_type="application/json")
    assert [e["attr"] for e in answer.json()["errors"]] == ["registration_number"]
    # An unconfirmed application blocks nobody: anyone can type a number or an e-mail.
    apply(client, contact_email="squatter@elsewhere.example")
    apply(client, contact_email="first@everest-fair.com.np")
    apply(client, contact_email="second@everest-fair.com.np")
    _squatter, first, second = Application.objects.order_by("pk")
    services.application_confirm(services.link_key(first))
    confirm = client.post(
        reverse("api:application-confirm"),
        {"key": services.link_key(second)},
        content_type="application/json",
    )
    assert confirm.status_code == 400
    assert [e["attr"] for e in confirm.json()["errors"]] == ["registration_number"]
    assert Application.objects.get(pk=second.pk).state == "awaiting_confirmation"


def test_links_are_single_purpose_signed_and_expire(world, client):
    apply(client)
    application = Application.objects.get()
    key = services.link_key(application)
    confirm = reverse("api:application-confirm")
    assert (
        client.post(confirm, {"key": key + "x"}, content_type="application/json").status_code == 400
    )
    with override_settings(APPLICATION_LINK_DAYS=-1):
        assert (
            client.post(confirm, {"key": key}, content_type="application/json").status_code == 400
        )
    assert client.post(confirm, {"key": key}, content_type="application/json").json()["state"] == (
        "submitted"
    )
    # Used again: answers as the first time did, nothing changes.
    assert client.post(confirm, {"key": key}, content_type="application/json").status_code == 200
    assert ApplicationEvent.objects.filter(transition="confirm").count() == 1


def test_an_unconfirmed_application_cannot_be_decided(world, client):
    apply(client)
    application = Application.objects.get()
    client.force_login(world.reviewer)
    answer = client.post(reverse("api:application-accept", args=[application.public_id]))
    assert answer.status_code == 400
    assert "awaiting the e-mail" in answer.json()["errors"][0]["detail"]
    assert not Agency.objects.filter(name="Everest Fair Jobs").exists()


def test_an_application_accepted_after_its_number_was_taken_meanwhile_is_refused_whole(
    world, client
):
    apply(client)
    application = Application.objects.get()
    services.application_confirm(services.link_key(application))
    Agency.objects.create(
        name="Someone Else",
        legal_name="x",
        country="NP",
        registration_number="REG/2026-0042",
        size_band="100_499",
    )
    client.force_login(world.reviewer)
    answer = client.post(reverse("api:application-accept", args=[application.public_id]))
    assert answer.status_code == 400
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert not Membership.objects.filter(user__email="asha@everest-fair.com.np").exists()


def test_a_new_link_is_sent_to_the_e_mail_and_the_answer_tells_nothing(
    world, client, django_capture_on_commit_callbacks
):
    apply(client)
    mail.outbox.clear()
    url = reverse("api:application-link")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            url, {"email": "ASHA@everest-fair.com.np"}, content_type="application/json"
        )
        unknown = client.post(
            url, {"email": "nobody@else.example"}, content_type="application/json"
        )
    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.json() == unknown.json()
    [sent] = mail.outbox
    assert sent.to == ["asha@everest-fair.com.np"]
    confirmed = client.post(
        reverse("api:application-confirm"), {"key": key_in(sent)}, content_type="application/json"
    )
    assert confirmed.json()["state"] == "submitted"


def test_a_new_link_goes_to_the_application_under_way_not_a_duplicate(
    world, client, django_capture_on_commit_callbacks
):
    apply(client)
    first = Application.objects.get()
    services.application_confirm(services.link_key(first))
    apply(client)  # the same applicant, again, by mistake: unconfirmed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("api:application-link"),
            {"email": "asha@everest-fair.com.np"},
            content_type="application/json",
        )
    [sent] = mail.outbox
    assert services.application_by_key(key_in(sent)) == first


def test_an_address_longer_than_the_register_keeps_is_refused(world, client):
    answer = client.post(
        reverse("api:applications"),
        agency_application(address="Ward 4, " * 40),
        content_type="application/json",
    )
    assert [e["attr"] for e in answer.json()["errors"]] == ["address"]
