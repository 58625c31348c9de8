from collections import Counter
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certification.due_work import run_due_work


class Command(BaseCommand):
    help = (
        "Do the scheduled work that is due: expire certificates, refuse cases with overdue major "
        "corrective actions, suspend for overdue surveillance, withdraw long suspensions, send "
        "renewal reminders, remind reviewers of the deadlines of complaints and appeals and list "
        "what is overdue. Safe to run often and in several copies at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="act as if it were this ISO 8601 date and time (default: now)"
        )

    def handle(self, *args, now: str | None = None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: not an ISO 8601 date and time: {now!r}") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, UTC)
        lines = run_due_work(now=moment)
        for line in lines:
            self.stdout.write(line)
        counts = Counter(line.split(":", 1)[0] for line in lines)
        kinds = ("expired", "refused", "suspended", "withdrawn", "reminded", "overdue", "failed")
        summary = ", ".join(f"{counts[kind]} {kind}" for kind in kinds)
        self.stdout.write(f"run_due_work at {moment.isoformat()}: {summary}")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} item(s) failed; the next run tries them again")
