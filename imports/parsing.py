"""Reading an import file into rows of cells, and the parsers for its cells.

Both formats in shared/formats.md: CSV in UTF-8 (byte-order mark allowed) separated by
comma or semicolon, and Excel (.xlsx, first sheet). Column names are matched without regard
to case or surrounding spaces; an unknown or missing column is an error for the whole file.
Nothing here touches the database. A message that repeats a cell passes it through `echo`,
which masks anything that looks like a CPR number (report.scrub). A cell holding a control
character (a NUL, say) is refused with its line and column before any cell is parsed, as is a
file with more rows than MAX_ROWS, blank rows counted: reading them is what costs.

An import reads its file as a stream (open_table), once through to check it as a whole and
then once for each pass it makes over the rows: CSV through an incremental decoder, Excel in
openpyxl's read-only mode. No pass holds more of the file than the row at hand.
"""

import codecs
import csv
import io
import itertools
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citizens.cpr import cpr_normalize
from core.validators import has_control_character
from employers.cvr import cvr_normalize

from .report import MAX_ISSUES, Issue, scrub

EXTENSIONS = (".csv", ".xlsx")
MAX_FILE_SIZE = 10 * 1024 * 1024
# An .xlsx file is a zip archive: a small file can unpack to a great deal. Its members may
# together unpack to at most this much.
MAX_XLSX_UNPACKED_SIZE = 50 * 1024 * 1024
# Rows under the header a file may have (either format). Blank rows count too, so a sheet of
# a million empty rows is refused after reading no more than a full file would.
MAX_ROWS = 100_000
# Columns read from an Excel sheet beyond the ones the import knows: a cell there with a value
# is reported (as a column without a heading or an unknown column), while a cell far out to the
# right (openpyxl would pad every row up to it, e.g. column XFD = 16,384 cells) is not read.
XLSX_EXTRA_COLUMNS = 10
# What openpyxl and the XML and zip readers under it raise for a damaged file. SyntaxError
# covers both xml.etree.ElementTree.ParseError and lxml's XMLSyntaxError (a truncated sheet).
_XLSX_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ValueError, OSError, TypeError,
    IndexError, AttributeError, EOFError, SyntaxError, NotImplementedError,
)


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
    """The file cannot be read as a table of the expected columns. `issues` are the problems,
    the first ones by line where there are many; `more` counts those left out of `issues`."""

    def __init__(self, issues, more=0):
        super().__init__(f"{len(issues) + more} problem(s) with the import file")
        self.issues, self.more = issues, more


def extension_of(filename):
    name = (filename or "").lower()
    return next((ext for ext in EXTENSIONS if name.endswith(ext)), None)


def read_table(source, filename, columns):
    """The rows of a .csv or .xlsx file, checked against `columns`, all at once (a small file;
    the imports read theirs as a stream: open_table). Raises ImportFileError."""
    table = open_table(source, filename, columns)
    table.check()
    return Table(columns=table.columns, rows=list(table.rows()))


def open_table(source, filename, columns):
    """A TableFile over `source` (an open binary file). Raises ImportFileError for a file that
    is neither CSV nor Excel."""
    extension = extension_of(filename)
    if extension is None:
        raise ImportFileError([Issue(None, "", extension_error())])
    return TableFile(_rewindable(source), extension, columns)


