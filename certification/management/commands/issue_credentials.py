"""Sign a credential for each certificate in force that has none (after an upgrade, or
once a body's key is configured)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from certification import credentials
from certification.errors import TransitionNotAllowed
from certification.models import CaseState, Certificate
from certification.services._base import lock_case


class Command(BaseCommand):
    help = (
        "Issue the signed credential of every certificate of a certified or suspended case "
        "that has no live credential for its current revision. Prints each one; a body "
        "without a key is named and skipped."
    )

    def handle(self, *args, **options):
        waiting = (
            Certificate.objects.filter(case__state__in=[CaseState.CERTIFIED, CaseState.SUSPENDED])
            .order_by("pk")
            .values_list("pk", "case_id", "number")
        )
        issued = failed = 0
        for pk, case_id, number in waiting:
            try:
                with transaction.atomic():
                    case = lock_case(case_id)
                    certificate = Certificate.objects.get(pk=pk)
                    if certificate.credentials.filter(
                        revision=certificate.revision, revoked_at__isnull=True
                    ).exists():
                        continue
                    credentials.follow_case(case, issue_missing=True)
            except TransitionNotAllowed as refused:
                failed += 1
                self.stderr.write(f"{number}: {refused}")
                continue
            issued += 1
            self.stdout.write(f"{number}: credential issued")
        self.stdout.write(f"{issued} issued, {failed} could not be signed")
        if failed:
            raise SystemExit(1)
