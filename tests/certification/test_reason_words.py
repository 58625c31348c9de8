"""The engine's reasons in words (issue 19): every code the engine can give has its wording
in the Django layer, in English and French; results stored by engine 1.0.0 (plain English
text) still show; a malformed stored reason never breaks a page."""

import pytest
from django.utils import translation

from certification import labels
from scoring.engine import core
from scoring.engine.core import Explanation
from scoring.explanations import COST_PROBLEMS, cost_problem_text

# Worded with their own rules in labels.explain, not from the table.
SPECIAL = {"worker_bore", "required_unanswered"}


def test_every_engine_code_has_a_wording():
    reasons = {code for code in core._ENGLISH if not code.startswith("cost_")}
    problems = {code for code in core._ENGLISH if code.startswith("cost_")}

    assert reasons == set(labels._EXPLANATIONS) | SPECIAL
    assert problems == set(COST_PROBLEMS)


@pytest.mark.parametrize(
    ("reason", "english", "french"),
    [
        (
            {"code": "score_below_threshold", "params": {"score": 60.0, "threshold": 80}},
            "The overall score, 60.0, is below the threshold of 80.",
            "Le score global, 60,0, est inférieur au seuil de 80.",
        ),
        (
            {"code": "required_unanswered", "params": {"count": 2}},
            "2 required questions unanswered.",
            "2 questions obligatoires sans réponse.",
        ),
        (
            {"code": "rule_expected", "params": {"answer": "no"}},
            "expected answer: No",
            "réponse attendue : Non",
        ),
        (
            {
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
            },
            "a worker bore 50.00 USD (medical examinations, deducted from wages; cost no. 1)",
            "un travailleur a supporté 50,00 USD (examens médicaux, retenu sur le salaire ; coût n° 1)",
        ),
        # engine 1.0.0 stored its reasons as English text: shown as they are
        ("zero-tolerance criteria breached: C1.1", "zero-tolerance criteria breached: C1.1", None),
        # a stored reason missing a parameter, or of a shape never written: its text, or nothing
        (
            {"code": "rule_between", "params": {"low": "80"}, "text": "between 80 and 100"},
            "between 80 and 100",
            None,
        ),
        (
            {"code": "open_majors", "params": {"criteria": "C1.1"}},
            "Open major non-conformities: C1.1.",
            "Non-conformités majeures ouvertes : C1.1.",
        ),
        (42, "42", None),
    ],
)
def test_a_reason_is_worded_in_the_readers_language(reason, english, french):
    with translation.override("en"):
        assert labels.explain(reason) == english
    with translation.override("fr"):
        assert labels.explain(reason) == (french or english)


def test_a_cost_problem_names_the_words_the_sheet_offers():
    problem = Explanation(
        "cost_not_one_of", {"field": "borne_by", "choices": ("worker", "sub_agent")}
    )
    with translation.override("fr"):
        assert cost_problem_text(problem) == (
            "doit être l\u2019une des valeurs suivantes : travailleur, sous-agent"
        )
    wrong_side = Explanation(
        "cost_worker_only_route", {"route": "deducted_from_wages", "bearer": "sub_agent"}
    )
    with translation.override("fr"):
        assert cost_problem_text(wrong_side) == (
            "un coût retenu sur le salaire est à la charge du travailleur, et non du sous-agent"
        )


def test_a_cost_taken_as_a_loan_reads_as_a_sentence():
    problem = Explanation("cost_worker_only_route", {"route": "loan", "bearer": "employer"})
    with translation.override("en"):
        assert cost_problem_text(problem) == (
            "a cost taken as a loan is borne by the worker, not by the employer"
        )
    with translation.override("fr"):
        assert cost_problem_text(problem) == (
            "un coût pris sous forme de prêt est à la charge du travailleur, et non de l\u2019employeur"
        )


@pytest.mark.django_db
def test_the_api_keeps_the_engines_words_for_worker_cost_problems(api_world_case):
    """The API's clients read the engine's English and codes, whatever Accept-Language says;
    pages word the same problems (tests/web/test_agency_pages.py)."""
    api, case = api_world_case
    bad = {
        "category": "medical",
        "amount": "5",
        "currency": "USS",
        "borne_by": "employer",
        "route": "loan",
    }
    response = api.patch(
        f"/api/v1/cases/{case.pk}/answers/",
        {"answers": {"C1.1-01": [bad]}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    details = sorted(error["detail"] for error in response.json()["errors"])
    assert details == [
        "answers.C1.1-01[0].borne_by: a cost taken as a loan is borne by the worker, not the employer",
        "answers.C1.1-01[0].currency: unknown currency 'USS'",
    ]


@pytest.fixture
def api_world_case(db):
    from rest_framework.test import APIClient

    from tests.certification.world import World

    world = World()
    case = world.open()
    client = APIClient()
    client.force_authenticate(world.agency_member)
    return client, case
