"""Audit results: effective grades, conformity, certifiability and discrepancies by hand."""

import json

import pytest

from scoring.engine import Explanation, Finding, InvalidInput, score_audit, score_self_assessment
from tests.scoring.answers import compliant_answers, reference_catalogue

pytestmark = pytest.mark.outside_the_database  # pure: no database at all

CATALOGUE = reference_catalogue()
CODES = [c.code for c in CATALOGUE.criteria]


def findings(**grades) -> dict:
    """Conforming everywhere but where a grade (or a full finding dict) is given."""
    result = {code: {"grade": "conforming"} for code in CODES}
    for key, value in grades.items():
        code = key.replace("_", ".")
        result[code] = value if isinstance(value, dict) else {"grade": value}
    return result


def test_every_criterion_conforming_is_certifiable_with_full_conformity():
    result = score_audit(CATALOGUE, findings())

    assert (result.certifiable, result.overall_conformity, result.reasons) == (True, 100.0, ())
    assert result.counts == {
        "conforming": 24,
        "observation": 0,
        "minor": 0,
        "major": 0,
        "not_applicable": 0,
    }
    assert result.discrepancies is None


def test_a_minor_on_a_zero_tolerance_criterion_counts_as_major_and_says_why():
    result = score_audit(CATALOGUE, findings(C2_1="minor"))

    finding = next(f for f in result.findings if f.criterion == "C2.1")
    assert (finding.grade, finding.effective_grade) == ("minor", "major")
    assert finding.escalation == "zero-tolerance criterion C2.1: any non-conformity is major"
    assert result.open_majors == ("C2.1",)
    assert result.certifiable is False
    assert result.reasons == (Explanation("open_majors", {"criteria": ("C2.1",)}),)
    assert str(result.reasons[0]) == "open major non-conformities: C2.1"
    assert result.overall_conformity == 96.7  # 29 / 30


def test_an_observation_on_a_zero_tolerance_criterion_is_not_a_non_conformity():
    result = score_audit(CATALOGUE, findings(C2_1="observation"))

    assert (result.certifiable, result.overall_conformity, result.counts["observation"]) == (
        True,
        100.0,
        1,
    )


def test_a_finding_tagged_with_a_forced_labour_indicator_is_major_whatever_was_entered():
    tagged = {
        "grade": "conforming",
        "indicators": ["debt_bondage"],
        "note": "Loan repayments seen on payslips.",
    }

    result = score_audit(CATALOGUE, findings(B5=tagged))

    finding = next(f for f in result.findings if f.criterion == "B5")
    assert finding.effective_grade == "major"
    assert finding.escalation == "shows forced-labour indicators (debt_bondage): always major"
    assert result.counts["major"] == 1


def test_conformity_per_principle_and_counts_by_grade():
    result = score_audit(
        CATALOGUE, findings(A1="minor", B1="observation", B2="major", C4_2="minor")
    )

    scores = {p.code: p.score for p in result.principles}
    assert scores == {
        "A": 66.7,
        "B": 71.4,
        "C1": 100.0,
        "C2": 100.0,
        "C3": 100.0,
        "C4": 50.0,
        "C5": 100.0,
    }
    assert result.overall_conformity == 83.3  # (30 - 2 - 2 - 1) / 30
    assert result.counts == {
        "conforming": 20,
        "observation": 1,
        "minor": 2,
        "major": 1,
        "not_applicable": 0,
    }


def test_not_applicable_needs_a_reason_and_leaves_the_denominator():
    with pytest.raises(InvalidInput) as caught:
        score_audit(CATALOGUE, findings(B2="not_applicable"))
    result = score_audit(
        CATALOGUE,
        findings(
            B2={"grade": "not_applicable", "note": "No sub-agents: checked ledgers."}, B1="minor"
        ),
    )

    assert caught.value.errors == ("findings.B2.note: a not_applicable finding needs the reason",)
    assert {p.code: p.score for p in result.principles}["B"] == 60.0  # (7 - 2 - 2) / (7 - 2)
    assert result.certifiable is True


def test_criteria_without_a_finding_are_listed_and_block_certification():
    partial = findings()
    del partial["A5"], partial["C4.1"]

    result = score_audit(CATALOGUE, partial)

    assert result.missing == ("A5", "C4.1")
    assert result.certifiable is False
    assert result.reasons == (
        Explanation("criteria_without_finding", {"criteria": ("A5", "C4.1")}),
    )
    assert result.to_dict()["reasons"] == [
        {
            "code": "criteria_without_finding",
            "params": {"criteria": ["A5", "C4.1"]},
            "text": "criteria without a finding: A5, C4.1",
        }
    ]


def test_a_verified_closed_major_no_longer_blocks_certification():
    result = score_audit(CATALOGUE, findings(B2={"grade": "major", "closed": True}))

    assert (result.open_majors, result.certifiable) == ((), True)


def test_discrepancies_are_criteria_declared_compliant_but_found_non_conforming():
    self_assessment = score_self_assessment(CATALOGUE, compliant_answers(CATALOGUE))
    recorded = findings(
        B1="minor", C2_1="major", C5_1={"grade": "not_applicable", "note": "Not in scope."}
    )

    result = score_audit(CATALOGUE, recorded, self_assessment)

    assert [(d.criterion, d.declared, d.found) for d in result.discrepancies] == [
        ("B1", "compliant", "minor"),
        ("C2.1", "compliant", "major"),
    ]
    assert result.discrepancy_share == 8.7  # 2 of the 23 compared


def test_findings_in_any_order_give_the_same_result():
    recorded = findings(B1="minor", C2_1="major")
    as_list = [Finding(code, **raw) for code, raw in reversed(recorded.items())]

    assert score_audit(CATALOGUE, as_list).to_dict() == score_audit(CATALOGUE, recorded).to_dict()


def test_invalid_findings_are_named():
    recorded = findings(A1="serious", B1={"grade": "minor", "indicators": ["slavery"]})
    recorded["Z9"] = {"grade": "major"}

    with pytest.raises(InvalidInput) as caught:
        score_audit(CATALOGUE, recorded)

    assert caught.value.errors == (
        "findings.A1.grade: must be one of conforming, observation, minor, major, not_applicable, not 'serious'",
        "findings.B1.indicators: unknown forced-labour indicator 'slavery'",
        "findings.Z9: unknown criterion",
    )


def test_the_result_is_plain_json():
    self_assessment = score_self_assessment(CATALOGUE, compliant_answers(CATALOGUE))
    data = score_audit(CATALOGUE, findings(C1_1="minor"), self_assessment).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["certifiable"] is False
    assert data["standard"] == {"code": "fairrecruit-reference", "version": "1.0"}


def test_a_list_of_findings_must_hold_findings():
    with pytest.raises(InvalidInput) as caught:
        score_audit(CATALOGUE, [Finding("A1", "conforming"), {"criterion": "A2", "grade": "major"}])

    assert caught.value.errors == ("findings[1]: must be a Finding, not dict",)
