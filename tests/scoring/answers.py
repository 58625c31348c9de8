"""Answers for tests: every question answered compliantly, to be spoiled one at a time."""

from pathlib import Path

from scoring.catalogue import catalogue_from_file
from scoring.engine import Catalogue, CatalogueQuestion

# Not imported from conftest: the benchmark uses this module without pytest or Django.
REFERENCE_STANDARD = (
    Path(__file__).resolve().parents[2] / "scoring" / "standards" / "fairrecruit-reference-1.0.yaml"
)


def reference_catalogue() -> Catalogue:
    return catalogue_from_file(REFERENCE_STANDARD)


def compliant_value(question: CatalogueQuestion):
    return question.compliant_example()


def non_compliant_value(question: CatalogueQuestion):
    if question.answer_type == "yes_no":
        return "no" if question.expected == "yes" else "yes"
    if question.answer_type == "choice":
        return next(c for c in question.choices if c not in question.compliant_choices)
    if question.answer_type == "number":
        return question.minimum - 1 if question.minimum is not None else question.maximum + 1
    if question.answer_type == "worker_costs":
        return [
            {
                "category": "medical",
                "amount": "50",
                "currency": "USD",
                "borne_by": "worker",
                "route": "paid",
            }
        ]
    raise ValueError(f"{question.code} is not scored")


def compliant_answers(catalogue: Catalogue) -> dict:
    return {q.code: compliant_value(q) for q in catalogue.questions}
