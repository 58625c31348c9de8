"""The optional public objection window (issue 18 §1): off by default; when on, confirmed
applications are listed publicly with their name, country and registration number, anyone
may object with a reason, the reviewers are told and read it on the application, and the
application is accepted only once the window has closed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import ApplicationObjection
from certification.services.objections import objection_make, objections_of
from recruiters.applying import services
from recruiters.models import Agency, Application
from tests.certification.test_applications import agency_application
from tests.certification.world import World
from tests.dates import long_day

pytestmark = pytest.mark.django_db

REASON = "The same director ran Sagarmatha Overseas, whose licence was cancelled in 2025."


@pytest.fixture
def confirmed(client, django_capture_on_commit_callbacks):
    world = World()
    world.reviewer.email = "reviewer@scheme.example"
    world.reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("api:applications"), agency_application(), content_type="application/json"
        )
    application = Application.objects.get()
    services.application_confirm(services.link_key(application))
    application = Application.objects.get(pk=application.pk)
    mail.outbox.clear()
    return world, application


def test_off_by_default_the_pages_do_not_exist_and_acceptance_is_not_held(confirmed):
    world, application = confirmed
    assert Client().get("/join/objections/").status_code == 404
    assert Client().get(f"/join/objections/{application.public_id}/").status_code == 404
    services.application_accept(actor=world.reviewer, application=application)
    assert Agency.objects.filter(name="Everest Fair Jobs").exists()


def test_anyone_objects_during_the_window_and_the_reviewer_reads_it(
    confirmed, settings, django_capture_on_commit_callbacks
):
    settings.APPLICATION_OBJECTION_DAYS = 14
    world, application = confirmed
    listing = Client().get("/join/objections/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Everest Fair Jobs" in html and "Nepal" in html and "REG/2026-0042" in html
    assert "asha@everest-fair.com.np" not in html  # the applicant's own e-mail stays private

    page = f"/join/objections/{application.public_id}/"
    short = Client().post(page, {"reason": "bad"})
    assert short.status_code == 400
    assert short.context["form"].errors["reason"] == [
        "Say what you know in at least 20 characters: the reviewer reads it."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sent = Client().post(page, {"reason": REASON, "contact": "+977 98 0000 0000"})
    assert sent.status_code == 200
    assert "Objection received" in sent.content.decode()
    objection = ApplicationObjection.objects.get()
    assert objection.reason == REASON
    assert "+977" not in objection.contact_encrypted  # kept encrypted
    assert objections_of(application)[0]["contact"] == "+977 98 0000 0000"
    (notice,) = mail.outbox
    assert notice.to == ["reviewer@scheme.example"]
    assert notice.subject == "[fairrecruit] An objection to the application of Everest Fair Jobs"
    assert REASON not in notice.body and "+977" not in notice.body

    review = Client()
    review.force_login(world.reviewer)
    read = review.get(reverse("web:review-application", args=[application.public_id]))
    assert REASON in read.content.decode()
    assert "+977 98 0000 0000" in read.content.decode()
    detail = review.get(reverse("api:application-detail", args=[application.public_id]))
    assert detail.json()["objections"][0]["reason"] == REASON


def test_acceptance_waits_for_the_window_to_close(confirmed, settings):
    settings.APPLICATION_OBJECTION_DAYS = 14
    world, application = confirmed
    closes = application.confirmed_at + timedelta(days=14)
    with pytest.raises(ValidationError) as refused:
        services.application_accept(actor=world.reviewer, application=application)
    assert refused.value.message_dict == {
        "state": [
            f"Anyone may object to this application until "
            f"{long_day(timezone.localtime(closes).date())}: accept it after that day."
        ]
    }
    assert not Agency.objects.filter(name="Everest Fair Jobs").exists()
    # accepted once the window has closed
    later = closes + timedelta(minutes=1)
    services.application_accept(actor=world.reviewer, application=application, now=later)
    application = Application.objects.get(pk=application.pk)
    assert application.state == "accepted"
    # closed: the public list no longer shows it, and objections are refused
    assert "Everest Fair Jobs" not in Client().get("/join/objections/").content.decode()
    assert Client().get(f"/join/objections/{application.public_id}/").status_code == 404


def test_an_objection_after_the_window_is_refused(confirmed, settings):
    settings.APPLICATION_OBJECTION_DAYS = 14
    _world, application = confirmed
    with pytest.raises(ValidationError) as refused:
        objection_make(
            application,
            reason=REASON,
            now=application.confirmed_at + timedelta(days=14, seconds=1),
        )
    assert refused.value.message_dict == {
        "application": ["This application is not open to objections any more."]
    }
    assert not ApplicationObjection.objects.exists()


def test_an_unconfirmed_application_is_not_listed(client, settings):
    settings.APPLICATION_OBJECTION_DAYS = 14
    World()
    client.post(reverse("api:applications"), agency_application(), content_type="application/json")
    application = Application.objects.get()
    assert application.state == "awaiting_confirmation"
    assert "Everest Fair Jobs" not in Client().get("/join/objections/").content.decode()
    assert Client().get(f"/join/objections/{application.public_id}/").status_code == 404
