"""The scoring engine: explainable results from a catalogue and an agency's answers or an
auditor's findings (DOMAIN.md §6; docs/scoring.md has a worked example).

Pure Python: it imports nothing from Django, so that it can be called, tested and timed on
its own. Inputs and results are immutable; every result names the standard code and version
and the engine version that produced it, lists its reasons, and gives plain JSON with
`to_dict()`. Scores are computed exactly, in integer hundredths of weight, and rounded half
up to one decimal, so that anyone can redo them by hand.

This module is the engine's public face; the parts live in `engine_core` (catalogue and
arithmetic), `worker_costs`, `self_assessment` and `audit`.
"""

from scoring.audit import GRADES, AuditResult, Discrepancy, Finding, FindingResult, score_audit
from scoring.engine_core import (
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
    InvalidInput,
    PrincipleResult,
)
from scoring.self_assessment import (
    Answer,
    Gap,
    Reason,
    SelfAssessmentResult,
    score_self_assessment,
)
from scoring.worker_costs import (
    BORNE_BY,
    ROUTES,
    WorkerCostItem,
    WorkerCostsResult,
    check_worker_costs,
)

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
    "score_audit",
    "score_self_assessment",
]
