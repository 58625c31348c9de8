"""Scoring an audit: the auditor's findings, their effective grades, conformity,
certifiability and discrepancies with the self-assessment (DOMAIN.md §4-§6).
Pure Python: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from scoring.engine.core import (
    COMPLIANT,
    ENGINE_VERSION,
    STATUS_BY_FLAGS,
    Catalogue,
    CatalogueCriterion,
    Explanation,
    InvalidInput,
    PrincipleResult,
    explanation,
    score_of,
    weight_number,
)
from scoring.engine.self_assessment import SelfAssessmentResult
from scoring.engine.vocabulary import FORCED_LABOUR_INDICATORS, GRADES

_CONFORMING_GRADES = frozenset({"conforming", "observation"})
_NON_CONFORMITIES = frozenset({"minor", "major"})
_INDICATORS = frozenset(FORCED_LABOUR_INDICATORS)


@dataclass(frozen=True, slots=True)
class Finding:
    """An auditor's finding on one criterion. `closed`: its non-conformity was verified closed."""

    criterion: str
    grade: str
    indicators: tuple[str, ...] = ()
    note: str = ""
    closed: bool = False


class FindingResult(NamedTuple):
    criterion: str
    principle: str
    grade: str  # as entered
    effective_grade: str  # after the zero-tolerance and forced-labour rules
    escalation: str | None  # why the effective grade is more serious, if it is
    indicators: tuple[str, ...]
    note: str
    closed: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "indicators": list(self.indicators)}


class Discrepancy(NamedTuple):
    criterion: str
    declared: str
    found: str

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True, slots=True)
class AuditResult:
    standard_code: str
    standard_version: str
    findings: tuple[FindingResult, ...]  # in catalogue order
    principles: tuple[PrincipleResult, ...]
    overall_conformity: float | None
    counts: Mapping[str, int]  # by effective grade
    missing: tuple[str, ...]  # criteria without a finding
    open_majors: tuple[str, ...]
    certifiable: bool
    reasons: tuple[Explanation, ...]  # why not certifiable
    discrepancies: tuple[Discrepancy, ...] | None  # None: no self-assessment to compare
    discrepancy_share: float | None
    engine_version: str = ENGINE_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "standard": {"code": self.standard_code, "version": self.standard_version},
            "certifiable": self.certifiable,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "overall_conformity": self.overall_conformity,
            "counts": dict(self.counts),
            "missing": list(self.missing),
            "open_majors": list(self.open_majors),
            "principles": [p.to_dict() for p in self.principles],
            "findings": [f.to_dict() for f in self.findings],
            "discrepancies": None
            if self.discrepancies is None
            else [d.to_dict() for d in self.discrepancies],
            "discrepancy_share": self.discrepancy_share,
        }


def _finding_mapping(findings, errors: list[str]) -> dict[str, Finding]:
    result = {}
    if isinstance(findings, Mapping):
        items = []
        for code, raw in findings.items():
            if isinstance(raw, Finding):
                items.append(raw if raw.criterion == code else None)
                if raw.criterion != code:
                    errors.append(f"findings.{code}: the finding is for criterion {raw.criterion}")
            elif isinstance(raw, Mapping):
                items.append(_parse_finding(code, raw, errors))
            else:
                errors.append(f"findings.{code}: must be a finding with a grade")
    else:
        items = list(findings)
    for index, finding in enumerate(items):
        if finding is None:
            continue
        if not isinstance(finding, Finding):
            errors.append(f"findings[{index}]: must be a Finding, not {type(finding).__name__}")
            continue
        if finding.criterion in result:
            errors.append(f"findings.{finding.criterion}: recorded twice")
        result[finding.criterion] = finding
    return result


def _parse_finding(code: str, raw: Mapping, errors: list[str]) -> Finding | None:
    path = f"findings.{code}"
    before = len(errors)
    for key in raw:
        if key not in ("grade", "indicators", "note", "closed"):
            errors.append(f"{path}.{key}: unknown field")
    indicators = raw.get("indicators", [])
    if not isinstance(indicators, list | tuple) or not all(isinstance(i, str) for i in indicators):
        errors.append(f"{path}.indicators: must be a list of forced-labour indicators")
        indicators = ()
    note = raw.get("note", "")
    if not isinstance(note, str):
        errors.append(f"{path}.note: must be a text")
    closed = raw.get("closed", False)
    if not isinstance(closed, bool):
        errors.append(f"{path}.closed: must be true or false")
    if len(errors) > before:
        return None
    return Finding(code, raw.get("grade"), tuple(indicators), note, closed)


