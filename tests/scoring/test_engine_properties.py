"""Properties of the engine that hold for every input (hypothesis)."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import (
    GRADES,
    Answer,
    Finding,
    score_audit,
    score_self_assessment,
)
from scoring.engine.vocabulary import FORCED_LABOUR_INDICATORS, WORKER_COST_CATEGORIES
from tests.scoring.answers import compliant_value, non_compliant_value, reference_catalogue

pytestmark = pytest.mark.outside_the_database  # pure: no database at all

CATALOGUE = reference_catalogue()
ZERO_TOLERANCE = {c.code for c in CATALOGUE.criteria if c.zero_tolerance}
MISSING = object()

cost_items = st.lists(
    st.fixed_dictionaries(
        {
            "category": st.sampled_from(WORKER_COST_CATEGORIES),
            "amount": st.decimals(min_value=0, max_value=10_000, places=2),
            "currency": st.sampled_from(["USD", "NPR", "PHP", "QAR"]),
            "borne_by": st.sampled_from(["worker", "employer", "agency", "sub_agent"]),
            "route": st.sampled_from(["paid", "paid_to_sub_agent"]),
        }
    ),
    max_size=4,
)


def answer_for(question):
    options = [st.just(compliant_value(question)), st.just(MISSING)]
    if question.answer_type == "worker_costs":
        options.append(cost_items)
    elif question.answer_type == "number":
        options.append(st.decimals(min_value=-1000, max_value=1000, places=2))
    elif question.answer_type != "text":
        options.append(st.just(non_compliant_value(question)))
    if question.allow_not_applicable:
        options.append(st.just("not_applicable"))
    return st.one_of(options)


answer_sets = st.fixed_dictionaries({q.code: answer_for(q) for q in CATALOGUE.questions}).map(
    lambda drawn: {code: value for code, value in drawn.items() if value is not MISSING}
)


def all_scores(result):
    return [result.overall_score, *(p.score for p in result.principles)]


@given(answer_sets)
def test_every_score_lies_between_0_and_100(answers):
    result = score_self_assessment(CATALOGUE, answers)

    assert all(score is None or 0 <= score <= 100 for score in all_scores(result))


@given(answer_sets, st.data())
def test_making_a_non_compliant_answer_compliant_never_lowers_a_score(answers, data):
    before = score_self_assessment(CATALOGUE, answers)
    failing = sorted(
        code for code, status in before.question_statuses.items() if status == "non_compliant"
    )
    if not failing:
        return
    code = data.draw(st.sampled_from(failing))

    after = score_self_assessment(
        CATALOGUE, {**answers, code: compliant_value(CATALOGUE.question(code))}
    )

    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        assert old is None or new >= old


@given(answer_sets, st.sampled_from(sorted(ZERO_TOLERANCE)), st.data())
def test_any_zero_tolerance_breach_gives_not_ready(answers, criterion, data):
    questions = [
        q for q in CATALOGUE.questions if q.criterion == criterion and q.answer_type != "text"
    ]
    question = data.draw(st.sampled_from(questions))

    result = score_self_assessment(
        CATALOGUE, {**answers, question.code: non_compliant_value(question)}
    )

    assert result.readiness == "not_ready"
    assert criterion in result.zero_tolerance_breaches
    assert result.gaps[0].zero_tolerance


@given(answer_sets, st.randoms(use_true_random=False))
def test_the_order_of_answers_changes_nothing(answers, shuffler):
    shuffled = [Answer(code, value) for code, value in answers.items()]
    shuffler.shuffle(shuffled)

    assert (
        score_self_assessment(CATALOGUE, shuffled).to_dict()
        == score_self_assessment(CATALOGUE, answers).to_dict()
    )


@given(answer_sets)
def test_self_assessment_to_dict_survives_a_json_round_trip(answers):
    data = score_self_assessment(CATALOGUE, answers).to_dict()

    assert json.loads(json.dumps(data)) == data


finding_sets = st.fixed_dictionaries(
    {
        c.code: st.one_of(
            st.none(),
            st.builds(
                lambda grade, indicators: {
                    "grade": grade,
                    "indicators": [] if grade == "not_applicable" else indicators,
                    "note": "Seen on site.",
                },
                st.sampled_from(GRADES),
                st.lists(st.sampled_from(FORCED_LABOUR_INDICATORS), max_size=2, unique=True),
            ),
        )
        for c in CATALOGUE.criteria
    }
).map(lambda drawn: {code: finding for code, finding in drawn.items() if finding is not None})


@given(finding_sets)
def test_a_tagged_or_zero_tolerance_finding_is_never_less_than_major(recorded):
    result = score_audit(CATALOGUE, recorded)

    for finding in result.findings:
        if finding.indicators or (
            finding.criterion in ZERO_TOLERANCE and finding.grade in ("minor", "major")
        ):
            assert finding.effective_grade == "major"
    assert result.certifiable == (not result.open_majors and not result.missing)
    assert all(
        score is None or 0 <= score <= 100
        for score in [result.overall_conformity, *(p.score for p in result.principles)]
    )


@settings(max_examples=50)
@given(finding_sets, answer_sets, st.integers(min_value=0))
def test_the_order_of_findings_changes_nothing_and_json_round_trips(recorded, answers, seed):
    self_assessment = score_self_assessment(CATALOGUE, answers)
    as_list = [Finding(code, **raw) for code, raw in recorded.items()]
    random.Random(seed).shuffle(as_list)

    data = score_audit(CATALOGUE, recorded, self_assessment).to_dict()

    assert score_audit(CATALOGUE, as_list, self_assessment).to_dict() == data
    assert json.loads(json.dumps(data)) == data
