from django.conf import settings

from scoring.engine import InvalidInput, score_audit, score_self_assessment
from scoring.management.commands._scoring import Problems, ScoringCommand, catalogue_for, prefixed
from scoring.sheets import parse_findings_sheet, read_sheet


class Command(ScoringCommand):
    help = (
        "Score audit findings (JSON), compared with the self-assessment when the sheet holds one, "
        "and print the result as JSON (docs/scoring.md)."
    )

    def score(self, file: str):
        sheet = parse_findings_sheet(read_sheet(file))
        catalogue = catalogue_for(sheet.standard, sheet.version)
        self_assessment = None
        if sheet.self_assessment is not None:
            answers = sheet.self_assessment
            if (answers.standard, answers.version) != (sheet.standard, sheet.version):
                raise Problems(
                    [
                        f"self_assessment: answers {answers.standard} {answers.version} cannot be "
                        f"compared with findings on {sheet.standard} {sheet.version}"
                    ]
                )
            try:
                self_assessment = score_self_assessment(
                    catalogue,
                    answers.answers,
                    readiness_threshold=settings.SCORING_READINESS_THRESHOLD,
                )
            except InvalidInput as invalid:
                raise Problems(prefixed(invalid.errors, "self_assessment.")) from None
        return score_audit(catalogue, sheet.findings, self_assessment)
