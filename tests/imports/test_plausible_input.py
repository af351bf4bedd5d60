"""Import files that used to break or mislead: a NUL byte in a cell (a server error on
PostgreSQL, saved into a name on SQLite), dates such as 9999-12-31, and Excel sheets or CSV
files of blank rows, which were read to the end however many there were. Each is refused with
its line and column, or for the whole file, and nothing of the file is saved."""

import io
import zipfile

import pytest

from accounts.access import CASEWORK_ROLES, municipalities_for
from citizens.models import Citizen
from imports import parsing
from imports.parsing import Column, ImportFileError, read_table
from imports.services import citizens_import, placements_import
from placements.models import Placement
from tests.factories import make_cpr_with_modulus11

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, Source, csv_bytes, xlsx_bytes

CONTROL_MESSAGE = (
    "Cellen indeholder et ugyldigt kontroltegn (fx et NUL-tegn), som ikke kan importeres. "
    "Ret cellen i filen, og prøv igen."
)


def citizens(user, data, name="borgere.csv"):
    return citizens_import(
        user=user, source=Source(data, name), filename=name, municipalities=municipalities_for(user, CASEWORK_ROLES)
    )


def errors(report):
    return [(issue.line, issue.column, issue.message) for issue in report.sorted_errors()]


# --- Control characters ------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["Ben\x00te", "\x00", "Bente\x07", "Ben\x1bte"])
def test_it_refuses_a_cell_with_a_control_character_on_its_line_and_column(consultant, fredericia, cell):
    data = csv_bytes([CITIZEN_HEADER, [make_cpr_with_modulus11(), "Anne", "Jensen", "607"],
                      [make_cpr_with_modulus11(), cell, "Sørensen", "607"]])
    report = citizens(consultant, data)
    assert errors(report) == [(3, "first_name", CONTROL_MESSAGE)]
    assert not Citizen.objects.exists()


def test_it_refuses_a_nul_in_the_consultant_column_which_is_looked_up(consultant, fredericia):
    rows = [CITIZEN_HEADER + ["consultant"], [make_cpr_with_modulus11(), "Anne", "Jensen", "607", "konsu\x00lent"]]
    report = citizens(consultant, csv_bytes(rows))
    assert errors(report) == [(2, "consultant", CONTROL_MESSAGE)]
    assert not Citizen.objects.exists()


def test_it_names_the_column_by_its_position_when_the_heading_holds_the_nul(consultant, fredericia):
    rows = [["cpr", "first_name", "last_\x00name", "municipality"], [make_cpr_with_modulus11(), "Anne", "Jensen", "607"]]
    report = citizens(consultant, csv_bytes(rows))
    assert errors(report) == [(1, "kolonne 3", CONTROL_MESSAGE)]


def test_it_refuses_a_nul_in_a_placements_file(consultant, fredericia, citizen, employer):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flex\x00job", "8", "2026-02-01", ""]]
    report = placements_import(
        user=consultant, source=Source(csv_bytes(rows), "a.csv"), filename="a.csv", municipality=fredericia
    )
    assert errors(report) == [(2, "kind", CONTROL_MESSAGE)]
    assert not Placement.objects.exists()


def test_it_counts_the_cells_with_a_control_character_beyond_those_it_lists():
    rows = [["cpr", "start_date"]] + [["\x00", "\x00"]] * 150
    with pytest.raises(ImportFileError) as error:
        read_table(Source(csv_bytes(rows), "a.csv"), "a.csv", [Column("cpr"), Column("start_date")])
    issues = error.value.issues
    assert len(issues) == 201
    assert issues[-1].message == "Yderligere 100 celler indeholder et ugyldigt kontroltegn."


# --- Dates within a plausible window ---------------------------------------------------------------

@pytest.mark.parametrize("column", ["unemployed_since", "flexjob_approved_on"])
@pytest.mark.parametrize("value", ["9999-12-31", "31.12.9999", "01-01-0001", "1899-12-31"])
def test_it_refuses_an_implausible_date_of_a_citizen(consultant, fredericia, column, value):
    rows = [CITIZEN_HEADER + [column], [make_cpr_with_modulus11(), "Anne", "Jensen", "607", value]]
    report = citizens(consultant, csv_bytes(rows))
    [(line, reported_column, message)] = errors(report)
    assert (line, reported_column) == (2, column)
    assert message.startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Citizen.objects.exists()


