"""Excel files that could harm or mislead the import: files that unpack to too much, rows
that reach the last column, damaged worksheets, and an upload form that says so."""

import io
import zipfile

import pytest

from imports import parsing
from imports.parsing import Column, ImportFileError, read_table
from tests.factories import make_cpr_with_modulus11

from .conftest import CITIZEN_HEADER, Source, csv_bytes, xlsx_bytes

COLUMNS = (Column("cpr", required=True), Column("start_date", required=True), Column("hours"))
UNREADABLE = "Filen kan ikke læses som et Excel-regneark (.xlsx)."


def problems(data, name="fil.xlsx"):
    with pytest.raises(ImportFileError) as error:
        read_table(Source(data, name), name, COLUMNS)
    return [(issue.line, issue.column, issue.message) for issue in error.value.issues]


def with_sheet(sheet_xml):
    """An .xlsx file (from openpyxl) whose first sheet is replaced by `sheet_xml`."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else original.read(info)
            archive.writestr(info.filename, data)
    return buffer.getvalue()


def sheet(rows, far_cell=True):
    """Sheet XML of inline strings; with far_cell, every row also has an empty styled cell in
    column XFD (the last one), as some programs write."""
    xml = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in enumerate(rows, start=1):
        xml.append(f'<row r="{r}">')
        for c, value in enumerate(cells):
            xml.append(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>')
        if far_cell:
            xml.append(f'<c r="XFD{r}" s="0"/>')
        xml.append("</row>")
    xml.append("</sheetData></worksheet>")
    return "".join(xml)


# --- Excel files that unpack to too much -----------------------------------------------

def test_it_refuses_an_xlsx_that_unpacks_to_too_much_before_loading_it(monkeypatch):
    data = xlsx_bytes([["cpr", "start_date"], ["0101901234", "2026-01-02"]])
    monkeypatch.setattr(parsing, "MAX_XLSX_UNPACKED_SIZE", 1000)
    [(line, column, message)] = problems(data)
    assert (line, column) == (None, "")
    assert "fylder for meget, når den pakkes ud" in message


def test_it_refuses_a_real_zip_bomb_of_a_few_kilobytes():
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["cpr", "start_date"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            archive.writestr(info.filename, original.read(info))
        archive.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    [(_line, _column, message)] = problems(buffer.getvalue())
    assert "højst 50 MB" in message


def test_it_reads_only_the_known_columns_and_a_margin_when_every_row_reaches_column_xfd():
    rows = [["cpr", "start_date", "hours"]] + [["0101901234", "2026-01-02", "7"]] * 500
    table = read_table(Source(with_sheet(sheet(rows)), "fil.xlsx"), "fil.xlsx", COLUMNS)
    assert len(table.rows) == 500
    assert table.rows[0].cells == {"cpr": "0101901234", "start_date": "2026-01-02", "hours": "7"}


def test_it_reads_rows_no_wider_than_the_known_columns_and_the_margin(monkeypatch):
    widths = []
    monkeypatch.setattr(parsing, "_is_blank", lambda cells: widths.append(len(cells)) or all(c == "" for c in cells))
    rows = [["cpr", "start_date", "hours"], ["0101901234", "2026-01-02", "7"]]
    read_table(Source(with_sheet(sheet(rows)), "fil.xlsx"), "fil.xlsx", COLUMNS)
    assert max(widths) == len(COLUMNS) + parsing.XLSX_EXTRA_COLUMNS


def test_it_reports_a_value_in_an_extra_column_of_an_xlsx_file():
    rows = [["cpr", "start_date"], ["0101901234", "2026-01-02", "", "", "overflødig"]]
    assert problems(xlsx_bytes(rows)) == [(2, "", "Rækken har en værdi i en kolonne uden overskrift.")]


def test_it_reports_an_unknown_column_heading_within_the_margin_of_an_xlsx_file():
    rows = [["cpr", "start_date", "hours", "", "", "", "note"], ["0101901234", "2026-01-02"]]
    [(line, column, message)] = problems(xlsx_bytes(rows))
    assert (line, column) == (1, "note") and message.startswith("Ukendt kolonne")


@pytest.mark.parametrize("name", ["fil.csv", "fil.xlsx"])
def test_it_caps_the_number_of_rows_with_a_clear_message(monkeypatch, name):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    rows = [["cpr", "start_date"]] + [["0101901234", "2026-01-02"]] * 4
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    [(line, _column, message)] = problems(data, name)
    assert line is None and "højst være 3 rækker" in message
    rows.pop()
    assert len(read_table(Source(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows), name), name, COLUMNS).rows) == 3


# --- A damaged worksheet ----------------------------------------------------------------

def test_it_reports_a_truncated_worksheet_as_unreadable():
    xml = sheet([["cpr", "start_date"], ["0101901234", "2026-01-02"]], far_cell=False)
    assert problems(with_sheet(xml[: len(xml) // 2])) == [(None, "", UNREADABLE)]


def test_it_reports_a_truncated_worksheet_as_unreadable_on_the_upload_s_page(login, consultant, fredericia, post_and_run):
    from django.core.files.uploadedfile import SimpleUploadedFile

    xml = sheet([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], far_cell=False)
    response = post_and_run(
        login(consultant), "/imports/citizens/", {"citizens-file": SimpleUploadedFile("b.xlsx", with_sheet(xml[:-40]))}
    )
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