def finding_problems(
    grade: str, indicators: Sequence[str], note: str
) -> tuple[tuple[str, str], ...]:
    """What a finding may carry, as (field, problem) pairs; none when it is valid.

    The one statement of the rule: `score_audit` applies it, and so does the service that
    records a finding, so that a finding is refused when it is entered, not at completion.
    """
    problems = []
    if grade not in GRADES:
        problems.append(("grade", f"must be one of {', '.join(GRADES)}, not {grade!r}"))
    for indicator in indicators:
        if indicator not in _INDICATORS:
            problems.append(("indicators", f"unknown forced-labour indicator {indicator!r}"))
    if len(set(indicators)) != len(indicators):
        problems.append(("indicators", "an indicator is listed twice"))
    if grade == "not_applicable":
        if not note.strip():
            problems.append(("note", "a not_applicable finding needs the reason"))
        if indicators:
            problems.append(
                ("indicators", "a not_applicable finding cannot show forced-labour indicators")
            )
    return tuple(problems)


def _check_finding(finding: Finding, catalogue: Catalogue, errors: list[str]) -> None:
    path = f"findings.{finding.criterion}"
    if finding.criterion not in catalogue._plan.criterion_index:
        errors.append(f"{path}: unknown criterion")
    errors.extend(
        f"{path}.{field}: {problem}"
        for field, problem in finding_problems(finding.grade, finding.indicators, finding.note)
    )


def _effective_grade(finding: Finding, criterion: CatalogueCriterion) -> tuple[str, str | None]:
    if finding.indicators and finding.grade != "major":
        return (
            "major",
            f"shows forced-labour indicators ({', '.join(finding.indicators)}): always major",
        )
    if criterion.zero_tolerance and finding.grade == "minor":
        return "major", f"zero-tolerance criterion {criterion.code}: any non-conformity is major"
    return finding.grade, None


def score_audit(
    catalogue: Catalogue,
    findings: Mapping[str, Finding | Mapping] | Iterable[Finding],
    self_assessment: SelfAssessmentResult | None = None,
) -> AuditResult:
    """Conformity, effective grades, certifiability and discrepancies (DOMAIN.md §5-§6)."""
    errors: list[str] = []
    by_criterion = _finding_mapping(findings, errors)
    for finding in by_criterion.values():
        _check_finding(finding, catalogue, errors)
    if self_assessment is not None and (
        self_assessment.standard_code,
        self_assessment.standard_version,
    ) != (
        catalogue.code,
        catalogue.version,
    ):
        errors.append(
            f"self_assessment: scored against {self_assessment.standard_code} {self_assessment.standard_version}, "
            f"not {catalogue.code} {catalogue.version}"
        )
    if errors:
        raise InvalidInput(errors)

    weights = catalogue._plan.weights
    results, missing, open_majors = [], [], []
    counts = dict.fromkeys(GRADES, 0)
    conformity_flags = []
    for criterion in catalogue.criteria:
        finding = by_criterion.get(criterion.code)
        if finding is None:
            missing.append(criterion.code)
            conformity_flags.append(0)
            continue
        grade, escalation = _effective_grade(finding, criterion)
        counts[grade] += 1
        if grade == "major" and not finding.closed:
            open_majors.append(criterion.code)
        conformity_flags.append(
            1 if grade in _CONFORMING_GRADES else 4 if grade in _NON_CONFORMITIES else 0
        )
        results.append(
            FindingResult(
                criterion.code,
                criterion.principle,
                finding.grade,
                grade,
                escalation,
                finding.indicators,
                finding.note,
                finding.closed,
            )
        )

    principles, total_compliant, total_applicable = [], 0, 0
    for p, members in zip(catalogue.principles, catalogue._plan.principle_criteria, strict=True):
        compliant = sum(weights[i] for i in members if conformity_flags[i] == 1)
        applicable = sum(weights[i] for i in members if conformity_flags[i])
        principle_flags = 0
        for i in members:
            principle_flags |= conformity_flags[i]
        total_compliant += compliant
        total_applicable += applicable
        principles.append(
            PrincipleResult(
                p.code,
                STATUS_BY_FLAGS[principle_flags],
                score_of(compliant, applicable),
                weight_number(compliant),
                weight_number(applicable),
            )
        )

    reasons = []
    if open_majors:
        reasons.append(explanation("open_majors", criteria=tuple(open_majors)))
    if missing:
        reasons.append(explanation("criteria_without_finding", criteria=tuple(missing)))

    discrepancies = share = None
    if self_assessment is not None:
        declared = {c.code: c.status for c in self_assessment.criteria}
        compared = [
            r
            for r in results
            if declared.get(r.criterion) == COMPLIANT and r.effective_grade != "not_applicable"
        ]
        discrepancies = tuple(
            Discrepancy(r.criterion, COMPLIANT, r.effective_grade)
            for r in compared
            if r.effective_grade in _NON_CONFORMITIES
        )
        share = score_of(len(discrepancies), len(compared))

    return AuditResult(
        standard_code=catalogue.code,
        standard_version=catalogue.version,
        findings=tuple(results),
        principles=tuple(principles),
        overall_conformity=score_of(total_compliant, total_applicable),
        counts=MappingProxyType(counts),
        missing=tuple(missing),
        open_majors=tuple(open_majors),
        certifiable=not reasons,
        reasons=tuple(reasons),
        discrepancies=discrepancies,
        discrepancy_share=share,
    )
