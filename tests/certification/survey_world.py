"""The workflow world with a worker survey: the mini standard in a version with the small
survey of tests/scoring/standard_data.py (WS-PAID and WS-PASSPORT raise signals on C1.1 and
C2.1), so that the agency's cases are on it, and a way to have workers answer."""

from datetime import timedelta

from django.utils import timezone

from certification import services
from certification.services import surveys as scheme_surveys
from monitoring import surveys
from scoring.services import standard_load
from scoring.standard_file import validate_standard
from tests.certification.world import CRITERIA, World, refreshed
from tests.scoring.standard_data import valid_survey_standard

# The people the survey's pages and routes are tried with, in this order.
PEOPLE = (
    "anonymous",
    "agency_member",
    "other_agency_member",
    "assigned_auditor",
    "other_auditor",
    "reviewer",
    "employer_member",
)

# Nothing the auditor must check, and the worst answers (a signal on C1.1 and on C2.1).
FINE = {"WS-PAID": "no", "WS-PASSPORT": "me"}
SIGNALLED = {
    "WS-PAID": "yes",
    "WS-AMOUNT": {"amount": "900", "currency": "USD"},
    "WS-FOR": ["visa"],
    "WS-PASSPORT": "agency",
}


def load_survey_standard(version: str = "1.1"):
    data = valid_survey_standard()
    data["status"] = "published"
    data["version"] = version
    return standard_load(spec=validate_standard(data)).standard


class SurveyWorld(World):
    """The workflow world, its cases opened on the mini standard with a survey."""

    def __init__(self):
        super().__init__()
        self.standard = load_survey_standard()

    def answered(self, answers_list, *, corridor=None, days_ago: int = 0, agency=None):
        """A batch issued by the reviewer with one code per answers dict, each answered
        `days_ago` days ago; returns the batch."""
        now = timezone.now() - timedelta(days=days_ago)
        batch, codes = scheme_surveys.survey_batch_issue(
            actor=self.reviewer,
            agency=agency or self.agency,
            count=len(answers_list),
            corridor=corridor,
            now=now,
        )
        for code, answers in zip(codes, answers_list, strict=True):
            surveys.survey_answer(code=code, answers=answers, language="en", now=now)
        return batch

    def grade_without_notes(self, case):
        """Every criterion of the audit under way conforming, with no note."""
        for code in CRITERIA:
            services.finding_record(
                actor=self.auditor, case=case, criterion=code, grade="conforming"
            )

    def surveillance_under_way(self, case):
        """A surveillance audit of the certified case, planned for today and started."""
        today = timezone.localdate()
        audit = services.surveillance_audit_plan(
            actor=self.reviewer,
            case=case,
            auditor=self.auditor_membership,
            stage1_date=today,
            stage2_date=today,
        )
        services.case_start_audit(actor=self.auditor, case=refreshed(case))
        audit.refresh_from_db()
        return audit
