"""Demo data: one user per role, parties in several countries, idempotent, DEBUG only."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from recruiters.demo import DEMO_PASSWORD
from recruiters.models import (
    Agency,
    CertificationBody,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    Role,
)

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
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
        )
    ]


def test_seed_demo_creates_one_user_per_role_and_the_parties(settings):
    settings.DEBUG = True

    output = seed()

    users = get_user_model().objects.all()
    assert sorted(users.values_list("username", flat=True)) == [
        "admin",
        "agency",
        "auditor",
        "auditor2",
        "employer",
        "reviewer",
    ]
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert users.get(username="admin").is_superuser
    assert sorted(Membership.objects.values_list("user__username", "role")) == [
        ("agency", Role.AGENCY_MEMBER),
        ("auditor", Role.AUDITOR),
        ("auditor2", Role.AUDITOR),
        ("employer", Role.EMPLOYER_MEMBER),
        ("reviewer", Role.REVIEWER),
    ]
    assert sorted(Agency.objects.values_list("country", flat=True)) == ["NP", "PH", "VN"]
    assert Corridor.objects.values("origin", "destination").distinct().count() == 6
    assert Employer.objects.count() == 2
    assert CertificationBody.objects.get().memberships.filter(role=Role.AUDITOR).count() == 2
    assert ConflictOfInterest.objects.count() == 1
    assert "http://127.0.0.1:8000/admin/" in output
    assert f"password for every one: {DEMO_PASSWORD}" in output


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = everything()

    output = seed()

    assert everything() == before
    assert output.startswith("Demo data: already present")


def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG=true"):
        seed()

    assert not get_user_model().objects.exists()
