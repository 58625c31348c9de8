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
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.engine import InvalidInput, check_worker_costs
from scoring.engine.vocabulary import (
    BORNE_BY,
    ROUTES,
    WORKER_COST_CATEGORIES,
    WORKER_COST_FIELDS,
)
from scoring.explanations import (
    BEARER_LABELS,
    COST_CATEGORY_LABELS,
    COST_WORDS,
    ROUTE_LABELS,
    cost_problem_text,
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

# What a person picks is a word of the file's language (the reader's when it was made); the
# import reads the words of every language of the scheme, and the codes of older files.
YES_NO_WORDS = {"yes": _("Yes"), "no": _("No")}
NOT_APPLICABLE_WORD = _("Not applicable")
DECLARED_WORD = _("Listed on the Worker costs sheet")
COST_HEADERS = {
    "category": _("Category"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "borne_by": _("Borne by"),
    "route": _("How"),
}


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


AMBIGUOUS = object()  # a word that names two codes: refused rather than guessed


def _lookup(words_by_language: list[dict[str, str]], codes) -> dict[str, object]:
    """Text to code: the file's language first, then the codes (older files), then the
    other languages; a word that names two codes in one language is AMBIGUOUS there, and a
    later layer never overrides an earlier one."""
    known: dict[str, object] = {}

    def layer(pairs):
        found: dict[str, object] = {}
        for text, code in pairs:
            key = _key(text)
            found[key] = AMBIGUOUS if found.get(key, code) != code else code
        for key, code in found.items():
            known.setdefault(key, code)

    first, *others = words_by_language
    layer((word, code) for code, word in first.items())
    layer((code, code) for code in codes)
    for words in others:
        layer((word, code) for code, word in words.items())
    return known


def _languages(first: str | None) -> list[str]:
    """The scheme's languages, the file's (or else the reader's) first."""
    languages = [code for code, _name in settings.LANGUAGES]
    first = str(first or "")[:2].lower()
    if first not in languages:
        first = (translation.get_language() or "en")[:2]
    return [first, *(code for code in languages if code != first)]


def _in_every_language(words: dict, first: str | None = None) -> dict[str, object]:
    """Each word of a vocabulary, in every language of the scheme, and each code, to its code."""
    layers = []
    for language in _languages(first):
        with translation.override(language):
            layers.append({code: str(word) for code, word in words.items()})
    return _lookup(layers, list(words))


def _choice_words(question) -> dict[str, str]:
    """A question's answers as a person picks them in the active language, by code; where
    two would read the same, their codes are shown instead, so that a pick is never
    ambiguous."""
    words = _plain_choice_words(question)
    seen: dict[str, int] = {}
    for word in words.values():
        seen[_key(word)] = seen.get(_key(word), 0) + 1
    return {code: word if seen[_key(word)] == 1 else code for code, word in words.items()}


def _plain_choice_words(question) -> dict[str, str]:
    if question.answer_type == "yes_no":
        words = {code: str(word) for code, word in YES_NO_WORDS.items()}
    elif question.answer_type == "choice":
        language = translation.get_language() or "en"
        words = {
            c["code"]: c["label"].get(language[:2]) or c["label"]["en"] for c in question.choices
        }
    elif question.answer_type == "worker_costs":
        words = {DECLARED: str(DECLARED_WORD)}
    else:
        words = {}
    if words and question.allow_not_applicable:
        words["not_applicable"] = str(NOT_APPLICABLE_WORD)
    return words


def _readable(question, first: str | None = None) -> dict[str, object]:
    """What the import accepts for a question's answer: its words in the file's language,
    its codes, and its words in the other languages."""
    layers = []
    for language in _languages(first):
        with translation.override(language):
            layers.append(_choice_words(question))
    return _lookup(layers, list(_choice_words(question)))


def _not_applicable(text: str) -> bool:
    return _key(text) in {_key("not_applicable")} | {
        _key(word) for word in _every_language(NOT_APPLICABLE_WORD)
    }


INSTRUCTION_LINES = [
    "How to fill in this self-assessment / Comment remplir cette auto-évaluation",
    "",
    "1. Each sheet named after a principle lists its questions. Answer in column E only.",
    "   Chaque feuille porte le nom d'un principe et en liste les questions. Répondez dans la colonne E uniquement.",
    "2. Yes/no and choice questions: choose an answer from the list; number questions: type a number,",
    "   or 'Not applicable' where the question allows it.",
    "   Questions oui/non et questions à choix : choisissez une réponse dans la liste ; questions numériques :",
    "   un nombre, ou « Sans objet » si la question le permet.",
    f"3. Worker costs: list every cost workers bore on the '{COSTS}' sheet (leave it empty if none),",
    "   then choose the answer that says so for the worker-costs question.",
    f"   Coûts des travailleurs : indiquez chaque coût sur la feuille '{COSTS}' (vide s'il n'y en a aucun),",
    "   puis choisissez la réponse qui le dit pour la question sur les coûts.",
    "4. Do not rename sheets or change column A. Upload the file back to the platform when done.",
    "   Ne renommez pas les feuilles et ne modifiez pas la colonne A. Renvoyez le fichier une fois rempli.",
]


class WorkbookError(ValueError):
    """Every problem of a file, each as "<place>: <what is wrong>" in the active language."""

    def __init__(self, errors: list[str]):
        self.errors = [str(error) for error in errors]
        super().__init__("\n".join(self.errors))


def _file_problem(message) -> str:
    """A problem of the file as a whole ("file: …", in the reader's words)."""
    return gettext("file: %(problem)s") % {"problem": message}


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
    workbook.properties.language = (translation.get_language() or "en")[:2]
    workbook.properties.title = f"{standard.title_en} — self-assessment"
    guide = workbook.active
    guide.title = INSTRUCTIONS
    for row, line in enumerate(INSTRUCTION_LINES, start=1):
        _safe(guide.cell(row=row, column=1), line)
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 120

    lists = workbook.create_sheet(LISTS)
    currencies = sorted(c.alpha_3 for c in pycountry.currencies)  # ISO 4217: known to all
    for column, values in enumerate(
        [
            [str(COST_CATEGORY_LABELS[c]) for c in WORKER_COST_CATEGORIES],
            currencies,
            [str(BEARER_LABELS[b]) for b in BORNE_BY],
            [str(ROUTE_LABELS[r]) for r in ROUTES],
        ],
        start=1,
    ):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    list_column = 4  # A to D: the worker-cost lists; then one column per question's answers
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
            words = _choice_words(question)
            if question.answer_type == "worker_costs":
                value = DECLARED if value is not None and not isinstance(value, str) else value
                _safe(answer, words.get(value, value))
            elif value == "not_applicable":
                _safe(answer, str(NOT_APPLICABLE_WORD))
            elif value is not None:
                _safe(answer, words.get(value, _shown(value)))
            options = list(words.values())
            if options:
                # Words may hold commas and run long: each list is a column of its own on
                # the hidden Lists sheet, not text inside the rule (255 characters at most).
                list_column += 1
                letter = get_column_letter(list_column)
                for position, option in enumerate(options, start=1):
                    _safe(lists.cell(row=position, column=list_column), option)
                validation = DataValidation(
                    type="list",
                    formula1=f"'{LISTS}'!${letter}$1:${letter}${len(options)}",
                    allow_blank=True,
                )
                validation.error = "Choose from the list / Choisissez dans la liste"
                sheet.add_data_validation(validation)
                validation.add(answer)
        sheet.protection.sheet = True  # answers only: the codes and questions stay as they are
        sheet.freeze_panes = "C2"

    costs = workbook.create_sheet(COSTS)
    for column, name in zip("ABCDE", COST_COLUMNS, strict=True):
        cell = costs[f"{column}1"]
        cell.value, cell.font, cell.fill = str(COST_HEADERS[name]), Font(bold=True), header_fill
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
            value = item[name]
            if name == "amount":
                value = _shown(value)
            elif name in COST_WORDS:
                value = str(COST_WORDS[name].get(value, value))
            _safe(costs[f"{COST_LETTERS[name]}{row}"], value)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ---------------------------------------------------------------------------------


def check_archive(data: bytes) -> None:
    """Refuse what is not a plain, reasonably small xlsx archive (zip bombs included)."""
    if len(data) > settings.WORKBOOK_MAX_BYTES:
        raise WorkbookError(
            [
                _file_problem(
                    gettext("larger than %(limit)s bytes") % {"limit": settings.WORKBOOK_MAX_BYTES}
                )
            ]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError([_file_problem(NOT_XLSX)]) from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError([_file_problem(NOT_XLSX)])
    if (
        len(entries) > settings.WORKBOOK_MAX_ENTRIES
        or sum(e.file_size for e in entries) > settings.WORKBOOK_MAX_UNCOMPRESSED
    ):
        raise WorkbookError([_file_problem(gettext("unpacks too large to be a workbook of ours"))])
    sheets = [name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if len(sheets) > settings.WORKBOOK_MAX_SHEETS:
        raise WorkbookError(
            [
                _file_problem(
                    gettext("more than %(limit)s sheets") % {"limit": settings.WORKBOOK_MAX_SHEETS}
                )
            ]
        )


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


logger = logging.getLogger(__name__)

# openpyxl parses through defusedxml (a dependency; audits.apps refuses to start without it):
# entity declarations, billion laughs and external references are refused, never expanded.
REFUSED_XML = _(
    "the workbook declares XML entities or refers to outside documents; "
    "such files are refused (save it again from a spreadsheet program)"
)
UNREADABLE = _("the workbook cannot be read")
NOT_XLSX = _("not an Excel workbook (.xlsx)")


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
        raise WorkbookError([_file_problem(REFUSED_XML if refused else UNREADABLE)]) from None


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
    language = workbook.properties.language  # the words' language first (None: older file)
    if (identifier, version) != (standard.code, standard.version):
        raise WorkbookError(
            [
                _file_problem(
                    gettext(
                        "this workbook is for %(workbook)s; the case is assessed against "
                        "%(standard)s"
                    )
                    % {
                        "workbook": f"{identifier} {version}",
                        "standard": f"{standard.code} {standard.version}",
                    }
                )
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
        raise WorkbookError(
            [_file_problem(gettext("sheets missing: %(sheets)s") % {"sheets": ", ".join(missing)})]
        )
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
                errors.append(
                    f"{sheet_name}!A{row_number}: "
                    + gettext("unknown question '%(code)s'") % {"code": code}
                )
                continue
            value, problem = _answer(question, answer, language)
            if problem:
                errors.append(f"{place}: {problem}")
            elif question.answer_type == "worker_costs":
                costs_answer = (code, value)
            else:
                answers[code] = value
    items = _cost_items(workbook[COSTS], errors, language)
    if costs_answer is not None:
        code, value = costs_answer
        answers[code] = items if value == DECLARED else value
    if errors:
        raise WorkbookError(errors)
    return answers


def _every_language(word) -> set[str]:
    words = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words.add(str(word))
    return words


def _answer(question: Question, raw, language: str | None = None) -> tuple[object, str | None]:
    """(value for the engine, or None for no answer; problem). `language`: the file's."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    text = str(raw).strip()
    kind = question.answer_type
    if kind == "text":
        return text, None  # kept as plain text, whatever it says or begins with
    if kind in ("yes_no", "choice", "worker_costs"):
        code = _readable(question, language).get(_key(text))
        if code is AMBIGUOUS:
            return None, gettext("this answer names more than one choice: choose from the list")
        if code is not None:
            return code, None
    if _not_applicable(text):
        if question.allow_not_applicable:
            return "not_applicable", None
        return None, gettext("this question cannot be answered “not applicable”")
    if kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, gettext("answer must be a number")
        return (number, None) if number.is_finite() else (None, gettext("answer must be a number"))
    words = ", ".join(
        gettext("“%(word)s”") % {"word": word} for word in _choice_words(question).values()
    )
    return None, gettext("answer must be one of %(words)s") % {"words": words}


def _cost_items(sheet, errors: list[str], language: str | None = None) -> list[dict]:
    readable_costs = {
        name: _in_every_language(words, language) for name, words in COST_WORDS.items()
    }
    rows = []
    for row_number, row in enumerate(
        sheet.iter_rows(min_row=2, max_col=5, values_only=True), start=2
    ):
        if all(_text(cell) is None for cell in row):
            continue
        item = dict(zip(COST_COLUMNS, row, strict=True))
        item = {name: (_text(value) if name != "amount" else value) for name, value in item.items()}
        for name, known in readable_costs.items():  # a word of any language, or a code
            code = known.get(_key(item[name])) if item[name] is not None else None
            if code is not None and code is not AMBIGUOUS:
                item[name] = code
        if isinstance(item["amount"], float):
            item["amount"] = Decimal(str(item["amount"]))
        rows.append((row_number, item))
    try:
        check_worker_costs([item for _row, item in rows], path="row")
    except InvalidInput as invalid:
        for path, problem in invalid.problems:
            # ("row[3].currency", unknown currency 'USS') -> "Worker costs!C5: unknown currency"
            index = int(path[path.index("[") + 1 : path.index("]")])
            field = path[path.index("].") + 2 :] if "]." in path else "category"
            place = f"{COSTS}!{COST_LETTERS.get(field, 'A')}{rows[index][0]}"
            errors.append(f"{place}: {cost_problem_text(problem)}")
    return [item for _row, item in rows]
