"""What score_answers and score_findings share: reading, looking up, reporting problems."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from scoring.catalogue import catalogue_get
from scoring.engine import InvalidInput
from scoring.models import Standard
from scoring.sheets import SheetError

PROBLEM_EXIT_STATUS = 2


class Problems(Exception):
    def __init__(self, lines):
        self.lines = list(lines)


def catalogue_for(code: str, version: str, path: str = ""):
    try:
        return catalogue_get(code=code, version=version)
    except Standard.DoesNotExist:
        where = f"{path}." if path else ""
        raise Problems(
            [f"{where}standard: no standard {code!r} version {version!r} is loaded"]
        ) from None


def prefixed(errors, prefix: str):
    return [f"{prefix}{error}" for error in errors]


class ScoringCommand(BaseCommand):
    """Prints the result as JSON; problems go to stderr, one line each, with exit status 2."""

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON sheet")

    def score(self, file: str):
        raise NotImplementedError

    def handle(self, *args, file: str, **options):
        try:
            result = self.score(file)
        except (SheetError, InvalidInput) as error:
            self._fail(error.errors)
        except Problems as problems:
            self._fail(problems.lines)
        except DatabaseError as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            self._fail([f"database: {first_line} (has `manage.py migrate` been run?)"])
        self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))

    def _fail(self, lines):
        for line in lines:
            self.stderr.write(line)
        count = len(lines)
        raise CommandError(
            f"{count} problem{'s' if count != 1 else ''}; nothing was scored",
            returncode=PROBLEM_EXIT_STATUS,
        )
