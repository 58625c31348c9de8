"""The scoring engine: explainable results from a catalogue and an agency's answers or an
auditor's findings (DOMAIN.md §6; docs/scoring.md has a worked example).

Pure Python: it imports nothing from Django, so that it can be called, tested and timed on
its own. Inputs and results are immutable; every result names the standard code and version
and the engine version that produced it, lists its reasons, and gives plain JSON with
`to_dict()`. Scores are computed exactly, in integer hundredths of weight, and rounded half
up to one decimal, so that anyone can redo them by hand.

This package's top is the engine's public face; the parts live in `core` (catalogue and
arithmetic), `vocabulary` (the domain's fixed codes), `worker_costs`, `self_assessment` and
`audit`. Nothing in the package imports Django (tests/scoring/test_engine_purity.py).
"""

from scoring.engine.audit import (
    AuditResult,
    Discrepancy,
    Finding,
    FindingResult,
    finding_problems,
    score_audit,
)
from scoring.engine.core import (
    COMPLIANT,
    DEFAULT_READINESS_THRESHOLD,
    ENGINE_VERSION,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    NOT_APPLICABLE_ANSWER,
    NOT_SCORED,
    UNANSWERED,
    Catalogue,
    CatalogueCriterion,
    CataloguePrinciple,
    CatalogueQuestion,
    CriterionResult,
    Explanation,
    InvalidInput,
    PrincipleResult,
)
from scoring.engine.self_assessment import (
    Answer,
    Gap,
    Reason,
    SelfAssessmentResult,
    score_self_assessment,
)
from scoring.engine.vocabulary import BORNE_BY, GRADES, ROUTES
from scoring.engine.worker_costs import WorkerCostItem, WorkerCostsResult, check_worker_costs

__all__ = [
    "BORNE_BY",
    "COMPLIANT",
    "DEFAULT_READINESS_THRESHOLD",
    "ENGINE_VERSION",
    "GRADES",
    "NON_COMPLIANT",
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_ANSWER",
    "NOT_SCORED",
    "ROUTES",
    "UNANSWERED",
    "Answer",
    "AuditResult",
    "Catalogue",
    "CatalogueCriterion",
    "CataloguePrinciple",
    "CatalogueQuestion",
    "CriterionResult",
    "Discrepancy",
    "Explanation",
    "Finding",
    "FindingResult",
    "Gap",
    "InvalidInput",
    "PrincipleResult",
    "Reason",
    "SelfAssessmentResult",
    "WorkerCostItem",
    "WorkerCostsResult",
    "check_worker_costs",
    "finding_problems",
    "score_audit",
    "score_self_assessment",
]
