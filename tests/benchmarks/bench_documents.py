"""Documents benchmark (`make bench`): figures, never assertions.

- the certificate PDF: median time;
- an audit report with 300 findings: time;
- an export of 50,000 findings (openpyxl write-only, rows from a database iterator): time
  and peak memory of the Python heap (tracemalloc) and of the process (ru_maxrss growth).
"""

import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))


def setup():
    directory = tempfile.mkdtemp(prefix="fairrecruit-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.bench_settings"
    os.environ["REDIS_URL"] = ""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def big_standard(criteria: int = 300):
    from scoring.services import standard_load
    from scoring.standard_file import validate_standard

    def text(label):
        return {"en": label, "fr": label}

    principles = []
    for p in range(10):
        principles.append(
            {
                "code": f"P{p}",
                "kind": "specific",
                "title": text(f"Principle {p}"),
                "criteria": [
                    {
                        "code": f"P{p}.{c}",
                        "text": text(
                            f"Criterion {p}.{c}, written long enough to wrap in a table cell like real ones do."
                        ),
                        "weight": 1,
                        "questions": [
                            {
                                "code": f"P{p}.{c}-1",
                                "text": text("Done?"),
                                "answer_type": "yes_no",
                                "rule": {"expected": "yes"},
                            }
                        ],
                    }
                    for c in range(criteria // 10)
                ],
            }
        )
    data = {
        "code": "bench",
        "version": "1.0",
        "title": text("Bench"),
        "status": "published",
        "principles": principles,
    }
    return standard_load(spec=validate_standard(data)).standard


def main() -> None:
    setup()
    from django.utils import timezone

    from audits.models import Audit, Finding
    from certification import exports, services
    from certification.pdf import certificate_pdf
    from certification.reports import audit_report_pdf
    from tests.certification.world import World

    world = World()
    standard = big_standard()
    case = services.case_open(actor=world.agency_member, agency=world.agency, standard=standard)
    services.self_assessment_save_answers(
        actor=world.agency_member,
        case=case,
        answers={q.code: "yes" for q in standard.questions.all()},
    )
    services.case_submit(actor=world.agency_member, case=case)
    today = timezone.localdate()
    services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,
    )
    services.case_start_audit(actor=world.auditor, case=case)
    for index, criterion in enumerate(standard.criteria.all()):
        services.finding_record(
            actor=world.auditor,
            case=case,
            criterion=criterion.code,
            grade="minor" if index % 7 == 0 else "conforming",
            text="Seen on site; records sampled; workers interviewed in their language.",
        )
    services.case_complete_audit(actor=world.auditor, case=case)
    audit = case.audits.get()
    case.refresh_from_db()

    start = time.perf_counter()
    report = audit_report_pdf(audit)
    report_seconds = time.perf_counter() - start

    # A certificate, on the small standard of the test world.
    world.agency = type(world.agency).objects.create(
        name="Công ty Tuyển dụng Đông Nam",
        legal_name="x",
        country="VN",
        registration_number="BENCH-1",
        size_band="100_499",
    )
    from recruiters.models import Membership

    Membership.objects.create(user=world.agency_member, role="agency_member", agency=world.agency)
    certificate = world.case_in("certified").certificate
    certificate_pdf(certificate)  # fonts registered once per process
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        certificate_pdf(certificate)
        timings.append(time.perf_counter() - start)

    # 50,000 findings in 167 audits of the big standard.
    criteria = list(standard.criteria.all())
    audits = Audit.objects.bulk_create(
        Audit(
            case=case,
            kind="special",
            lead_auditor=world.auditor_membership,
            stage1_date=today,
            stage2_date=today,
        )
        for _ in range(167)
    )
    batch = []
    for audit_row in audits:
        for criterion in criteria:
            batch.append(
                Finding(
                    audit=audit_row,
                    criterion=criterion,
                    grade="conforming",
                    text="Checked.",
                    recorded_by=world.auditor,
                )
            )
    Finding.objects.bulk_create(batch[:50_000], batch_size=5000)
    del batch
    findings = Finding.objects.filter(audit__case=case, audit__kind="special").select_related(
        "criterion"
    )
    count = findings.count()

    def rows():
        return (
            [f.criterion.code, f.grade, f.effective_grade, ", ".join(f.indicators), f.text]
            for f in findings.iterator(chunk_size=2000)
        )

    start = time.perf_counter()
    handle = exports.workbook_file([("Findings", exports.header(exports.FINDINGS_HEADER), rows())])
    export_seconds = time.perf_counter() - start
    size = len(handle.read())
    # Memory measured on a second run: tracing slows the first one down several times.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    exports.workbook_file([("Findings", exports.header(exports.FINDINGS_HEADER), rows())]).close()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    print("Documents benchmark (SQLite file, in process)")
    print(
        f"  certificate PDF               : {statistics.median(timings) * 1000:8.1f} ms   (target < 100 ms)"
    )
    print(
        f"  audit report, 300 findings    : {report_seconds:8.2f} s    ({len(report) // 1024} KiB; target < 2 s)"
    )
    print(
        f"  export of {count:,} findings : {export_seconds:8.2f} s, peak Python heap {peak / 2**20:.1f} MiB, "
        f"process growth {rss_growth:.1f} MiB, whole run's peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB ({size // 1024} KiB xlsx; target < 150 MB)"
    )


if __name__ == "__main__":
    main()
