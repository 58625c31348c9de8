"""The employer-facing contract: registry, status with ETag, verification, bulk checks."""

import json

import pytest
from django.urls import reverse

from certification import services
from tests.certification.world import World
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def certify_more(world: World, count: int, state: str = "certified"):
    cases = []
    for _ in range(count):
        agency = AgencyFactory(country="PH")
        MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
        world.agency = agency
        cases.append(world.case_in(state))
    return cases


def test_an_agencys_status_with_its_certificate_and_an_etag(
    api, world, django_capture_on_commit_callbacks
):
    case = world.case_in("certified")
    url = f"/api/v1/agencies/{world.agency.public_id}/status/"

    response = api.get(url)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "certified"
    assert body["agency"] == {
        "id": str(world.agency.public_id),
        "name": "Kathmandu Fair Jobs",
        "country": "NP",
    }
    assert body["certificate"]["number"] == case.certificate.number
    assert body["certificate"]["scope"] == {
        "countries": ["NP", "QA"],
        "corridors": ["NP-QA"],
        "sectors": ["construction"],
    }
    assert body["last_audit"]["kind"] == "initial"
    again = api.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    with django_capture_on_commit_callbacks(execute=True):  # the change is committed
        services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    changed = api.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert (changed.status_code, changed.json()["status"]) == (200, "suspended")


@pytest.mark.parametrize(
    ("state", "expected"), [("draft", "in_progress"), ("cancelled", "not_certified")]
)
def test_an_agency_without_certificate_is_in_progress_or_not_certified(api, world, state, expected):
    world.case_in(state)

    assert (
        api.get(f"/api/v1/agencies/{world.agency.public_id}/status/").json()["status"] == expected
    )


def test_an_unknown_agency_is_a_json_404(api, world):
    response = api.get("/api/v1/agencies/00000000-0000-4000-8000-000000000000/status/")

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v2/", "/api/v1/cases/1/nope/"])
def test_a_url_that_does_not_exist_under_the_api_is_a_json_404(api, settings, debug, path):
    settings.DEBUG = debug

    response = api.get(path)

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_a_path_without_its_last_slash_is_a_json_404_that_says_so(api, settings):
    settings.DEBUG = True

    response = api.post("/api/v1/supplier-checks", {}, format="json")

    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == (
        "Not found. The API's paths end with a slash: /api/v1/supplier-checks/"
    )


def test_a_certificate_is_verified_only_with_number_and_code_and_the_404_says_nothing_more(
    api, world
):
    certificate = world.case_in("certified").certificate
    url = f"/api/v1/certificates/{certificate.number}/verify/"

    good = api.get(url, {"code": certificate.verification_code})
    wrong_code = api.get(url, {"code": "x" * 32})
    wrong_number = api.get(
        "/api/v1/certificates/FR-2000-999999/verify/", {"code": certificate.verification_code}
    )

    assert good.status_code == 200
    assert (good.json()["status"], good.json()["agency"]["name"]) == (
        "valid",
        "Kathmandu Fair Jobs",
    )
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.json() == wrong_number.json()


def test_the_registry_lists_certified_agencies_with_filters(api, world):
    nepal = world.case_in("certified")
    manila, suspended = certify_more(world, 2)
    services.case_suspend(actor=world.reviewer, case=suspended, reason="Complaint.")

    every = api.get("/api/v1/registry/").json()["results"]
    by_corridor = api.get("/api/v1/registry/", {"corridor": "NP-QA"}).json()["results"]
    by_status = api.get("/api/v1/registry/", {"status": "suspended"}).json()["results"]
    by_search = api.get(
        "/api/v1/registry/", {"search": nepal.agency.registration_number.lower()}
    ).json()["results"]

    assert len(every) == 3
    assert {row["status"] for row in every} == {"certified", "suspended"}
    assert [row["id"] for row in by_corridor] == [str(nepal.agency.public_id)]
    assert str(manila.agency.public_id) in {row["id"] for row in every}
    assert [row["id"] for row in by_status] == [str(suspended.agency.public_id)]
    assert [row["id"] for row in by_search] == [str(nepal.agency.public_id)]
    assert api.get("/api/v1/registry/", {"sector": "construction", "country": "NP"}).json()[
        "results"
    ][0]["name"] == ("Kathmandu Fair Jobs")


@pytest.mark.parametrize("rows", [1, 50])
def test_the_registry_costs_the_same_queries_for_1_and_50_agencies(
    api, world, rows, django_assert_max_num_queries
):
    certify_more(world, rows)

    with django_assert_max_num_queries(2):
        response = api.get("/api/v1/registry/", {"page_size": 100})

    assert len(response.json()["results"]) == rows


def test_a_bulk_check_answers_every_supplier_in_order(keyed, world):
    certified = world.case_in("certified")
    [draft] = certify_more(world, 1, state="draft")
    body = {
        "suppliers": [
            {"country": "np", "registration_number": certified.agency.registration_number.lower()},
            {"id": "00000000-0000-4000-8000-000000000000"},
            {"id": str(draft.agency.public_id)},
            {"country": "PH", "registration_number": "nobody"},
        ]
    }

    response = keyed.post("/api/v1/supplier-checks/", body, format="json")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["certified", "not_found", "in_progress", "not_found"]
    assert results[0]["certificate"]["number"] == certified.certificate.number
    assert results[1] == {
        "input": {"id": "00000000-0000-4000-8000-000000000000"},
        "status": "not_found",
        "agency": None,
        "certificate": None,
    }