class TableFile:
    """An import file read as a stream, once for each pass an import makes over it, so no pass
    holds more than the row at hand.

    `check()` reads it through first and raises ImportFileError for what is wrong with the file
    as a whole, as read_table always has: a row limit, an encoding or quoting error, a control
    character in a cell, an unknown or missing column, a value in a column without a heading,
    no rows. Then `rows()` gives its data rows (Row) as often as asked, and `row_count` says
    how many there are."""

    def __init__(self, stream, extension, columns):
        self.stream, self.extension, self.known = stream, extension, columns
        self.names = []  # the header's column names by position ("" for a blank heading)
        self.columns = []  # the known column names present in the header, in file order
        self.row_count = 0
        self.checked = False

    def _records(self):
        """(line, cells) for each non-blank row of the file, the header first."""
        if self.extension == ".xlsx":
            return _xlsx_records(self.stream, len(self.known))
        return _csv_records(self.stream)

    def check(self):
        if self.extension == ".xlsx":
            _check_xlsx_size(self.stream)
        control, headless = _Issues(), _Issues()
        header = None
        for line, cells in self._records():
            if header is None:
                header = (line, cells)
                self.names = [str(cell).strip().lower() for cell in cells]
            else:
                self.row_count += 1
                if any(cell != "" for cell in cells[len(self.names):]) or any(
                    cell != "" and not name for cell, name in zip(cells, self.names)
                ):
                    headless.add(Issue(line, "", _("Rækken har en værdi i en kolonne uden overskrift.")))
            _control_characters(line, cells, header[1], control)
        if header is None:
            raise ImportFileError([Issue(None, "", _("Filen er tom."))])
        if control.kept:
            more = [Issue(None, "", _(
                "Yderligere %(count)s celler indeholder et ugyldigt kontroltegn."
            ) % {"count": control.more})] if control.more else []
            raise ImportFileError(control.kept + more)
        issues = self._header_issues(*header)
        if issues:
            raise ImportFileError(issues)
        if headless.kept:
            raise ImportFileError(headless.kept, more=headless.more)
        if not self.row_count:
            raise ImportFileError([Issue(None, "", _("Filen har ingen rækker under overskriften."))])
        self.columns = [name for name in self.names if name]
        self.checked = True

    def _header_issues(self, line, header):
        known = {column.name for column in self.known}
        issues, seen = [], set()
        for name in self.names:
            if name and name not in known:
                issues.append(Issue(line, name, _(
                    "Ukendt kolonne. Tilladte kolonner er: %(columns)s."
                ) % {"columns": ", ".join(column.name for column in self.known)}))
            elif name and name in seen:
                issues.append(Issue(line, name, _("Kolonnen står mere end én gang.")))
            seen.add(name)
        for column in self.known:
            if column.required and column.name not in seen:
                issues.append(Issue(line, column.name, _("Kolonnen mangler.")))
        return issues

    def rows(self):
        """The data rows, read again from the start: Row(line, {column: cell}), empty cells left out."""
        if not self.checked:
            raise RuntimeError("TableFile.check() first")
        names = self.names
        records = self._records()
        next(records)  # the header
        for line, cells in records:
            yield Row(line, {names[index]: cell for index, cell in enumerate(cells) if cell != ""})


class _Issues:
    """The first MAX_ISSUES problems of one kind (found in the order of the lines, so these
    are the ones a report keeps), and how many more there are."""

    def __init__(self):
        self.kept, self.more = [], 0

    def add(self, issue):
        if len(self.kept) < MAX_ISSUES:
            self.kept.append(issue)
        else:
            self.more += 1


def _rewindable(source):
    """The binary stream under `source` (a Django File wraps one), which each pass reads from
    its start; a stream that cannot seek is copied to a temporary file first."""
    stream = source
    while not isinstance(stream, io.IOBase) and hasattr(stream, "file"):
        stream = stream.file
    if isinstance(stream, io.IOBase) and stream.seekable():
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    shutil.copyfileobj(source, copy)
    return copy


def echo(value, limit=20):
    """A cell as a message may repeat it: CPR-like numbers masked, then cut to `limit`."""
    return scrub(str(value).strip())[:limit]


def _too_many_rows():
    return ImportFileError([Issue(None, "", _(
        "Filen har for mange rækker. Der må højst være %(max)s rækker under overskriften: "
        "del filen op i flere filer."
    ) % {"max": f"{MAX_ROWS:,}".replace(",", ".")})])


def extension_error():
    return _("Filen skal være en CSV-fil (.csv) eller et Excel-regneark (.xlsx).")


# --- Records: (line number, list of cell values), blank rows left out -----------------------

def _csv_records(stream):
    """The file's records as they are read (never the whole file at once): UTF-8, a byte-order
    mark allowed, comma or semicolon as the header line has more of."""
    delimiter = _csv_delimiter(stream)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    read, previous = 0, 0
    try:
        for cells in reader:
            if read > MAX_ROWS:  # the header and MAX_ROWS rows, blank ones included
                raise _too_many_rows()
            read += 1
            # A quoted cell may span lines: the record's line is the one it starts on.
            line, previous = previous + 1, reader.line_num
            cells = [cell.strip() for cell in cells]
            if not _is_blank(cells):
                yield line, cells
    except csv.Error:
        raise ImportFileError([Issue(previous + 1, "", _(
            "Linjen kan ikke læses som CSV (tjek anførselstegn og skilletegn)."
        ))]) from None
    except UnicodeDecodeError:
        raise _not_utf8(_undecodable_line(stream)) from None
    finally:
        if not stream.closed:  # a pass left unfinished may outlive the file
            text.detach()  # the stream is the caller's: left open


