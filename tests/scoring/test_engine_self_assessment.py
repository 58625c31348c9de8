"""Self-assessment scores recomputed by hand from DOMAIN.md §6.

Reference catalogue weights: A 6 (A1 2, A2-A5 1), B 7 (B1 2, B2 2, B3-B5 1), C1 5 (C1.1 1,
C1.2 2, C1.3 2), C2 3, C3 4, C4 2, C5 3 (C5.1 2, C5.2 1): 30 in all.
"""

import json
from decimal import Decimal

import pytest

from scoring.engine import (
    Answer,
    Catalogue,
    CatalogueCriterion,
    CataloguePrinciple,
    CatalogueQuestion,
    Explanation,
    InvalidInput,
    score_self_assessment,
)
from tests.scoring.answers import compliant_answers, non_compliant_value, reference_catalogue

pytestmark = pytest.mark.outside_the_database  # pure: no database at all

CATALOGUE = reference_catalogue()


def score(changes: dict):
    """Compliant answers with some changed; None removes the answer."""
    answers = compliant_answers(CATALOGUE)
    for code, value in changes.items():
        if value is None:
            del answers[code]
        else:
            answers[code] = value
    return score_self_assessment(CATALOGUE, answers)


def spoil(*codes):
    answers = compliant_answers(CATALOGUE)
    for code in codes:
        answers[code] = non_compliant_value(CATALOGUE.question(code))
    return score_self_assessment(CATALOGUE, answers)


def principle_scores(result):
    return {p.code: p.score for p in result.principles}


def criterion_status(result, code: str) -> str:
    return next(c.status for c in result.criteria if c.code == code)


def test_all_answers_compliant_gives_100_and_ready():
    result = score_self_assessment(CATALOGUE, compliant_answers(CATALOGUE))

    assert result.overall_score == 100.0
    assert result.readiness == "ready"
    assert set(principle_scores(result).values()) == {100.0}
    assert (result.gaps, result.reasons, result.zero_tolerance_breaches) == ((), (), ())
    assert result.standard_code == "fairrecruit-reference" and result.standard_version == "1.0"


def test_one_zero_tolerance_breach_blocks_readiness_though_the_score_stays_above_95():
    # C2.1-01: a passport kept "for safekeeping, with the worker's consent" is kept.
    result = spoil("C2.1-01")

    assert result.overall_score == 96.7  # 29 / 30
    assert result.overall_score > 95
    assert result.readiness == "not_ready"
    assert result.zero_tolerance_breaches == ("C2.1",)
    assert result.gaps[0].criterion == "C2.1"
    assert principle_scores(result)["C2"] == 66.7  # 2 / 3
    assert result.readiness_reasons == (
        Explanation("zero_tolerance_breached", {"criteria": ("C2.1",)}),
    )
    assert str(result.readiness_reasons[0]) == "zero-tolerance criteria breached: C2.1"
    [reason] = result.reasons
    assert reason.to_dict() == {
        "criterion": "C2.1",
        "question": "C2.1-01",
        "answer": "yes",
        "rule": {"code": "rule_expected", "params": {"answer": "no"}, "text": "expected 'no'"},
        "effect": {
            "code": "effect_zero_tolerance_breach",
            "params": {"criterion": "C2.1"},
            "text": "non-compliant: zero-tolerance criterion C2.1 is breached; "
            "certification is blocked whatever the score",
        },
    }


def test_a_medical_fee_of_50_usd_deducted_from_a_workers_wages_breaches_c1_1():
    fee = {
        "category": "medical",
        "amount": "50",
        "currency": "USD",
        "borne_by": "worker",
        "route": "deducted_from_wages",
    }
    employer_paid = {
        "category": "travel_lodging",
        "amount": "900",
        "currency": "USD",
        "borne_by": "employer",
        "route": "paid",
    }

    result = score({"C1.1-01": [employer_paid, fee]})

    assert result.zero_tolerance_breaches == ("C1.1",)
    assert result.readiness == "not_ready"
    assert principle_scores(result)["C1"] == 80.0  # 4 / 5
    assert result.overall_score == 96.7
    answer = result.reasons[0].answer
    assert answer.code == "worker_bore"
    assert [dict(item) for item in answer.params["items"]] == [
        {
            "amount": "50",
            "currency": "USD",
            "category": "medical",
            "route": "deducted_from_wages",
            "item": 1,
        }
    ]
    assert answer.text == "worker bore 50 USD (medical, deducted from wages; item 1)"
    assert result.worker_costs.worker_totals_by_currency == {"USD": Decimal(50)}
    assert result.worker_costs.totals_by_currency == {"USD": Decimal(950)}


