import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certification.scale_seed import ROWS, seed_scale
from certification.services.assessment import newest_published
from certification.status import registry_cache_invalidate


class Command(BaseCommand):
    help = (
        "Add N agencies in realistic proportions (cases in every state, certificates, "
        "corridors, sectors, findings) through bulk inserts: for benchmarks and for sizing "
        "a deployment. Never on a production register: it runs with DEBUG=true or --not-production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, required=True, help="how many to add")
        parser.add_argument("--seed", type=int, default=16, help="the generator's seed")
        parser.add_argument(
            "--not-production",
            action="store_true",
            help="this database is not a live register (needed without DEBUG)",
        )

    def handle(self, *args, agencies: int, seed: int, not_production: bool, **options):
        if not (settings.DEBUG or not_production):
            raise CommandError(
                "seed_scale fills the register with invented agencies: it runs only with "
                "DEBUG=true or --not-production"
            )
        if agencies < 1:
            raise CommandError("--agencies must be at least 1")
        try:
            standard = newest_published()
        except ValidationError as error:  # no standard loaded: say what to do
            raise CommandError(
                f"{'; '.join(error.messages)}: load it first: manage.py load_standard "
                "scoring/standards/fairrecruit-reference-1.1.yaml"
            ) from error
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {done:>9,} / {total:,} agencies  ({elapsed:6.1f} s)")

        counts = seed_scale(agencies, standard=standard, seed=seed, progress=progress)
        # The registry's kept pages and counts are stale now (the new agencies have no
        # kept status of their own yet).
        registry_cache_invalidate()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Added in {elapsed:.1f} s: ")
            + ", ".join(f"{getattr(counts, name):,} {name.replace('_', ' ')}" for name in ROWS)
        )
        self.stdout.write(
            "Cases by state: "
            + ", ".join(f"{state} {count:,}" for state, count in sorted(counts.by_state.items()))
        )
