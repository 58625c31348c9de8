"""Supplier lists as employers have them: pasted lines, a CSV file or an xlsx workbook.
Each row is an agency's public id, or its country and national registration number."""

import contextlib
import csv
import io
import re
import uuid

from django.conf import settings
from django.utils.translation import gettext
from openpyxl import load_workbook

from audits.workbooks import WorkbookError, check_archive, reading_xlsx

MAX_SUPPLIERS = 5000
_SEPARATORS = re.compile(r"\s*[,;\t]\s*|\s+")
_HEADER_WORDS = {"id", "country", "registration_number", "registration", "number", "pays"}


class SupplierListError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _row(cells: list[str], place: str) -> tuple[dict | None, str | None]:
    cells = [c.strip() for c in cells if c is not None and str(c).strip()]
    if not cells:
        return None, None
    if len(cells) == 1:
        try:
            return {"id": uuid.UUID(cells[0])}, None
        except ValueError:
            return None, gettext(
                "%(place)s: %(value)s is neither an agency id nor a country and number"
            ) % {
                "place": place,
                "value": repr(cells[0]),
            }
    country, number = cells[0].upper(), " ".join(cells[1:])
    if not re.fullmatch(r"[A-Z]{2}", country):
        return None, gettext("%(place)s: %(value)s is not a two-letter country code") % {
            "place": place,
            "value": repr(cells[0]),
        }
    if len(number) > 100:
        return None, gettext("%(place)s: the registration number is longer than 100 characters") % {
            "place": place
        }
    return {"country": country, "registration_number": number}, None


def _collect(rows, lenient: bool = False) -> list[dict]:
    """The suppliers of the rows, in order. Strict (the watchlist's one line), a malformed
    row refuses the whole list; lenient (the bulk check), it stays in its place as
    `{"text", "invalid"}` so that the valid rows are checked and each row gets a result."""
    suppliers, errors = [], []
    for place, cells in rows:
        if not suppliers and not errors and {c.strip().lower() for c in cells if c} & _HEADER_WORDS:
            continue  # a header row
        supplier, error = _row(cells, place)
        if error and lenient:
            text = " ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
            suppliers.append({"text": text[:200], "invalid": error})
        elif error:
            errors.append(error)
        elif supplier:
            suppliers.append(supplier)
        if len(suppliers) > MAX_SUPPLIERS:
            errors.append(
                gettext("more than %(count)s suppliers: split the list") % {"count": MAX_SUPPLIERS}
            )
            break
    if errors:
        raise SupplierListError(errors[:50])
    if not suppliers:
        raise SupplierListError([gettext("the list names no supplier")])
    return suppliers


def parse_text(text: str, lenient: bool = False) -> list[dict]:
    """One supplier a line: an id, or a country code and a registration number separated by
    a comma, a semicolon, a tab or spaces."""
    lines = text.splitlines()
    return _collect(
        (
            (gettext("line %(number)s") % {"number": n}, _split(line))
            for n, line in enumerate(lines, start=1)
        ),
        lenient,
    )


def _split(line: str) -> list[str]:
    line = line.strip()
    if not line:
        return []
    if re.search(r"[,;\t]", line):
        return [c for c in re.split(r"[,;\t]", line)]
    head, _, rest = line.partition(" ")
    return [head, rest] if rest else [head]


def parse_file(name: str, data: bytes, lenient: bool = False) -> list[dict]:
    """A CSV or xlsx file, first sheet; a header row is skipped."""
    if len(data) > settings.SUPPLIER_LIST_MAX_BYTES:
        raise SupplierListError(
            [
                gettext("file: larger than %(size)s MB")
                % {"size": settings.SUPPLIER_LIST_MAX_BYTES // (1024 * 1024)}
            ]
        )
    if name.lower().endswith(".xlsx"):
        try:
            check_archive(data)
            with reading_xlsx():
                workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                sheet = workbook.worksheets[0]
                rows = [
                    (
                        gettext("row %(number)s") % {"number": n},
                        ["" if v is None else str(v) for v in values[:3]],
                    )
                    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                    if n <= MAX_SUPPLIERS + 2
                ]
        except WorkbookError as error:
            raise SupplierListError(error.errors) from None  # already in the reader's words
        return _collect(rows, lenient)
    if name.lower().endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SupplierListError([gettext("file: not UTF-8 text")]) from None
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        reader = csv.reader(io.StringIO(text), dialect)
        return _collect(
            (
                (gettext("line %(number)s") % {"number": n}, row)
                for n, row in enumerate(reader, start=1)
            ),
            lenient,
        )
    raise SupplierListError([gettext("file: give a .csv or an .xlsx file")])


def as_text(suppliers: list[dict]) -> str:
    """The list back as lines, for the 'download as xlsx' form."""
    return "\n".join(
        str(s["id"])
        if "id" in s
        else s["text"]
        if "text" in s
        else f"{s['country']},{s['registration_number']}"
        for s in suppliers
    )


def valid_only(suppliers: list[dict]) -> list[dict]:
    return [s for s in suppliers if "invalid" not in s]