def test_a_missing_required_answer_gives_not_ready():
    result = score({"A4-01": None})

    assert result.readiness == "not_ready"
    assert result.unanswered_required == ("A4-01",)
    assert criterion_status(result, "A4") == "unanswered"
    assert result.overall_score == 96.7  # an unanswered criterion is applicable and not compliant
    assert result.readiness_reasons == (Explanation("required_unanswered", {"count": 1}),)
    assert str(result.readiness_reasons[0]) == "1 required question(s) unanswered"
    assert [(g.criterion, g.status, g.questions) for g in result.gaps] == [
        ("A4", "unanswered", ("A4-01",))
    ]
    assert result.reasons[0].effect == Explanation("effect_required_unanswered", {})
    assert (
        result.reasons[0].effect.text
        == "unanswered: a required question; the self-assessment cannot be ready"
    )


def test_an_unanswered_optional_text_question_changes_nothing():
    result = score({"C5.2-04": None})

    assert (result.overall_score, result.readiness, result.gaps) == (100.0, "ready", ())
    assert result.question_statuses["C5.2-04"] == "unanswered"
    assert result.reasons[0].effect == Explanation("effect_optional_unanswered", {})
    assert result.reasons[0].effect.text == "unanswered: optional, not counted"


@pytest.mark.parametrize("text", ["paid\x00nothing", "paid \ud800"])
def test_a_text_answer_no_database_could_keep_is_refused(text):
    with pytest.raises(InvalidInput) as caught:
        score({"C5.2-04": text})

    assert caught.value.errors == (
        "answers.C5.2-04: a text cannot contain NUL characters or lone surrogates",
    )
    assert score({"C5.2-04": "x" * 50_000}).question_statuses["C5.2-04"] == "not_scored"


def test_below_the_threshold_without_any_breach_is_not_ready():
    # Six criteria of weight 2 fail: (30 - 12) / 30.
    result = spoil("A1-01", "B1-01", "B2-02", "C1.2-01", "C1.3-01", "C5.1-01")

    assert result.overall_score == 60.0
    assert result.zero_tolerance_breaches == ()
    assert result.readiness_reasons == (
        Explanation("score_below_threshold", {"score": 60.0, "threshold": 80}),
    )
    assert str(result.readiness_reasons[0]) == "overall score 60.0 is below 80"
    assert principle_scores(result) == {
        "A": 66.7,
        "B": 42.9,
        "C1": 20.0,
        "C2": 100.0,
        "C3": 100.0,
        "C4": 100.0,
        "C5": 33.3,
    }


def test_the_threshold_is_a_parameter():
    answers = compliant_answers(CATALOGUE)
    answers["B1-01"] = "no"  # 28 / 30 = 93.3

    assert (
        score_self_assessment(CATALOGUE, answers, readiness_threshold=95).readiness == "not_ready"
    )
    assert score_self_assessment(CATALOGUE, answers, readiness_threshold=90).readiness == "ready"


def test_gaps_come_zero_tolerance_first_then_by_weight():
    result = spoil("A4-01", "B1-01", "C2.1-01", "A3-01")

    assert [(g.criterion, g.zero_tolerance, g.weight) for g in result.gaps] == [
        ("A3", True, 1),
        ("C2.1", True, 1),
        ("B1", False, 2),
        ("A4", False, 1),
    ]
    assert result.overall_score == 83.3  # 25 / 30