def test_it_refuses_an_implausible_date_from_an_excel_date_cell(consultant, fredericia):
    from datetime import date

    rows = [CITIZEN_HEADER + ["unemployed_since"], [make_cpr_with_modulus11(), "Anne", "Jensen", 607, date(9999, 12, 31)]]
    report = citizens(consultant, xlsx_bytes(rows), name="borgere.xlsx")
    assert [(line, column) for line, column, _message in errors(report)] == [(2, "unemployed_since")]


@pytest.mark.parametrize("start, end", [("0001-01-01", ""), ("2026-02-01", "9999-12-31")])
def test_it_refuses_an_implausible_date_of_a_placement(consultant, fredericia, citizen, employer, start, end):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "8", start, end]]
    report = placements_import(
        user=consultant, source=Source(csv_bytes(rows), "a.csv"), filename="a.csv", municipality=fredericia
    )
    assert [column for _line, column, _message in errors(report)] == ["start_date" if end == "" else "end_date"]
    assert not Placement.objects.exists()


# --- Blank rows count toward the row limit ---------------------------------------------------------

COLUMNS = (Column("cpr", required=True), Column("start_date", required=True))


def with_sheet(sheet_xml):
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else original.read(info)
            archive.writestr(info.filename, data)
    return buffer.getvalue()


def blank_sheet(blank_rows, far_row=None):
    """A header, one row of data, then `blank_rows` rows of empty styled cells, and optionally one
    lone empty row far down (openpyxl hands out every row missing before it)."""
    xml = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
           '<row r="1"><c r="A1" t="inlineStr"><is><t>cpr</t></is></c><c r="B1" t="inlineStr"><is><t>start_date</t></is></c></row>',
           '<row r="2"><c r="A2" t="inlineStr"><is><t>0101901234</t></is></c><c r="B2" t="inlineStr"><is><t>2026-01-02</t></is></c></row>']
    xml += [f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" s="0"/></row>' for r in range(3, 3 + blank_rows)]
    if far_row:
        xml.append(f'<row r="{far_row}"><c r="A{far_row}" s="0"/></row>')
    xml.append("</sheetData></worksheet>")
    return with_sheet("".join(xml))


def test_it_reads_an_excel_file_with_a_few_blank_rows(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 50)
    table = read_table(Source(blank_sheet(40), "a.xlsx"), "a.xlsx", COLUMNS)
    assert len(table.rows) == 1


@pytest.mark.parametrize("blank_rows, far_row", [(200, None), (0, 1_048_576)])
def test_it_stops_reading_an_excel_file_of_blank_rows_at_the_row_limit(monkeypatch, blank_rows, far_row):
    monkeypatch.setattr(parsing, "MAX_ROWS", 50)
    read = []
    monkeypatch.setattr(parsing, "_is_blank", lambda cells: read.append(1) or all(c == "" for c in cells))
    with pytest.raises(ImportFileError) as error:
        read_table(Source(blank_sheet(blank_rows, far_row), "a.xlsx"), "a.xlsx", COLUMNS)
    [issue] = error.value.issues
    assert issue.line is None and "højst være 50 rækker" in issue.message
    assert len(read) <= 51


def test_it_stops_reading_a_csv_file_of_blank_lines_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 50)
    data = b"cpr,start_date\r\n0101901234,2026-01-02\r\n" + b",\r\n" * 10_000
    with pytest.raises(ImportFileError) as error:
        read_table(Source(data, "a.csv"), "a.csv", COLUMNS)
    assert "højst være 50 rækker" in error.value.issues[0].message


def test_it_refuses_a_real_sheet_of_a_million_blank_rows_quickly():
    """The whole sheet unpacks to under 50 MB; reading it to its end took many seconds."""
    import time

    data = blank_sheet(0, far_row=1_048_576)
    started = time.monotonic()
    with pytest.raises(ImportFileError):
        read_table(Source(data, "a.xlsx"), "a.xlsx", COLUMNS)
    assert time.monotonic() - started < 5


def test_it_refuses_a_csv_file_of_ten_megabytes_of_empty_lines_quickly():
    import time

    started = time.monotonic()
    with pytest.raises(ImportFileError) as error:
        read_table(Source(b"\n" * (10 * 1024 * 1024 - 1), "a.csv"), "a.csv", COLUMNS)
    assert "højst være 100.000 rækker" in error.value.issues[0].message
    assert time.monotonic() - started < 3
