from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from scoring.loader_messages import problems_text
from scoring.services import StandardRefused, standard_load
from scoring.standard_file import StandardFileError, read_standard_file


class Command(BaseCommand):
    help = (
        "Validate a standard file (YAML or JSON) and load it in one transaction. "
        "Nothing is written when anything is wrong; loading the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the standard file")
        parser.add_argument(
            "--language",
            choices=("en", "fr"),
            default="en",
            help="the language of the problems found in the file (default: en)",
        )

    def handle(self, *args, file: str, language: str = "en", **options):
        try:
            spec = read_standard_file(file)
        except StandardFileError as error:
            with translation.override(language):
                lines = problems_text(error)
            for line in lines:
                self.stderr.write(line)
            count = len(error.errors)
            raise CommandError(
                f"{file}: {count} error{'s' if count != 1 else ''}; nothing was written"
            ) from None
        try:
            result = standard_load(spec=spec)
        except StandardRefused as error:
            raise CommandError(f"{file}: {error}; nothing was written") from None
        criteria = sum(1 for _ in spec.criteria())
        questions = sum(1 for _ in spec.questions())
        survey = (
            f", {len(spec.worker_survey.questions)} worker survey questions in "
            f"{len(spec.worker_survey.languages)} languages"
            if spec.worker_survey is not None
            else ""
        )
        self.stdout.write(
            f"{result.outcome}: {spec.code} {spec.version} ({spec.status}; "
            f"{len(spec.principles)} principles, {criteria} criteria, {questions} questions"
            f"{survey})"
        )
