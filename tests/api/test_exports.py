"""Exports: an audit's findings and corrective actions, supplier checks, the registry."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from audits.models import Finding
from certification import exports, services

pytestmark = pytest.mark.django_db


def rows_of(content: bytes, sheet: str) -> list[list]:
    workbook = load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in workbook[sheet].iter_rows()]


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_audits_findings_and_corrective_actions_export(api, world):
    case = world.case_in("auditing")
    world.record_findings(case, A1=("minor", ()))
    Finding.objects.filter(criterion__code="C2.1").update(
        text="=cmd|' /C calc'!A0"
    )  # a formula trap
    services.case_complete_audit(actor=world.auditor, case=case)
    api.force_authenticate(world.auditor)

    response = api.get(f"/api/v1/cases/{case.pk}/findings-export/")

    content = streamed(response)
    findings = rows_of(content, "Findings")
    assert findings[0] == [
        "Criterion",
        "Grade",
        "Grade counted",
        "Forced-labour indicators",
        "Finding",
    ]
    assert [row[:3] for row in findings[1:]] == [
        ["A1", "Minor non-conformity", "Minor non-conformity"],
        ["C1.1", "Conforming", "Conforming"],
        ["C2.1", "Conforming", "Conforming"],
    ]
    workbook = load_workbook(io.BytesIO(content))
    trap = workbook["Findings"]["E4"]
    assert (trap.value, trap.data_type) == ("=cmd|' /C calc'!A0", "s")
    actions = rows_of(content, "Corrective actions")
    assert actions[0][:4] == ["Criterion", "Severity", "State", "Plan due"]
    assert [row[:3] for row in actions[1:]] == [["A1", "Minor non-conformity", "Open"]]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", actions[1][3])  # dates in ISO 8601


def test_supplier_check_results_as_a_workbook(keyed, world):
    world.case_in("certified")
    body = {
        "suppliers": [
            {"id": str(world.agency.public_id)},
            {"country": "PH", "registration_number": "nobody"},
        ]
    }

    response = keyed.post("/api/v1/supplier-checks/export/", body, format="json")

    rows = rows_of(streamed(response), "Suppliers")
    assert rows[0] == [
        "Line given",
        "Status",
        "Agency id",
        "Agency",
        "Country",
        "Certificate",
        "Valid until",
        "Problems",
    ]
    assert [row[:2] for row in rows[1:]] == [
        [str(world.agency.public_id), "Certified"],
        ["PH nobody", "Not found"],
    ]


def test_a_malformed_supplier_has_its_row_with_its_problem_in_the_workbook(keyed, world):
    body = {"suppliers": [{"id": 12345}, {"country": "PH", "registration_number": "nobody"}]}

    response = keyed.post("/api/v1/supplier-checks/export/", body, format="json")

    rows = rows_of(streamed(response), "Suppliers")
    assert [(row[0], row[1], row[-1]) for row in rows[1:]] == [
        ("12345", "Not understood", "id: Must be an agency id (a UUID in a string)."),
        ("PH nobody", "Not found", None),
    ]


def test_the_registry_exports_as_csv_and_xlsx_with_its_filters(api, world):
    world.agency.name = '=HYPERLINK("http://evil")'  # as certified: the name at issue
    world.agency.save()
    certificate = world.case_in("certified").certificate

    as_csv = list(
        csv.reader(
            io.StringIO(streamed(api.get("/api/v1/registry/export/", {"country": "NP"})).decode())
        )
    )
    as_xlsx = rows_of(streamed(api.get("/api/v1/registry/export/", {"file": "xlsx"})), "Registry")
    filtered_out = list(
        csv.reader(
            io.StringIO(streamed(api.get("/api/v1/registry/export/", {"country": "PH"})).decode())
        )
    )

    assert as_csv[0] == exports.REGISTRY_HEADER == as_xlsx[0]
    assert as_csv[1][4] == certificate.number and as_csv[1][3] == "certified"
    assert as_csv[1][1].startswith("'=")  # a spreadsheet opening the CSV shows it as text
    assert as_xlsx[1][1] == '=HYPERLINK("http://evil")'
    assert filtered_out == [exports.REGISTRY_HEADER]


@pytest.mark.parametrize("audit", ["\u00b2", "\u0663", "+1", " 1", "1_0", "9" * 30, "abc", ""])
@pytest.mark.parametrize("path", ["findings-export", "audit-report"])
def test_an_audit_that_is_not_an_id_is_not_found(api, world, path, audit):
    case = world.case_in("auditing")
    world.record_findings(case)
    services.case_complete_audit(actor=world.auditor, case=case)
    api.force_authenticate(world.auditor)

    response = api.get(f"/api/v1/cases/{case.pk}/{path}/", {"audit": audit})

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_the_findings_workbook_speaks_the_readers_language(api, world):
    case = world.case_in("auditing")
    world.record_findings(case, A1=("minor", ()))
    services.case_complete_audit(actor=world.auditor, case=case)
    api.force_authenticate(world.auditor)

    response = api.get(f"/api/v1/cases/{case.pk}/findings-export/", HTTP_ACCEPT_LANGUAGE="fr")

    content = streamed(response)
    findings = rows_of(content, "Constats")
    assert findings[0][:3] == ["Critère", "Appréciation", "Appréciation retenue"]
    assert findings[1][:3] == ["A1", "Non-conformité mineure", "Non-conformité mineure"]
    actions = rows_of(content, "Actions correctives")
    assert actions[1][:3] == ["A1", "Non-conformité mineure", "Ouverte"]
