"""A code answers once even when the same answers are sent twice at the same moment (the
code's row is locked for the whole transaction)."""

import pytest

from monitoring import surveys
from monitoring.models import SurveyAnswer, SurveyCode, SurveyResponse
from tests.certification.test_concurrency import run_at_once
from tests.monitoring.survey_helpers import EVERYTHING, survey_world

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_eight_submissions_of_one_code_at_once_save_one_response():
    world = survey_world()
    _batch, codes = world.issue(count=2)

    results, failures = run_at_once(
        8, lambda: surveys.survey_answer(code=codes[0], answers=EVERYTHING, language="en")
    )

    assert len(results) == 1
    assert len(failures) == 7
    assert all(isinstance(f, surveys.SurveyCodeRefused) for f in failures), failures
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.count() == len(EVERYTHING)
    assert list(SurveyCode.objects.order_by("id").values_list("used", flat=True)) == [True, False]
