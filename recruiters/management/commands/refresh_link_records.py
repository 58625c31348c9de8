"""Keep the link check's records of every agency's own fields (names, registration and
licence numbers, address) current: after an upgrade, or a bulk import."""

from django.core.management.base import BaseCommand

from recruiters.links.services import agency_details_refresh
from recruiters.models import Agency


class Command(BaseCommand):
    help = (
        "Record each agency's names, registration and licence numbers and address as the "
        "link check reads them (docs/onboarding.md); a changed one is closed today. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        count = 0
        for agency in Agency.objects.order_by("pk").iterator(chunk_size=500):
            agency_details_refresh(agency)
            count += 1
            if count % 10_000 == 0:
                self.stdout.write(f"{count:,} agencies…")
        self.stdout.write(f"{count:,} agencies' records refreshed")
