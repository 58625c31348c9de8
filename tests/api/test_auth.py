"""Personal tokens and employer keys: shown once, stored hashed, revocable, expiring."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recruiters.keys import key_hash
from recruiters.models import EmployerAPIKey, PersonalToken
from tests.api.conftest import other_employer_member

pytestmark = pytest.mark.django_db


def test_a_token_is_exchanged_for_a_password_and_stored_hashed(api, world):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "agency", "password": "correct horse battery staple", "name": "laptop"},
    )

    assert response.status_code == 201
    secret = response.json()["token"]
    token = PersonalToken.objects.get()
    assert secret.startswith("frp_") and len(secret) > 40
    assert token.key_hash == key_hash(secret) and secret not in (token.key_hash, token.prefix)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    listed = api.get("/api/v1/auth/tokens/").json()["results"]
    assert [(t["name"], t["prefix"]) for t in listed] == [("laptop", secret[:12])]
    assert "token" not in listed[0]


def test_a_wrong_password_names_the_field(api, world):
    response = api.post("/api/v1/auth/token/", {"username": "agency", "password": "guess"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "invalid", "detail": "Wrong username or password.", "attr": "password"}
        ],
    }


def test_a_revoked_or_expired_token_no_longer_opens_anything(api, world):
    secret = api.post(
        "/api/v1/auth/token/", {"username": "agency", "password": "correct horse battery staple"}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    token = PersonalToken.objects.get()

    assert api.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
    assert api.get("/api/v1/auth/tokens/").status_code == 401
    PersonalToken.objects.filter(pk=token.pk).update(
        revoked_at=None, expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert api.get("/api/v1/auth/tokens/").status_code == 401
    PersonalToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert api.get("/api/v1/auth/tokens/").status_code == 200


def test_an_employer_member_makes_a_key_shown_once(api, world):
    employer = world.employer_member.memberships.get().employer
    api.force_authenticate(world.employer_member)

    response = api.post(
        "/api/v1/employer-keys/", {"employer": str(employer.public_id), "name": "ERP"}
    )

    assert response.status_code == 201
    secret = response.json()["key"]
    assert EmployerAPIKey.objects.get().key_hash == key_hash(secret)
    assert "key" not in api.get("/api/v1/employer-keys/").json()["results"][0]


def test_only_its_members_make_or_revoke_an_employers_keys(api, world, employer_key):
    employer = world.employer_member.memberships.get().employer
    api.force_authenticate(other_employer_member())

    another = api.post("/api/v1/employer-keys/", {"employer": str(employer.public_id), "name": "x"})
    unknown = api.post(
        "/api/v1/employer-keys/",
        {"employer": "00000000-0000-4000-8000-000000000000", "name": "x"},
    )

    # Another employer's id answers like an id that does not exist.
    assert another.status_code == unknown.status_code == 404
    assert another.json() == unknown.json()
    assert api.delete(f"/api/v1/employer-keys/{employer_key[0].pk}/").status_code == 404
    assert api.get("/api/v1/employer-keys/").json()["results"] == []


def test_a_revoked_or_expired_key_is_refused(api, world, employer_key):
    key, secret = employer_key
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    body = {"suppliers": [{"id": str(world.agency.public_id)}]}
    assert api.post("/api/v1/supplier-checks/", body, format="json").status_code == 200

    EmployerAPIKey.objects.filter(pk=key.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert api.post("/api/v1/supplier-checks/", body, format="json").status_code == 401
    EmployerAPIKey.objects.filter(pk=key.pk).update(expires_at=None, revoked_at=timezone.now())
    response = api.post("/api/v1/supplier-checks/", body, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "Invalid, revoked or expired API key."


def test_a_person_learns_the_public_ids_of_the_organisations_they_act_for(api, world):
    employer = world.employer_member.memberships.get().employer
    api.force_authenticate(world.employer_member)

    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "username": "employer",
        "language": "",
        "two_factor": False,
        "status_alerts": True,
        "time_zone": "",
        "memberships": [
            {
                "role": "employer_member",
                "organisation": {
                    "kind": "employer",
                    "id": str(employer.public_id),
                    "name": employer.name,
                    "country": employer.country.code,
                },
                "administrator": True,
            }
        ],
    }
    api.force_authenticate(world.reviewer)
    assert api.get("/api/v1/me/").json()["memberships"] == [
        {"role": "reviewer", "organisation": None, "administrator": False}
    ]
    api.force_authenticate(None)
    assert api.get("/api/v1/me/").status_code == 401
