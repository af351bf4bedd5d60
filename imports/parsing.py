"""Reading an import file into rows of cells, and the parsers for its cells.

Both formats in shared/formats.md: CSV in UTF-8 (byte-order mark allowed) separated by
comma or semicolon, and Excel (.xlsx, first sheet). Column names are matched without regard
to case or surrounding spaces; an unknown or missing column is an error for the whole file.
Nothing here touches the database, and no message repeats a cell that may hold personal data.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citizens.cpr import cpr_normalize
from employers.cvr import cvr_normalize

from .report import Issue

EXTENSIONS = (".csv", ".xlsx")
MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


@dataclass
class Row:
    line: int
    cells: dict  # column name → str, int, float, Decimal or date; never an empty string

    def get(self, column):
        return self.cells.get(column)


@dataclass
class Table:
    columns: list  # the known column names present in the header, in file order
    rows: list


class ImportFileError(Exception):
    """The file cannot be read as a table of the expected columns."""

    def __init__(self, issues):
        super().__init__(f"{len(issues)} problem(s) with the import file")
        self.issues = issues


def extension_of(filename):
    name = (filename or "").lower()
    return next((ext for ext in EXTENSIONS if name.endswith(ext)), None)


def read_table(source, filename, columns):
    """The rows of a .csv or .xlsx file, checked against `columns`. Raises ImportFileError."""
    extension = extension_of(filename)
    if extension is None:
        raise ImportFileError([Issue(None, "", extension_error())])
    data = source.read()
    records = _xlsx_records(data) if extension == ".xlsx" else _csv_records(data)
    return _table(records, columns)


def extension_error():
    return _("Filen skal være en CSV-fil (.csv) eller et Excel-regneark (.xlsx).")


# --- Records: (line number, list of cell values) ---------------------------------------------

def _csv_records(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError([Issue(line, "", _(
            "Filen er ikke gemt som UTF-8. Gem den igen som “CSV UTF-8” og prøv igen."
        ))]) from None
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, previous = [], 0
    try:
        for cells in reader:
            # A quoted cell may span lines: the record's line is the one it starts on.
            records.append((previous + 1, [cell.strip() for cell in cells]))
            previous = reader.line_num
    except csv.Error:
        raise ImportFileError([Issue(previous + 1, "", _(
            "Linjen kan ikke læses som CSV (tjek anførselstegn og skilletegn)."
        ))]) from None
    return records


def _xlsx_records(data):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ImportFileError([Issue(None, "", _("Filen kan ikke læses som et Excel-regneark (.xlsx)."))]) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong dimension; read every row there is.
        sheet.reset_dimensions()
        records = []
        for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            records.append((line, [_xlsx_cell(value) for value in values]))
        return records
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise ImportFileError([Issue(None, "", _("Filen kan ikke læses som et Excel-regneark (.xlsx)."))]) from None
    finally:
        workbook.close()


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # int, float, date


# --- Header and rows --------------------------------------------------------------------------

def _is_blank(cells):
    return all(cell == "" for cell in cells)


def _table(records, columns):
    records = [(line, cells) for line, cells in records if not _is_blank(cells)]
    if not records:
        raise ImportFileError([Issue(None, "", _("Filen er tom."))])
    header_line, header = records[0]
    known = {column.name for column in columns}
    issues, names, seen = [], [], set()
    for cell in header:
        name = str(cell).strip().lower()
        if name and name not in known:
            issues.append(Issue(header_line, name, _(
                "Ukendt kolonne. Tilladte kolonner er: %(columns)s."
            ) % {"columns": ", ".join(column.name for column in columns)}))
        elif name and name in seen:
            issues.append(Issue(header_line, name, _("Kolonnen står mere end én gang.")))
        seen.add(name)
        names.append(name)
    for column in columns:
        if column.required and column.name not in seen:
            issues.append(Issue(header_line, column.name, _("Kolonnen mangler.")))
    if issues:
        raise ImportFileError(issues)

    rows = []
    for line, cells in records[1:]:
        values = {}
        for index, cell in enumerate(cells):
            name = names[index] if index < len(names) else ""
            if cell == "":
                continue
            if not name:
                issues.append(Issue(line, "", _("Rækken har en værdi i en kolonne uden overskrift.")))
                break
            values[name] = cell
        rows.append(Row(line, values))
    if issues:
        raise ImportFileError(issues)
    if not rows:
        raise ImportFileError([Issue(None, "", _("Filen har ingen rækker under overskriften."))])
    return Table(columns=[name for name in names if name], rows=rows)


# --- Cells ------------------------------------------------------------------------------------
# Each parser takes a non-empty cell (str, int, float, Decimal or date) and returns the value
# or raises ValidationError with a Danish message.

_DATE_FORMATS = (
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$"), ("day", "month", "year")),
    (re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$"), ("day", "month", "year")),
)
_DECIMAL = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


def parse_text(value):
    return str(value).strip()


def parse_date(value):
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, parts in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            values = dict(zip(parts, map(int, match.groups())))
            try:
                return date(values["year"], values["month"], values["day"])
            except ValueError:
                raise ValidationError(_("Datoen «%(value)s» findes ikke.") % {"value": text}) from None
    raise ValidationError(
        _("«%(value)s» er ikke en dato. Brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ.") % {"value": text[:20]}
    )


def parse_decimal(value):
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if not _DECIMAL.match(text):
        raise ValidationError(_("«%(value)s» er ikke et tal. Brug fx 7,5 eller 7.5.") % {"value": text[:20]})
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValidationError(_("Værdien er ikke et tal.")) from None


def parse_cpr(value):
    """The 10 digits. The cell is personal data: no message repeats it."""
    if isinstance(value, int):
        # Excel drops the leading zero of a CPR number stored as a number.
        value = f"{value:010d}"
    return cpr_normalize(str(value))


def parse_cvr(value):
    if isinstance(value, int):
        value = f"{value:08d}"
    return cvr_normalize(str(value))


def parse_code(value):
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise ValidationError(_("«%(value)s» er ikke en kommunekode (fx 607).") % {"value": text[:20]})
    return int(text)


def messages_of(error):
    return " ".join(str(message) for message in error.messages)


class Cells:
    """One row's cells, parsed column by column; each problem goes to the report with the
    row's line and column."""

    def __init__(self, row, report):
        self.row, self.report, self.ok = row, report, True
        self.failed = set()  # the columns already reported

    def take(self, column, parser=parse_text, *, required=False):
        value = self.row.get(column)
        if value is None:
            if required:
                self.fail(column, _("Skal udfyldes."))
            return None
        try:
            return parser(value)
        except ValidationError as error:
            self.fail(column, messages_of(error))
            return None

    def fail(self, column, message):
        self.ok = False
        self.failed.add(column)
        self.report.error(self.row.line, column, message)