@pytest.mark.parametrize("count", [1, 1000])
def test_a_bulk_check_costs_a_constant_number_of_queries(
    keyed, world, count, django_assert_max_num_queries
):
    certified = world.case_in("certified")
    suppliers = [{"id": str(certified.agency.public_id)}] * (count // 2 or 1) + [
        {"country": "NP", "registration_number": f"UNKNOWN-{i}"}
        for i in range(count - (count // 2 or 1))
    ]

    with django_assert_max_num_queries(
        6
    ):  # key look-up, 2 agency look-ups, certificates, open cases, last use
        response = keyed.post("/api/v1/supplier-checks/", {"suppliers": suppliers}, format="json")

    assert len(response.json()["results"]) == count


def test_a_malformed_supplier_gets_its_own_result_and_the_others_are_checked(keyed, world):
    world.case_in("certified")
    known = str(world.agency.public_id)
    suppliers = [
        {"id": 12345},
        {"id": "x"},
        {"country": "NP"},
        "NP 123",
        {"id": known},
        {"country": "N1", "registration_number": "1"},
        {"country": "NP", "registration_number": "x" * 101},
        {"id": known, "country": "NP"},
        {"country": "np", "registration_number": world.agency.registration_number},
    ]

    response = keyed.post("/api/v1/supplier-checks/", {"suppliers": suppliers}, format="json")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [
        "invalid",
        "invalid",
        "invalid",
        "invalid",
        "certified",
        "invalid",
        "invalid",
        "invalid",
        "certified",
    ]
    either = "Give either id, or country and registration_number."
    assert [(r["input"], r.get("errors")) for r in results if r["status"] == "invalid"] == [
        ({"id": 12345}, [_error("id", "Must be an agency id (a UUID in a string).")]),
        ({"id": "x"}, [_error("id", "Must be an agency id (a UUID in a string).")]),
        ({"country": "NP"}, [_error(None, either)]),
        (
            {},
            [
                _error(
                    None,
                    'Each supplier is an object: {"id": …} or '
                    '{"country": …, "registration_number": …}.',
                )
            ],
        ),
        (
            {"country": "N1", "registration_number": "1"},
            [_error("country", "Must be a two-letter country code.")],
        ),
        (
            {"country": "NP", "registration_number": "x" * 101},
            [_error("registration_number", "At most 100 characters.", "max_length")],
        ),
        ({"id": known, "country": "NP"}, [_error(None, either)]),
    ]
    assert all(r["agency"] is None and r["certificate"] is None for r in results[:4])
    assert "errors" not in results[4]


def _error(attr, detail, code="invalid"):
    return {"code": code, "detail": detail, "attr": attr}


@pytest.mark.parametrize(
    ("body", "attr", "code"),
    [
        ({}, "suppliers", "required"),
        ({"suppliers": []}, "suppliers", "min_length"),
        ({"suppliers": "NP,123"}, "suppliers", "not_a_list"),
        (
            {"suppliers": [{"country": "NP", "registration_number": "1"}] * 5001},
            "suppliers",
            "max_length",
        ),
    ],
)
def test_a_request_that_is_not_a_list_of_1_to_5000_suppliers_is_refused(keyed, body, attr, code):
    response = keyed.post("/api/v1/supplier-checks/", body, format="json")

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]


def test_a_bulk_check_needs_an_employer_key(api, world):
    body = {"suppliers": [{"id": str(world.agency.public_id)}]}

    assert api.post("/api/v1/supplier-checks/", body, format="json").status_code == 401
    api.force_authenticate(world.reviewer)
    assert api.post("/api/v1/supplier-checks/", body, format="json").status_code == 403
    assert reverse("api:supplier-checks") == "/api/v1/supplier-checks/"


def test_items_with_lone_surrogates_or_control_characters_are_invalid_and_echoed_safely(
    keyed, world
):
    suppliers = [
        {"id": "\ud800"},
        {"country": "NP", "registration_number": "12\ud800"},
        {"country": "NP", "registration_number": "12\x0b"},
        {"id": {"nested": "\ud800"}},
        {"country": " np ", "registration_number": " " + world.agency.registration_number},
    ]
    world.case_in("certified")

    body = json.dumps({"suppliers": suppliers})  # escaped, as a client may send "\ud800"
    response = keyed.generic("POST", "/api/v1/supplier-checks/", body, "application/json")
    export = keyed.generic("POST", "/api/v1/supplier-checks/export/", body, "application/json")

    assert response.status_code == 200  # was 500: the echo or the lookup could not encode them
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid"] * 4 + ["certified"]
    assert [r["input"] for r in results[:4]] == [
        {"id": "\ufffd"},
        {"country": "NP", "registration_number": "12\ufffd"},
        {"country": "NP", "registration_number": "12\ufffd"},
        {"id": '{"nested": "\\ud800"}'},
    ]
    assert export.status_code == 200
