from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scoring.models import Standard
from scoring.selectors import standard_get, standard_spec_get
from scoring.standard_file import dump_json, dump_yaml

WRITERS = {"yaml": dump_yaml, "json": dump_json}


class Command(BaseCommand):
    help = "Write a loaded standard version out in the file format that load_standard reads."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version")
        parser.add_argument("--format", choices=sorted(WRITERS), default="yaml")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, code: str, version: str, format: str, output: str | None, **options):
        try:
            standard = standard_get(code=code, version=version)
        except Standard.DoesNotExist:
            raise CommandError(f"no standard {code} {version} is loaded") from None
        text = WRITERS[format](standard_spec_get(standard=standard))
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
