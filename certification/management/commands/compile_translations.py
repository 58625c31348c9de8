"""Compile every .po file of LOCALE_PATHS to its .mo with polib, so that no gettext tools
are needed; `make messages` runs it after `makemessages`, and a test checks that the
committed .mo files match their .po files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogue(po_path: Path) -> Path:
    import polib  # a development dependency: the compiled files are committed

    catalogue = polib.pofile(str(po_path))
    catalogue.metadata_is_fuzzy = False
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without gettext tools."

    def handle(self, *args, **options):
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                mo_path = compile_catalogue(po_path)
                self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
