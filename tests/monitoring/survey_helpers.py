"""The worker survey as the scheme runs it: the reference standard 1.1 (its survey of twelve
questions) loaded, a reviewer, an agency with a corridor, batches issued, answers given."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from monitoring import surveys
from scoring.services import standard_load
from scoring.standard_file import read_standard_file
from tests.conftest import PROJECT_DIR
from tests.factories import AgencyFactory, CorridorFactory, MembershipFactory

REFERENCE_1_1 = PROJECT_DIR / "scoring" / "standards" / "fairrecruit-reference-1.1.yaml"
NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)

# Every question of the reference survey answered, the worst way: a signal on each of
# WS-PAID, WS-DEDUCTED, WS-PASSPORT, WS-CONTRACT and WS-FREE-TO-LEAVE.
EVERYTHING = {
    "WS-PAID": "yes",
    "WS-AMOUNT": {"amount": "1200.50", "currency": "USD"},
    "WS-PAID-TO": ["agency", "sub_agent"],
    "WS-PAID-FOR": ["recruitment_fee", "medical"],
    "WS-DEDUCTED": "yes",
    "WS-PASSPORT": "employer",
    "WS-CONTRACT": "no",
    "WS-TRUTH": "no",
    "WS-FREE-TO-LEAVE": "no",
    "WS-COMPLAIN": "no",
    "WS-AGE": "25_to_34",
    "WS-GENDER": "woman",
}


@cache
def _reference_spec():
    return read_standard_file(REFERENCE_1_1)


def load_reference_survey():
    """The reference standard 1.1 stored (idempotent), with its worker survey."""
    return standard_load(spec=_reference_spec()).standard


@dataclass
class SurveyWorld:
    standard: object
    reviewer: object
    agency: object
    corridor: object

    def issue(self, count=10, **overrides):
        """A batch and its codes, issued by the reviewer at NOW."""
        values = {"actor": self.reviewer, "agency": self.agency, "count": count, "now": NOW}
        values.update(overrides)
        return surveys.survey_batch_issue(**values)

    def answered(self, answers_list, *, corridor=None, language="en", now=NOW):
        """One batch with a code per answers dict, each answered; returns the responses."""
        _batch, codes = self.issue(count=len(answers_list), corridor=corridor)
        return [
            surveys.survey_answer(code=code, answers=answers, language=language, now=now)
            for code, answers in zip(codes, answers_list, strict=True)
        ]


def survey_world() -> SurveyWorld:
    standard = load_reference_survey()
    agency = AgencyFactory()
    corridor = CorridorFactory(agency=agency, origin="NP", destination="QA")
    return SurveyWorld(
        standard=standard,
        reviewer=MembershipFactory().user,
        agency=agency,
        corridor=corridor,
    )
