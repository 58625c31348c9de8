from django.conf import settings

from scoring.engine import score_self_assessment
from scoring.management.commands._scoring import ScoringCommand, catalogue_for
from scoring.sheets import parse_answer_sheet, read_sheet


class Command(ScoringCommand):
    help = "Score a self-assessment answer sheet (JSON) and print the result as JSON (docs/scoring.md)."

    def score(self, file: str):
        sheet = parse_answer_sheet(read_sheet(file))
        catalogue = catalogue_for(sheet.standard, sheet.version)
        return score_self_assessment(
            catalogue, sheet.answers, readiness_threshold=settings.SCORING_READINESS_THRESHOLD
        )
