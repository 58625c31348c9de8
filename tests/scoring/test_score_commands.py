"""score_answers and score_findings, as an operator or a script runs them."""

import io
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import PROJECT_DIR
from tests.scoring.answers import compliant_answers, reference_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE = reference_catalogue()
FEE = {
    "category": "medical",
    "amount": 50,
    "currency": "USD",
    "borne_by": "worker",
    "route": "deducted_from_wages",
}


@pytest.fixture(autouse=True)
def reference(reference_standard_path):
    call_command(
        "load_standard", str(reference_standard_path), stdout=io.StringIO(), stderr=io.StringIO()
    )


def answer_sheet(changes: dict | None = None) -> dict:
    """Compliant answers as JSON can carry them, with some changed."""
    answers = {
        code: float(value) if isinstance(value, Decimal) else value
        for code, value in compliant_answers(CATALOGUE).items()
    }
    answers.update(changes or {})
    return {"standard": "fairrecruit-reference", "version": "1.0", "answers": answers}


def write(tmp_path, data, name="sheet.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(command, path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), stdout=out, stderr=err)
    except CommandError as error:
        return None, err.getvalue().splitlines(), error
    return json.loads(out.getvalue()), err.getvalue().splitlines(), None


def test_score_answers_prints_the_result_as_json(tmp_path):
    result, problems, error = run(
        "score_answers", write(tmp_path, answer_sheet({"C1.1-01": [FEE]}))
    )

    assert (problems, error) == ([], None)
    assert result["readiness"] == "not_ready"
    assert result["overall_score"] == 96.7
    assert result["zero_tolerance_breaches"] == ["C1.1"]
    assert result["worker_costs"]["worker_totals_by_currency"] == {"USD": "50"}


def test_score_findings_compares_with_the_self_assessment(tmp_path):
    findings = {c.code: {"grade": "conforming"} for c in CATALOGUE.criteria}
    findings["C3.3"] = {"grade": "minor", "note": "Two workers signed new contracts on arrival."}
    sheet = {
        "standard": "fairrecruit-reference",
        "version": "1.0",
        "findings": findings,
        "self_assessment": answer_sheet(),
    }

    result, problems, error = run("score_findings", write(tmp_path, sheet))

    assert (problems, error) == ([], None)
    assert result["certifiable"] is False
    assert result["open_majors"] == ["C3.3"]
    assert result["discrepancies"] == [
        {"criterion": "C3.3", "declared": "compliant", "found": "major"}
    ]
    assert result["discrepancy_share"] == 4.2  # 1 of 24


def test_score_findings_without_self_assessment(tmp_path):
    findings = {c.code: {"grade": "conforming"} for c in CATALOGUE.criteria}
    sheet = {
        "standard": "fairrecruit-reference",
        "version": "1.0",
        "findings": findings,
        "self_assessment": None,
    }

    result, _problems, _error = run("score_findings", write(tmp_path, sheet))

    assert (result["certifiable"], result["discrepancies"]) == (True, None)


@pytest.mark.parametrize(
    ("sheet", "problems"),
    [
        (
            {"standard": "nope", "version": "1.0", "answers": {}},
            ["standard: no standard 'nope' version '1.0' is loaded"],
        ),
        (
            {"standard": "fairrecruit-reference", "version": "2.0", "answers": {}},
            ["standard: no standard 'fairrecruit-reference' version '2.0' is loaded"],
        ),
        (
            {"version": "1.0", "answers": []},
            ["standard: required", "answers: must be an object keyed by code"],
        ),
        (
            answer_sheet({"A1-01": "maybe", "Z1": "yes", "A3-03": "18"}),
            [
                "answers.A1-01: must be yes or no, not 'maybe'",
                "answers.A3-03: must be a number, not '18'",
                "answers.Z1: unknown question",
            ],
        ),
        (
            answer_sheet({"C1.1-01": [dict(FEE, currency="USS")]}),
            ["answers.C1.1-01[0].currency: unknown currency 'USS'"],
        ),
        ('{"standard": "x", "standard": "y"}', ["duplicate key 'standard'"]),
        (
            "{not json",
            [
                "line 1, column 2: not valid JSON (Expecting property name enclosed in double quotes)"
            ],
        ),
    ],
    ids=[
        "unknown-standard",
        "unknown-version",
        "wrong-shape",
        "bad-values",
        "bad-cost-item",
        "duplicate-key",
        "not-json",
    ],
)
def test_problems_are_listed_one_per_line_with_exit_status_2(tmp_path, sheet, problems):
    result, lines, error = run("score_answers", write(tmp_path, sheet))

    assert result is None
    assert lines == problems
    assert error.returncode == 2


def test_findings_problems_are_named(tmp_path):
    sheet = {
        "standard": "fairrecruit-reference",
        "version": "1.0",
        "findings": {"A1": {"grade": "bad"}, "Q9": {"grade": "major"}},
        "self_assessment": answer_sheet({"A1-01": 3}),
    }

    result, lines, error = run("score_findings", write(tmp_path, sheet))

    assert result is None
    assert lines == ["self_assessment.answers.A1-01: must be yes or no, not 3"]
    assert error.returncode == 2
    del sheet["self_assessment"]
    _result, lines, _error = run("score_findings", write(tmp_path, sheet))
    assert lines == [
        "findings.A1.grade: must be one of conforming, observation, minor, major, not_applicable, not 'bad'",
        "findings.Q9: unknown criterion",
    ]


def test_through_manage_py_a_problem_exits_2_without_a_traceback(tmp_path):
    """On a database that was never migrated, even."""
    path = write(tmp_path, {"standard": "nope", "version": "1", "answers": {}})

    done = subprocess.run(
        [sys.executable, "manage.py", "score_answers", str(path)],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        "database: no such table: scoring_standard (has `manage.py migrate` been run?)"
    )
