"""Each person chooses their language (issue 18 §2): the notices follow the recipient's
language, not the case's; whoever chose none reads the case's, as before."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from certification import services
from recruiters.applying import services as applying
from recruiters.models import Application, Preferences
from recruiters.organisation.services import language_set
from tests.certification.test_applications import agency_application
from tests.certification.world import RATIONALE, World

pytestmark = pytest.mark.django_db


def test_a_case_notice_is_written_in_each_recipient_s_language(
    django_capture_on_commit_callbacks,
):
    world = World()
    case = world.case_in("in_review")
    language_set(user=world.auditor, language="fr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert sorted(by_recipient) == [("agency@example.org",), ("auditor@example.org",)]
    english, french = by_recipient[("agency@example.org",)], by_recipient[("auditor@example.org",)]
    assert english.subject == f"[fairrecruit] Kathmandu Fair Jobs: case {case.pk} — certified"
    assert f"Case {case.pk} of Kathmandu Fair Jobs is now" in english.body
    assert french.subject.startswith("[fairrecruit] Kathmandu Fair Jobs : dossier")
    assert f"Le dossier {case.pk} de Kathmandu Fair Jobs" in french.body


def test_a_person_chooses_their_language_on_their_account_page_and_in_the_api():
    world = World()
    client = Client()
    client.force_login(world.agency_member)
    page = client.get(reverse("account-settings"))
    assert page.status_code == 200
    saved = client.post(reverse("account-settings"), {"language": "fr"})
    assert saved.status_code == 302
    assert saved.cookies["django_language"].value == "fr"
    assert Preferences.objects.get(user=world.agency_member).language == "fr"
    refused = client.post(reverse("account-settings"), {"language": "xx"})
    assert refused.status_code == 400
    assert Preferences.objects.get(user=world.agency_member).language == "fr"

    api = APIClient()
    api.force_authenticate(world.auditor)
    assert api.get("/api/v1/me/").json()["language"] == ""
    changed = api.patch("/api/v1/me/", {"language": "fr"}, format="json")
    assert changed.status_code == 200 and changed.json()["language"] == "fr"
    bad = api.patch("/api/v1/me/", {"language": "de"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "language"
    assert Preferences.objects.get(user=world.auditor).language == "fr"


def test_signing_in_brings_the_chosen_language_to_the_pages():
    world = World()
    world.agency_member.set_password("a long pass phrase of mine")
    world.agency_member.save()
    language_set(user=world.agency_member, language="fr")
    client = Client()
    answer = client.post(
        reverse("login"),
        {"username": world.agency_member.username, "password": "a long pass phrase of mine"},
    )
    assert answer.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get(reverse("web:dashboard")).content.decode()


def test_reviewers_read_of_an_application_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    world = World()
    world.reviewer.email = "reviewer@scheme.example"
    world.reviewer.save()
    language_set(user=world.reviewer, language="fr")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("api:applications"), agency_application(), content_type="application/json"
        )
    application = Application.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        applying.application_confirm(applying.link_key(application))
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert by_recipient[("asha@everest-fair.com.np",)].subject == (
        "Your application is with the reviewers"
    )
    assert by_recipient[("reviewer@scheme.example",)].subject == (
        "Une demande attend un évaluateur : Everest Fair Jobs"
    )
