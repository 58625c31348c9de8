"""The records take their codes from the engine's vocabulary and add only words for people."""

import pytest

from audits.models import (
    BEARER_LABELS,
    GRADE_LABELS,
    ROUTE_LABELS,
    Bearer,
    Grade,
    Route,
    WorkerCost,
)
from certification.labels import LABELS
from scoring.engine.vocabulary import (
    BORNE_BY,
    FORCED_LABOUR_INDICATORS,
    GRADES,
    ROUTES,
    WORKER_COST_CATEGORIES,
)

pytestmark = pytest.mark.outside_the_database  # pure: no database at all


@pytest.mark.parametrize(
    ("choices", "labels", "codes"),
    [
        (Bearer, BEARER_LABELS, BORNE_BY),
        (Route, ROUTE_LABELS, ROUTES),
        (Grade, GRADE_LABELS, GRADES),
    ],
    ids=["borne_by", "route", "grade"],
)
def test_each_code_of_the_engine_has_a_label_and_each_label_a_code(choices, labels, codes):
    assert tuple(choices.values) == codes
    assert set(labels) == set(codes)
    assert [str(label) for label in choices.labels] == [str(labels[code]) for code in codes]


def test_a_worker_cost_keeps_the_engine_s_codes_in_its_order():
    fields = {field.name: field for field in WorkerCost._meta.fields}

    assert [code for code, _label in fields["category"].choices] == list(WORKER_COST_CATEGORIES)
    assert [code for code, _label in fields["borne_by"].choices] == list(BORNE_BY)
    assert [code for code, _label in fields["route"].choices] == list(ROUTES)


@pytest.mark.parametrize(
    ("vocabulary", "codes"),
    [("cost", WORKER_COST_CATEGORIES), ("indicator", FORCED_LABOUR_INDICATORS)],
)
def test_the_pages_have_words_for_exactly_the_engine_s_codes(vocabulary, codes):
    assert set(LABELS[vocabulary]) == set(codes)