def test_not_applicable_answers_keep_their_criterion_compliant():
    result = score({"C5.2-02": "not_applicable", "B2-02": "not_applicable"})

    assert result.overall_score == 100.0
    assert result.question_statuses["C5.2-02"] == "not_applicable"
    assert criterion_status(result, "C5.2") == "compliant"


def small_catalogue(weights=("2", "1", "1")) -> Catalogue:
    return Catalogue(
        code="small",
        version="1",
        principles=(CataloguePrinciple("P"),),
        criteria=tuple(CatalogueCriterion(f"K{i}", "P", Decimal(w)) for i, w in enumerate(weights)),
        questions=tuple(
            CatalogueQuestion(f"Q{i}", f"K{i}", "yes_no", expected="yes", allow_not_applicable=True)
            for i in range(len(weights))
        ),
    )


def test_not_applicable_criteria_leave_the_denominator():
    catalogue = small_catalogue()

    with_na = score_self_assessment(catalogue, {"Q0": "yes", "Q1": "no", "Q2": "not_applicable"})
    without = score_self_assessment(catalogue, {"Q0": "yes", "Q1": "no", "Q2": "yes"})

    assert with_na.overall_score == 66.7  # 2 / (2 + 1)
    assert without.overall_score == 75.0  # 3 / 4
    assert with_na.principles[0].applicable_weight == 3
    all_na = score_self_assessment(catalogue, dict.fromkeys(("Q0", "Q1", "Q2"), "not_applicable"))
    assert (all_na.overall_score, all_na.readiness_reasons) == (
        None,
        (Explanation("nothing_applies", {}),),
    )


def test_scores_round_half_up_to_one_decimal():
    catalogue = small_catalogue(weights=("0.01", "0.15"))

    result = score_self_assessment(catalogue, {"Q0": "yes", "Q1": "no"})

    assert result.overall_score == 6.3  # 0.01 / 0.16 = 6.25 %


def test_answers_as_a_list_give_the_same_result_as_a_mapping():
    answers = compliant_answers(CATALOGUE)
    answers["B4-01"] = "no"

    as_list = score_self_assessment(
        CATALOGUE, [Answer(code, value) for code, value in reversed(answers.items())]
    )

    assert as_list.to_dict() == score_self_assessment(CATALOGUE, answers).to_dict()


@pytest.mark.parametrize(
    ("code", "value", "error"),
    [
        ("A1-01", "maybe", "answers.A1-01: must be yes or no, not 'maybe'"),
        ("A1-01", True, "answers.A1-01: must be yes or no, not True"),
        (
            "A1-01",
            "not_applicable",
            "answers.A1-01: this question cannot be answered not_applicable",
        ),
        (
            "A1-03",
            "sometimes",
            "answers.A1-03: must be one of none, remedied, not_remedied, not 'sometimes'",
        ),
        ("A3-03", "eighteen", "answers.A3-03: must be a number, not 'eighteen'"),
        ("A3-03", True, "answers.A3-03: must be a number, not True"),
        ("C5.2-04", 12, "answers.C5.2-04: must be a text, not 12"),
        ("C1.1-01", "none", "answers.C1.1-01: must be a list of cost items"),
        ("Z9-99", "yes", "answers.Z9-99: unknown question"),
    ],
)
def test_an_invalid_answer_is_named(code, value, error):
    answers = compliant_answers(CATALOGUE)
    answers[code] = value

    with pytest.raises(InvalidInput) as caught:
        score_self_assessment(CATALOGUE, answers)

    assert caught.value.errors == (error,)


def test_an_answer_given_twice_in_a_list_is_refused():
    with pytest.raises(InvalidInput) as caught:
        score_self_assessment(CATALOGUE, [Answer("A1-01", "yes"), Answer("A1-01", "no")])

    assert "answers.A1-01: answered twice" in caught.value.errors


def test_the_result_is_plain_json_naming_engine_and_standard():
    result = spoil("C2.1-01", "A4-01")

    data = result.to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["engine_version"] == "1.1.0"
    assert data["standard"] == {"code": "fairrecruit-reference", "version": "1.0"}
    assert data["readiness"] == "not_ready"
    assert len(data["questions"]) == len(CATALOGUE.questions)
