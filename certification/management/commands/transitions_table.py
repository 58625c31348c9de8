from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from certification import workflow_table


class Command(BaseCommand):
    help = (
        "Write the table of case transitions in docs/workflow.md from certification/transitions.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(Path(settings.BASE_DIR) / "docs" / "workflow.md"))

    def handle(self, *args, file, **options):
        changed = workflow_table.write(Path(file))
        self.stdout.write(f"{file}: {'table written' if changed else 'already up to date'}")
