"""Query parameters are taken as declared or refused with 400: a page size out of range,
a repeated parameter, an empty choice, a language or file format not offered. None is
silently read as the default."""

import pytest

pytestmark = pytest.mark.django_db


def errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    return [(e["attr"], e["detail"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("page_size", ["0", "201", "-1", "1.5", "ten", "", "\u00b2"])
def test_a_page_size_that_is_not_1_to_200_is_refused(api, page_size):
    response = api.get("/api/v1/registry/", {"page_size": page_size})

    assert errors(response) == [("page_size", "A whole number from 1 to 200.")]


def test_a_page_size_in_range_is_taken(api):
    assert api.get("/api/v1/registry/", {"page_size": "200"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["status=suspended&status=certified", "page_size=5&page_size=7", "country=NP&country=PH"],
)
def test_a_parameter_given_twice_is_refused(api, query):
    name = query.split("=")[0]

    response = api.get(f"/api/v1/registry/?{query}")

    assert errors(response) == [(name, "Give this parameter once.")]


def test_an_empty_choice_is_refused_on_the_api_and_means_any_on_the_web_page(api, client):
    response = api.get("/api/v1/registry/?status=")

    assert errors(response) == [("status", "Choose one of the values, or leave the parameter out.")]
    assert client.get("/registry/?status=").status_code == 200  # the form's "any"


def test_an_empty_agency_filter_is_refused(api, world):
    api.force_authenticate(world.reviewer)

    assert errors(api.get("/api/v1/cases/?agency=")) == [
        ("agency", "Choose one of the values, or leave the parameter out.")
    ]


@pytest.mark.parametrize(
    ("path", "name", "value", "detail"),
    [
        ("certificate", "language", "de", "One of en, fr."),
        ("self-assessment-summary", "language", "EN", "One of en, fr."),
        ("workbook", "empty", "1", "One of true, false."),
    ],
)
def test_a_document_parameter_not_offered_is_refused(api, world, path, name, value, detail):
    case = world.case_in("certified")
    api.force_authenticate(world.agency_member)

    response = api.get(f"/api/v1/cases/{case.pk}/{path}/", {name: value})

    assert errors(response) == [(name, detail)]


def test_the_registry_export_takes_csv_or_xlsx_only(api):
    assert errors(api.get("/api/v1/registry/export/", {"file": "pdf"})) == [
        ("file", "One of csv, xlsx.")
    ]
    assert api.get("/api/v1/registry/export/", {"file": "xlsx"}).status_code == 200