def _csv_delimiter(stream):
    """A semicolon when the first non-blank line has more of them than commas."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="\n")
    try:
        # No further than a file may reach: millions of empty lines cost nothing.
        for line in itertools.islice(text, MAX_ROWS + 1):
            if line.strip():
                return ";" if line.count(";") > line.count(",") else ","
        return ","
    except UnicodeDecodeError:
        raise _not_utf8(_undecodable_line(stream)) from None
    finally:
        if not stream.closed:
            text.detach()


def _not_utf8(line):
    return ImportFileError([Issue(line, "", _(
        "Filen er ikke gemt som UTF-8. Gem den igen som “CSV UTF-8” og prøv igen."
    ))])


def _undecodable_line(stream):
    """The line (counted by line feeds) of the first byte that is not UTF-8."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while True:
        block = stream.read(64 * 1024)
        data = decoder.buffer + block  # what the decoder reads now: an error's position is in it
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as error:
            return line + data[: error.start].count(b"\n")
        if not block:
            return line
        line += block.count(b"\n")


def _unreadable_xlsx():
    return ImportFileError([Issue(None, "", _("Filen kan ikke læses som et Excel-regneark (.xlsx)."))])


def _check_xlsx_size(stream):
    """Refuse a zip archive that unpacks to more than MAX_XLSX_UNPACKED_SIZE, before openpyxl
    unpacks anything."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except _XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    if unpacked > MAX_XLSX_UNPACKED_SIZE:
        raise ImportFileError([Issue(None, "", _(
            "Excel-filen fylder for meget, når den pakkes ud (højst %(max)s MB). Gem kun de "
            "nødvendige kolonner og rækker, eller gem filen som CSV."
        ) % {"max": MAX_XLSX_UNPACKED_SIZE // (1024 * 1024)})])


def _xlsx_records(stream, column_count):
    """The non-blank rows of the first sheet, each cut to the known columns and a margin, read
    in openpyxl's read-only mode (the sheet is parsed as it is read)."""
    import openpyxl

    try:
        stream.seek(0)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except _XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong dimension; read every row there is.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, max_col=column_count + XLSX_EXTRA_COLUMNS, values_only=True)
        for line, values in enumerate(rows, start=1):
            # Every row read counts, blank or not (openpyxl also hands out the rows missing
            # between two far apart): the header and MAX_ROWS rows are in already.
            if line > MAX_ROWS + 1:
                raise _too_many_rows()
            cells = [_xlsx_cell(value) for value in values]
            if not _is_blank(cells):
                yield line, cells
    except _XLSX_ERRORS:
        raise _unreadable_xlsx() from None
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


def _control_characters(line, cells, header, found):
    """Add to `found` an issue for each cell of the row that holds a control character, named
    by its column heading, or by its position where the heading is the cell at fault or there
    is none."""
    if not has_control_character("".join(cell for cell in cells if isinstance(cell, str))):
        return  # one search a row: most rows have none
    for index, cell in enumerate(cells):
        if not has_control_character(cell):
            continue
        heading = str(header[index]).strip().lower() if index < len(header) else ""
        column = heading if heading and not has_control_character(heading) else _(
            "kolonne %(number)s"
        ) % {"number": index + 1}
        found.add(Issue(line, column, _(
            "Cellen indeholder et ugyldigt kontroltegn (fx et NUL-tegn), som ikke kan importeres. "
            "Ret cellen i filen, og prøv igen."
        )))


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
                raise ValidationError(_("Datoen «%(value)s» findes ikke.") % {"value": echo(text)}) from None
    raise ValidationError(
        _("«%(value)s» er ikke en dato. Brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ.") % {"value": echo(text)}
    )


def date_parser(validator):
    """A parser of dates within `validator`'s window (core.validators), e.g. no unemployment
    that began in year 9999."""

    def parse(value):
        day = parse_date(value)
        validator(day)
        return day

    return parse


def parse_decimal(value):
    """The number, without trailing zeros after the decimal point (7,50 is 7.5; 10.00 is 10),
    so the model's decimal-places check counts only the decimals that matter."""
    if isinstance(value, (int, float, Decimal)):
        return _without_trailing_zeros(Decimal(str(value)))
    text = str(value).strip().replace(" ", "")
    if not _DECIMAL.match(text):
        raise ValidationError(_("«%(value)s» er ikke et tal. Brug fx 7,5 eller 7.5.") % {"value": echo(text)})
    try:
        return _without_trailing_zeros(Decimal(text.replace(",", ".")))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValidationError(_("Værdien er ikke et tal.")) from None


def _without_trailing_zeros(number):
    if not number.is_finite():
        return number
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))  # 10.00 → 10, not normalize()'s 1E+1
    return number.normalize()


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
        raise ValidationError(_("«%(value)s» er ikke en kommunekode (fx 607).") % {"value": echo(text)})
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
