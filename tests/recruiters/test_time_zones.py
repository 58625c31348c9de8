"""Times in the reader's time zone where a person chose one (issue 19): chosen on the
account page or through the API, carried from sign-in, refused when unknown; the scheme's
time (UTC) for everyone else."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import TransitionEvent
from recruiters.models import Preferences
from recruiters.organisation.services import language_set
from recruiters.time_zones import SESSION_KEY
from tests.certification.world import World
from tests.dates import long_day

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase of mine"


def shown(moment, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{long_day(local.date())}, {local:%H:%M}"


def test_a_person_who_chose_kathmandu_reads_the_history_in_kathmandu_time():
    world = World()
    case = world.case_in("submitted")
    event = TransitionEvent.objects.filter(case=case).latest("created_at")
    client = Client()
    client.force_login(world.agency_member)

    saved = client.post(
        reverse("account-settings"), {"language": "en", "time_zone": "Asia/Kathmandu"}
    )

    assert saved.status_code == 302
    assert Preferences.objects.get(user=world.agency_member).time_zone == "Asia/Kathmandu"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert shown(event.created_at, "Asia/Kathmandu") in page  # UTC + 5:45
    assert shown(event.created_at, "UTC") not in page
    other = Client()
    other.force_login(world.reviewer)  # chose nothing: the scheme's time
    assert shown(event.created_at, "UTC") in other.get(f"/cases/{case.pk}/").content.decode()


def test_signing_in_brings_the_chosen_time_zone_and_empty_goes_back_to_utc():
    world = World()
    case = world.case_in("submitted")
    event = TransitionEvent.objects.filter(case=case).latest("created_at")
    world.agency_member.set_password(PASSWORD)
    world.agency_member.save()
    language_set(user=world.agency_member, time_zone="America/Mexico_City")
    client = Client()
    client.post(reverse("login"), {"username": world.agency_member.username, "password": PASSWORD})

    assert shown(event.created_at, "America/Mexico_City") in (
        client.get(f"/cases/{case.pk}/").content.decode()
    )
    client.post(reverse("account-settings"), {"language": "en", "time_zone": ""})
    assert shown(event.created_at, "UTC") in client.get(f"/cases/{case.pk}/").content.decode()


def test_an_unknown_time_zone_is_refused_on_the_page_and_in_the_api():
    world = World()
    client = Client()
    client.force_login(world.agency_member)

    refused = client.post(
        reverse("account-settings"), {"language": "en", "time_zone": "Mars/Olympus"}
    )

    assert refused.status_code == 400
    assert not Preferences.objects.filter(user=world.agency_member).exists()
    api = APIClient()
    api.force_authenticate(world.auditor)
    assert api.get("/api/v1/me/").json()["time_zone"] == ""
    bad = api.patch("/api/v1/me/", {"time_zone": "Mars/Olympus"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "time_zone"
    good = api.patch("/api/v1/me/", {"time_zone": "Asia/Manila"}, format="json")
    assert good.status_code == 200 and good.json()["time_zone"] == "Asia/Manila"
    assert Preferences.objects.get(user=world.auditor).time_zone == "Asia/Manila"


def test_a_decision_taken_by_a_person_far_from_utc_keeps_the_schemes_day():
    """Only what pages show moves: a reviewer whose zone is already tomorrow (or still
    yesterday) certifies, and the certificate starts on the scheme's day, as everyone's."""
    from datetime import UTC, datetime

    from certification.selectors.record import case_record
    from tests.certification.world import RATIONALE

    now = datetime.now(UTC)
    zone = "Pacific/Kiritimati" if now.hour >= 10 else "Pacific/Pago_Pago"  # UTC+14, UTC-11
    assert now.astimezone(ZoneInfo(zone)).date() != now.date()
    world = World()
    case = world.case_in("in_review")
    client = Client()
    client.force_login(world.reviewer)
    saved = client.post(reverse("account-settings"), {"language": "en", "time_zone": zone})
    assert saved.status_code == 302 and client.session[SESSION_KEY] == zone

    answer = client.post(
        f"/cases/{case.pk}/transitions/certify/",
        {
            "certify-reason": RATIONALE,
            "certify-confirmations": [item.key for item in case_record(case).to_confirm],
            "certify-understood": "on",
        },
    )

    assert answer.status_code == 302, answer.content[:300]
    certificate = type(case).objects.get(pk=case.pk).certificate
    assert certificate.valid_from == now.date()
    assert certificate.number.startswith(f"FR-{now.year}-")
