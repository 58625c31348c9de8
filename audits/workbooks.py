"""The self-assessment as an Excel workbook (openpyxl), for agencies that answer offline,
and its import.

Export: an instructions sheet (English and French), one sheet per principle with the
questions, help and an answer column (drop-downs for yes/no and choice questions), a
worker-costs sheet with drop-downs, the question codes in a hidden, protected column, and
the standard's code and version in the file's properties.

Import: every cell is checked and every problem reported with its place
(`C1!E7: answer must be yes or no`); nothing is kept unless everything is valid. A file
that is not an xlsx, is too large, unpacks too large or has too many sheets (a zip bomb)
is refused. Text that begins with = + - or @ is kept as plain text, never as a formula,
and is written back so that Excel does not run it.
"""

import contextlib
import io
import logging
import zipfile
from decimal import Decimal, InvalidOperation

import pycountry
from defusedxml import DefusedXmlException
from django.conf import settings
from django.db import DatabaseError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.engine import InvalidInput, check_worker_costs
from scoring.engine.vocabulary import (
    BORNE_BY,
    ROUTES,
    WORKER_COST_CATEGORIES,
    WORKER_COST_FIELDS,
)
from scoring.models import Principle, Question

INSTRUCTIONS = "Instructions"
COSTS = "Worker costs"
LISTS = "Lists"
ANSWER_COLUMN = "E"
COST_COLUMNS = WORKER_COST_FIELDS  # the Worker costs sheet, column by column
COST_LETTERS = dict(zip(COST_COLUMNS, "ABCDE", strict=True))
DECLARED = "declared"  # the worker-costs answer: the Worker costs sheet lists every cost
FORMULA_STARTS = ("=", "+", "-", "@")

INSTRUCTION_LINES = [
    "How to fill in this self-assessment / Comment remplir cette auto-évaluation",
    "",
    "1. Each sheet named after a principle lists its questions. Answer in column E only.",
    "   Chaque feuille porte le nom d'un principe et en liste les questions. Répondez dans la colonne E uniquement.",
    "2. yes/no questions: choose yes or no; choice questions: choose one of the codes offered;",
    "   number questions: type a number; 'not_applicable' only where the list offers it.",
    "   Questions oui/non : choisissez yes ou no ; questions à choix : l'un des codes proposés ;",
    "   questions numériques : un nombre ; 'not_applicable' seulement si la liste le propose.",
    f"3. Worker costs: list every cost workers bore on the '{COSTS}' sheet (leave it empty if none),",
    f"   then answer '{DECLARED}' to the worker-costs question.",
    f"   Coûts des travailleurs : indiquez chaque coût sur la feuille '{COSTS}' (vide s'il n'y en a aucun),",
    f"   puis répondez '{DECLARED}' à la question sur les coûts.",
    "4. Do not rename sheets or change column A. Upload the file back to the platform when done.",
    "   Ne renommez pas les feuilles et ne modifiez pas la colonne A. Renvoyez le fichier une fois rempli.",
]


