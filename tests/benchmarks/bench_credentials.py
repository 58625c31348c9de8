"""Credentials benchmark (`make bench`): figures, never assertions.

- issuing one credential: the certificate's PDF as issued, its digest, the facts, the
  signature and the row (credentials.issue), median of 20;
- signing alone (vc.core.sign of the credential's JSON), median of 200;
- rebuilding one status list of 131,072 entries, full, with 1% of its credentials
  suspended and 1% revoked: the set bits read from the rows, the list compressed and
  signed (credentials.status_list_token), median of 20, for each purpose.
"""

import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))

from tests.benchmarks.bench_documents import setup  # noqa: E402


def median_ms(work, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    setup()
    from django.db import transaction
    from django.utils import timezone

    from certification import credentials
    from certification.models import Credential, StatusList
    from certification.vc import core
    from tests.certification.world import World

    world = World()
    certificate = world.case_in("certified").certificate
    first = Credential.objects.get()

    def issue_one():
        with transaction.atomic():
            credentials.issue(certificate)
            transaction.set_rollback(True)  # each run allocates afresh

    issue_ms = median_ms(issue_one, 20)
    key_record, key = credentials.signing_key(world.auditor_membership.certification_body)
    claims = core.open_token(
        first.token, credentials.body_did_document(key_record.certification_body)
    )[0]
    sign_ms = median_ms(lambda: core.sign(claims, key, "did:web:x#k"), 200)

    # A full list: 131,072 credentials, 1% suspended, 1% revoked.
    status_list = StatusList.objects.get()
    size = status_list.size
    now = timezone.now()
    rows = (
        Credential(
            certificate=certificate,
            revision=1,
            key=key_record,
            status_list=status_list,
            status_index=index,
            token="x",
            pdf=b"",
            pdf_sha256="0" * 64,
            issued_at=now,
            suspended=index % 100 == 1,
            revoked_at=now if index % 100 == 2 else None,
        )
        for index in range(1, size)
    )
    start = time.perf_counter()
    Credential.objects.bulk_create(rows, batch_size=5000)
    seeded = time.perf_counter() - start
    status_list.next_index = size
    status_list.save()
    status_list = StatusList.objects.select_related("certification_body").get()
    figures = {
        purpose: median_ms(lambda p=purpose: credentials.status_list_token(status_list, p), 20)
        for purpose in core.PURPOSES
    }
    token = credentials.status_list_token(status_list, "suspension")

    print("Credentials benchmark (SQLite file, in process)")
    print(f"  issuing one credential (with its PDF) : {issue_ms:8.1f} ms")
    print(f"  signing alone                         : {sign_ms:8.2f} ms")
    for purpose, figure in figures.items():
        print(
            f"  rebuilding a {purpose:<10} list       : {figure:8.1f} ms   "
            f"({size:,} entries, {size // 100:,} set; {len(token):,} bytes signed)"
        )
    print(f"  (seeding {size:,} credential rows took {seeded:.1f} s)")


if __name__ == "__main__":
    main()
