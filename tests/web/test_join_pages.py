"""The join pages (issue 18 §1): an agency applies on the web, the link's page confirms
by a button and takes the answer to a question, the reviewer reads the application with
its link check and decides on its page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from recruiters.applying import services
from recruiters.links.services import PersonEntry, record_people_and_details
from recruiters.models import Agency, Application
from tests.certification.world import World

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Everest Fair Jobs",
    "country": "NP",
    "registration_number": "REG-77",
    "size_band": "100_499",
    "corridors": "np-qa, NP-MY",
    "sectors": ["construction"],
    "person_0_name": "Raam Bahdur Thappa",
    "person_0_role": "director",
    "person_0_birth_year": "1971",
    "contact_name": "Asha Rai",
    "contact_email": "asha@everest.example",
    "password": "a long pass phrase of mine",
    "language": "en",
}


@pytest.fixture
def world():
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.save()
    record_people_and_details(world.agency, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    world.case_in("withdrawn")
    mail.outbox.clear()
    return world


def test_an_agency_applies_on_the_web_and_confirms_by_a_button(
    world, client, django_capture_on_commit_callbacks
):
    page = client.get(reverse("web:join", args=["agency"]))
    assert page.status_code == 200 and 'name="person_0_name"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("web:join", args=["agency"]), FORM)
    assert (
        sent.status_code == 200
        and "We sent a link to asha@everest.example" in sent.content.decode()
    )
    link = re.search(r"(/join/follow/\?key=\S+)", mail.outbox[0].body).group(1)
    opened = client.get(link)
    assert "Confirm and send" in opened.content.decode()
    assert Application.objects.get().state == "awaiting_confirmation"  # opening is not confirming
    key = link.split("key=")[1]
    confirmed = client.post(reverse("web:join-follow"), {"key": key, "step": "confirm"})
    assert "Submitted, awaiting a reviewer" in confirmed.content.decode()
    application = Application.objects.get()
    assert application.corridors == ["NP-MY", "NP-QA"]


def test_a_bad_row_is_shown_beside_its_field_and_nothing_is_made(world, client):
    answer = client.post(
        reverse("web:join", args=["agency"]),
        {**FORM, "person_0_role": "", "person_0_birth_year": "1850"},
    )
    assert answer.status_code == 400
    assert 'id="id_person_0_birth_year_error"' in answer.content.decode()
    assert not Application.objects.exists()
    taken = client.post(
        reverse("web:join", args=["agency"]),
        {**FORM, "registration_number": world.agency.registration_number},
    )
    assert taken.status_code == 400
    assert "already registered in this country" in taken.content.decode()


def test_the_reviewer_reads_the_link_check_asks_and_accepts_on_the_pages(world, client):
    client.post(reverse("web:join", args=["agency"]), FORM)
    application = Application.objects.get()
    services.application_confirm(services.link_key(application))
    client.force_login(world.reviewer)
    listed = client.get(reverse("web:review-applications")).content.decode()
    assert "Everest Fair Jobs" in listed
    page = client.get(
        reverse("web:review-application", args=[application.public_id])
    ).content.decode()
    assert "Strong match" in page and "is like Ram Bahadur Thapa" in page
    step = "web:review-application-step"
    assert (
        client.post(
            reverse(step, args=[application.public_id, "ask"]), {"question": ""}
        ).status_code
        == 400
    )
    client.post(reverse(step, args=[application.public_id, "ask"]), {"question": "Who is he?"})
    key = services.link_key(application)
    client.logout()
    followed = client.get(reverse("web:join-follow"), {"key": key}).content.decode()
    assert "Who is he?" in followed
    client.post(
        reverse("web:join-follow"), {"key": key, "step": "answer", "answer": "Another man."}
    )
    client.force_login(world.reviewer)
    client.post(reverse(step, args=[application.public_id, "accept"]))
    assert Agency.objects.filter(name="Everest Fair Jobs").exists()
    assert Application.objects.get().state == "accepted"


def test_only_reviewers_see_the_review_pages(world, client):
    client.post(reverse("web:join", args=["agency"]), FORM)
    application = Application.objects.get()
    client.force_login(world.agency_member)
    assert client.get(reverse("web:review-applications")).status_code == 404
    assert (
        client.get(reverse("web:review-application", args=[application.public_id])).status_code
        == 404
    )
    assert client.get(reverse("web:join-follow"), {"key": "forged"}).status_code == 400


def test_confirming_when_another_application_is_under_way_says_why(world, client):
    client.post(reverse("web:join", args=["agency"]), FORM)
    client.post(
        reverse("web:join", args=["agency"]), {**FORM, "contact_email": "two@everest.example"}
    )
    first, second = Application.objects.order_by("pk")
    services.application_confirm(services.link_key(first))
    page = client.post(
        reverse("web:join-follow"),
        {"key": services.link_key(second), "step": "confirm"},
        follow=True,
    )
    assert page.status_code == 400
    assert "under way in this country" in page.content.decode()
    assert Application.objects.get(pk=second.pk).state == "awaiting_confirmation"