class WorkbookError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _safe(cell, value) -> None:
    """Write a value; text that Excel would run as a formula is stored as plain text."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.style = "Normal"
            cell.quotePrefix = True


def _shown(value) -> object:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def export_workbook(*, standard, answers: dict | None = None) -> bytes:
    """The workbook for a standard version, empty or with the current answers."""
    answers = answers or {}
    workbook = Workbook()
    workbook.properties.identifier = standard.code
    workbook.properties.version = standard.version
    workbook.properties.title = f"{standard.title_en} — self-assessment"
    guide = workbook.active
    guide.title = INSTRUCTIONS
    for row, line in enumerate(INSTRUCTION_LINES, start=1):
        _safe(guide.cell(row=row, column=1), line)
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 120

    lists = workbook.create_sheet(LISTS)
    currencies = sorted(c.alpha_3 for c in pycountry.currencies)
    for column, values in enumerate(
        [WORKER_COST_CATEGORIES, currencies, BORNE_BY, ROUTES], start=1
    ):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    questions = Question.objects.filter(standard=standard).select_related("criterion__principle")
    by_principle: dict[int, list[Question]] = {}
    for question in questions.order_by(
        "criterion__principle__position", "criterion__position", "position"
    ):
        by_principle.setdefault(question.criterion.principle_id, []).append(question)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for principle in Principle.objects.filter(standard=standard).order_by("position"):
        sheet = workbook.create_sheet(principle.code)
        for column, title in zip(
            "ABCDEFG",
            [
                "code",
                "Criterion",
                "Question (en)",
                "Question (fr)",
                "Answer / Réponse",
                "Help (en)",
                "Aide (fr)",
            ],
            strict=True,
        ):
            cell = sheet[f"{column}1"]
            cell.value, cell.font, cell.fill = title, Font(bold=True), header_fill
        for column, width in zip("BCDEFG", [10, 60, 60, 18, 45, 45], strict=True):
            sheet.column_dimensions[column].width = width
        sheet.column_dimensions["A"].hidden = True
        for row, question in enumerate(by_principle.get(principle.pk, []), start=2):
            _safe(sheet[f"A{row}"], question.code)
            _safe(sheet[f"B{row}"], question.criterion.code)
            _safe(sheet[f"C{row}"], question.text_en)
            _safe(sheet[f"D{row}"], question.text_fr)
            _safe(sheet[f"F{row}"], question.help_en)
            _safe(sheet[f"G{row}"], question.help_fr)
            for column in "CDFG":
                sheet[f"{column}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
            answer = sheet[f"{ANSWER_COLUMN}{row}"]
            answer.protection = Protection(locked=False)
            value = answers.get(question.code)
            if question.answer_type == "worker_costs":
                _safe(
                    answer, DECLARED if value is not None and not isinstance(value, str) else value
                )
            elif value is not None:
                _safe(answer, _shown(value))
            options = _options(question)
            if options:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
                )
                validation.error = "Choose from the list / Choisissez dans la liste"
                sheet.add_data_validation(validation)
                validation.add(answer)
        sheet.protection.sheet = True  # answers only: the codes and questions stay as they are
        sheet.freeze_panes = "C2"

    costs = workbook.create_sheet(COSTS)
    for column, title in zip("ABCDE", COST_COLUMNS, strict=True):
        cell = costs[f"{column}1"]
        cell.value, cell.font, cell.fill = title, Font(bold=True), header_fill
        costs.column_dimensions[column].width = 22
    for column, (list_column, count) in zip(
        "ACDE",
        [
            ("A", len(WORKER_COST_CATEGORIES)),
            ("B", len(currencies)),
            ("C", len(BORNE_BY)),
            ("D", len(ROUTES)),
        ],
        strict=True,
    ):
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS}'!${list_column}$1:${list_column}${count}",
            allow_blank=True,
        )
        costs.add_data_validation(validation)
        validation.add(f"{column}2:{column}1000")
    items = next((v for v in answers.values() if isinstance(v, list)), [])
    for row, item in enumerate(items, start=2):
        for name in COST_COLUMNS:
            _safe(
                costs[f"{COST_LETTERS[name]}{row}"],
                _shown(item[name]) if name == "amount" else item[name],
            )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _options(question: Question) -> list[str]:
    extra = ["not_applicable"] if question.allow_not_applicable else []
    if question.answer_type == "yes_no":
        return ["yes", "no", *extra]
    if question.answer_type == "choice":
        return [choice["code"] for choice in question.choices] + extra
    if question.answer_type == "worker_costs":
        return [DECLARED, *extra]
    return []


# --- import ---------------------------------------------------------------------------------


def check_archive(data: bytes) -> None:
    """Refuse what is not a plain, reasonably small xlsx archive (zip bombs included)."""
    if len(data) > settings.WORKBOOK_MAX_BYTES:
        raise WorkbookError([f"file: larger than {settings.WORKBOOK_MAX_BYTES} bytes"])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(["file: not an Excel workbook (.xlsx)"]) from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError(["file: not an Excel workbook (.xlsx)"])
    if (
        len(entries) > settings.WORKBOOK_MAX_ENTRIES
        or sum(e.file_size for e in entries) > settings.WORKBOOK_MAX_UNCOMPRESSED
    ):
        raise WorkbookError(["file: unpacks too large to be a workbook of ours"])
    sheets = [name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if len(sheets) > settings.WORKBOOK_MAX_SHEETS:
        raise WorkbookError([f"file: more than {settings.WORKBOOK_MAX_SHEETS} sheets"])


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


logger = logging.getLogger(__name__)

# openpyxl parses through defusedxml (a dependency; audits.apps refuses to start without it):
# entity declarations, billion laughs and external references are refused, never expanded.
REFUSED_XML = (
    "file: the workbook declares XML entities or refers to outside documents; "
    "such files are refused (save it again from a spreadsheet program)"
)
UNREADABLE = "file: the workbook cannot be read"


@contextlib.contextmanager
def reading_xlsx():
    """Any failure of the XML inside a workbook, while it is opened or read row by row
    (read-only workbooks parse each sheet lazily), as a WorkbookError naming it."""
    try:
        yield
    except (WorkbookError, DatabaseError):
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        refused = any(isinstance(e, DefusedXmlException) for e in _chain(error))
        if not refused:  # a damaged file, or a fault of ours: either way worth a look
            logger.warning("a workbook could not be read", exc_info=True)
        raise WorkbookError([REFUSED_XML if refused else UNREADABLE]) from None


def _chain(error: BaseException):
    """The error and those it was raised from or during (openpyxl wraps parse errors)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def import_workbook(*, data: bytes, standard) -> dict:
    """The answers in a filled workbook, all checked; raises WorkbookError naming every
    problem with its place."""
    check_archive(data)
    with reading_xlsx():
        return _import(data, standard)


