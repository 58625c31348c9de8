"""Exports: an audit's findings and corrective actions, an employer's supplier-check
results, and the public registry, as xlsx (openpyxl's write-only mode, so that a large
export is written row by row) or CSV (streamed). Text that a spreadsheet would run as a
formula is written as text.

The findings and the supplier check are files for people: their headers, grades, states
and statuses are words in the reader's language, their dates ISO 8601. The registry is the
scheme's open data: codes, as the API gives them."""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from audits import workbooks
from audits.selectors import engine_answers
from certification.labels import label

FORMULA_STARTS = ("=", "+", "-", "@")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value):
    """A value as written: plain, unless it is text a spreadsheet would read as a formula
    or a number (only those need a cell object of their own, which costs)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def workbook_file(sheets: Iterable[tuple[str, list[str], Iterable[list]]]):
    """A temporary file holding the workbook, written row by row; read it from the start."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([_cell(sheet, name) for name in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def csv_rows(header: list[str], rows: Iterable[list], lines: int = 1000) -> Iterator[str]:
    """CSV text streamed `lines` rows at a time (a write to the socket per row would cost
    more than the row); cells that a spreadsheet would run begin with a quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, 1):
        writer.writerow(
            ["'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row]
        )
        if count % lines == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- what is exported ----------------------------------------------------------------------

FINDINGS_HEADER = (
    _("Criterion"),
    _("Grade"),
    _("Grade counted"),
    _("Forced-labour indicators"),
    _("Finding"),
)
ACTIONS_HEADER = (
    _("Criterion"),
    _("Severity"),
    _("State"),
    _("Plan due"),
    _("Closure due"),
    _("Root cause"),
    _("Action"),
    _("Reason for rejection"),
)


def header(columns) -> list[str]:
    """A header row in the active language."""
    return [str(column) for column in columns]


def audit_sheets(audit):
    findings = audit.findings.select_related("criterion").order_by("criterion__code")
    actions = audit.findings.filter(corrective_action__isnull=False).select_related(
        "criterion", "corrective_action"
    )
    return [
        (
            gettext("Findings"),
            header(FINDINGS_HEADER),
            (
                [
                    f.criterion.code,
                    label("grade", f.grade),
                    label("grade", f.effective_grade or f.grade),
                    ", ".join(label("indicator", i) for i in f.indicators),
                    f.text,
                ]
                for f in findings
            ),
        ),
        (
            gettext("Corrective actions"),
            header(ACTIONS_HEADER),
            (
                [
                    f.criterion.code,
                    label("grade", a.severity),
                    label("corrective_state", a.state),
                    a.plan_due.isoformat(),
                    a.closure_due.isoformat() if a.closure_due else "",
                    a.root_cause,
                    a.action,
                    a.rejection_reason,
                ]
                for f in actions.order_by("criterion__code")
                for a in [f.corrective_action]
            ),
        ),
    ]


SUPPLIER_HEADER = (
    _("Line given"),
    _("Status"),
    _("Agency id"),
    _("Agency"),
    _("Country"),
    _("Certificate"),
    _("Valid until"),
    _("Problems"),
)


def supplier_sheet(results: list[dict]) -> tuple[str, list[str], Iterator[list]]:
    """The supplier check as a sheet for people, in the active language."""
    return gettext("Suppliers"), header(SUPPLIER_HEADER), supplier_rows(results)


def supplier_rows(results: list[dict]) -> Iterator[list]:
    for result in results:
        given = result["input"]
        shown = (
            str(given["id"])
            if "id" in given
            else given["text"]
            if "text" in given
            else " ".join(
                str(given[name]) for name in ("country", "registration_number") if name in given
            )
        )
        agency, certificate = result["agency"] or {}, result["certificate"] or {}
        problems = "; ".join(
            f"{p['attr']}: {p['detail']}" if p["attr"] else p["detail"]
            for p in result.get("errors", [])
        )
        yield [
            shown,
            label("status", result["status"]),
            agency.get("id", ""),
            agency.get("name", ""),
            agency.get("country", ""),
            certificate.get("number", ""),
            certificate.get("valid_until", ""),
            problems,
        ]


REGISTRY_HEADER = [
    "id",
    "name",
    "country",
    "status",
    "certificate",
    "valid_from",
    "valid_until",
    "corridors",
    "sectors",
]


# Only the columns written, read as values: no model object per row.
REGISTRY_COLUMNS = (
    "case__agency__public_id",
    "agency_name",
    "agency_country",
    "case__state",
    "number",
    "valid_from",
    "valid_until",
    "corridors",
    "sectors",
)


def registry_rows(certificates, today) -> Iterator[list]:
    from certification.models import certificate_status
    from certification.status import PUBLIC_STATUS

    statuses = {status: str(public) for status, public in PUBLIC_STATUS.items()}
    rows = certificates.order_by("agency_name", "pk").values_list(*REGISTRY_COLUMNS)
    for (
        public_id,
        name,
        country,
        state,
        number,
        valid_from,
        valid_until,
        corridors,
        sectors,
    ) in rows.iterator(chunk_size=2000):
        yield [
            str(public_id),
            name,
            country,
            statuses[certificate_status(state, valid_from, valid_until, today)],
            number,
            valid_from.isoformat(),
            valid_until.isoformat(),
            " ".join(corridors),
            " ".join(sectors),
        ]


def self_assessment_workbook_response(case, *, empty: bool = False) -> HttpResponse:
    """The case's self-assessment as a workbook to fill offline, with its answers unless
    `empty`; the API and the web page send the same file."""
    answers = {} if empty else engine_answers(case.self_assessment)
    response = HttpResponse(
        workbooks.export_workbook(standard=case.standard, answers=answers), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="self-assessment-{case.pk}.xlsx"'
    return response
