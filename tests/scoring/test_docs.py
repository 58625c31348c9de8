"""The documented example is a valid standard: the docs tell the truth."""

import io
import json
import re

import pytest
from django.core.management import call_command

from scoring.standard_file import parse_standard
from tests.conftest import PROJECT_DIR


def test_the_example_in_the_format_documentation_is_valid():
    text = (PROJECT_DIR / "docs" / "standard-format.md").read_text(encoding="utf-8")
    [example] = re.findall(r"## A small complete example\n\n```yaml\n(.*?)```", text, re.DOTALL)

    spec = parse_standard(example)

    assert [c.code for c in spec.criteria()] == ["C1.1", "C1.2"]
    assert [q.answer_type for q in spec.questions()] == [
        "worker_costs",
        "yes_no",
        "choice",
        "number",
        "text",
    ]
    assert spec.principles[0].criteria[0].questions[1].expected == "no"


@pytest.mark.django_db
def test_the_worked_example_in_the_scoring_documentation_gives_the_documented_figures():
    # The sheets name the version `make run` loads (1.1: 1.0 and the worker survey).
    newest = PROJECT_DIR / "scoring" / "standards" / "fairrecruit-reference-1.1.yaml"
    call_command("load_standard", str(newest), stdout=io.StringIO(), stderr=io.StringIO())

    answers = score("score_answers", "answer-sheet.json")
    audit = score("score_findings", "findings-sheet.json")

    assert answers["readiness"] == "not_ready"
    assert answers["overall_score"] == 86.7
    assert {p["code"]: p["score"] for p in answers["principles"]} == {
        "A": 83.3,
        "B": 71.4,
        "C1": 80.0,
        "C2": 100.0,
        "C3": 100.0,
        "C4": 100.0,
        "C5": 100.0,
    }
    assert answers["readiness_reasons"] == [
        {
            "code": "zero_tolerance_breached",
            "params": {"criteria": ["C1.1"]},
            "text": "zero-tolerance criteria breached: C1.1",
        }
    ]
    assert [g["criterion"] for g in answers["gaps"]] == ["C1.1", "B1", "A4"]
    assert {
        "criterion": "C1.1",
        "question": "C1.1-01",
        "answer": {
            "code": "worker_bore",
            "params": {
                "items": [
                    {
                        "amount": "50.00",
                        "currency": "USD",
                        "category": "medical",
                        "route": "deducted_from_wages",
                        "item": 0,
                    }
                ]
            },
            "text": "worker bore 50.00 USD (medical, deducted from wages; item 0)",
        },
        "rule": {"code": "rule_no_worker_cost", "params": {}, "text": "no cost borne by a worker"},
        "effect": {
            "code": "effect_zero_tolerance_breach",
            "params": {"criterion": "C1.1"},
            "text": "non-compliant: zero-tolerance criterion C1.1 is breached; "
            "certification is blocked whatever the score",
        },
    } in answers["reasons"]
    b1 = next(r for r in answers["reasons"] if r["criterion"] == "B1")
    assert (b1["answer"], b1["rule"]["text"]) == ("60", "between 80 and 100")
    assert b1["rule"]["params"] == {"low": "80", "high": "100"}

    assert audit["certifiable"] is False
    assert audit["counts"] == {
        "conforming": 21,
        "observation": 1,
        "minor": 1,
        "major": 1,
        "not_applicable": 0,
    }
    assert {p["code"]: p["score"] for p in audit["principles"]}["C4"] == 50.0
    assert {p["code"]: p["score"] for p in audit["principles"]}["C1"] == 80.0
    assert audit["overall_conformity"] == 93.3
    assert audit["discrepancies"] == [
        {"criterion": "C4.2", "declared": "compliant", "found": "minor"}
    ]
    assert audit["discrepancy_share"] == 4.8


def score(command: str, example: str) -> dict:
    out = io.StringIO()
    call_command(command, str(PROJECT_DIR / "docs" / "examples" / example), stdout=out)
    return json.loads(out.getvalue())


def test_the_worker_survey_example_in_the_format_documentation_is_valid():
    text = (PROJECT_DIR / "docs" / "standard-format.md").read_text(encoding="utf-8")
    [standard] = re.findall(r"## A small complete example\n\n```yaml\n(.*?)```", text, re.DOTALL)
    [survey] = re.findall(r"## Worker survey\n.*?```yaml\n(.*?)```", text, re.DOTALL)

    spec = parse_standard(standard + survey)

    assert spec.worker_survey.languages == ("en", "fr", "ne")
    assert [q.code for q in spec.worker_survey.questions] == ["WS-PAID", "WS-PAID-FOR", "WS-GENDER"]
    assert spec.worker_survey.questions[1].choices[0].fee_category == "medical"