def _import(data: bytes, standard) -> dict:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    identifier, version = workbook.properties.identifier, workbook.properties.version
    if (identifier, version) != (standard.code, standard.version):
        raise WorkbookError(
            [
                f"file: this workbook is for {identifier} {version}; the case is assessed against {standard.code} {standard.version}"
            ]
        )
    questions = {q.code: q for q in Question.objects.filter(standard=standard)}
    principles = list(
        Principle.objects.filter(standard=standard)
        .order_by("position")
        .values_list("code", flat=True)
    )
    missing = [code for code in [*principles, COSTS] if code not in workbook.sheetnames]
    if missing:
        raise WorkbookError([f"file: sheet(s) missing: {', '.join(missing)}"])
    errors: list[str] = []
    answers: dict = {}
    costs_answer = None
    for sheet_name in principles:
        sheet = workbook[sheet_name]
        for row_number, row in enumerate(
            sheet.iter_rows(min_row=2, max_col=5, values_only=True), start=2
        ):
            code, answer = _text(row[0]), row[4]
            if code is None:
                continue
            place = f"{sheet_name}!{ANSWER_COLUMN}{row_number}"
            question = questions.get(code)
            if question is None:
                errors.append(f"{sheet_name}!A{row_number}: unknown question {code!r}")
                continue
            value, problem = _answer(question, answer)
            if problem:
                errors.append(f"{place}: {problem}")
            elif question.answer_type == "worker_costs":
                costs_answer = (code, value)
            else:
                answers[code] = value
    items = _cost_items(workbook[COSTS], errors)
    if costs_answer is not None:
        code, value = costs_answer
        answers[code] = items if value == DECLARED else value
    if errors:
        raise WorkbookError(errors)
    return answers


def _answer(question: Question, raw) -> tuple[object, str | None]:
    """(value for the engine, or None for no answer; problem)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    text = str(raw).strip()
    if text == "not_applicable":
        if question.allow_not_applicable:
            return text, None
        return None, "this question cannot be answered not_applicable"
    kind = question.answer_type
    if kind == "yes_no":
        return (
            (text.lower(), None)
            if text.lower() in ("yes", "no")
            else (None, "answer must be yes or no")
        )
    if kind == "choice":
        codes = [c["code"] for c in question.choices]
        return (
            (text, None) if text in codes else (None, f"answer must be one of {', '.join(codes)}")
        )
    if kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, "answer must be a number"
        return (number, None) if number.is_finite() else (None, "answer must be a number")
    if kind == "worker_costs":
        return (DECLARED, None) if text == DECLARED else (None, f"answer must be {DECLARED}")
    return text, None  # text questions: kept as plain text, whatever it begins with


def _cost_items(sheet, errors: list[str]) -> list[dict]:
    rows = []
    for row_number, row in enumerate(
        sheet.iter_rows(min_row=2, max_col=5, values_only=True), start=2
    ):
        if all(_text(cell) is None for cell in row):
            continue
        item = dict(zip(COST_COLUMNS, row, strict=True))
        item = {name: (_text(value) if name != "amount" else value) for name, value in item.items()}
        if isinstance(item["amount"], float):
            item["amount"] = Decimal(str(item["amount"]))
        rows.append((row_number, item))
    try:
        check_worker_costs([item for _row, item in rows], path="row")
    except InvalidInput as invalid:
        for error in invalid.errors:
            # "row[3].currency: unknown currency 'USS'" -> "Worker costs!C5: unknown currency 'USS'"
            index = int(error[error.index("[") + 1 : error.index("]")])
            field = error[error.index("].") + 2 : error.index(":")] if "]." in error else "category"
            message = error.split(": ", 1)[1]
            errors.append(f"{COSTS}!{COST_LETTERS.get(field, 'A')}{rows[index][0]}: {message}")
    return [item for _row, item in rows]
