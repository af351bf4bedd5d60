"""Fixes from the review: Excel files that unpack to too much or are damaged, a cap on the
issues a report keeps, CPR numbers masked in every repeated value, the model's constraints
reported per line, decimals with trailing zeros, the task's clean-up, the system user, and
the mini flex job's common spellings."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.access import CASEWORK_ROLES, municipalities_for
from imports import parsing
from imports.parsing import Column, ImportFileError, parse_decimal, read_table
from imports.report import ImportReport, scrub
from imports.services import citizens_import, import_system_user, placements_import
from imports.tasks import import_file
from placements.models import Placement
from tests.conftest import make_placement

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, Source, csv_bytes, source, valid_cpr, xlsx_bytes

COLUMNS = (Column("cpr", required=True), Column("start_date", required=True), Column("hours"))
UNREADABLE = "Filen kan ikke læses som et Excel-regneark (.xlsx)."
CPR_LIKE = re.compile(r"[0-9]{6}-?[0-9]{4}|[0-9]{9}")


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


# --- 1. Excel files that unpack to too much -----------------------------------------------

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


# --- 2. A damaged worksheet ----------------------------------------------------------------

def test_it_reports_a_truncated_worksheet_as_unreadable():
    xml = sheet([["cpr", "start_date"], ["0101901234", "2026-01-02"]], far_cell=False)
    assert problems(with_sheet(xml[: len(xml) // 2])) == [(None, "", UNREADABLE)]


def test_it_reports_a_truncated_worksheet_as_unreadable_in_the_upload_form(login, consultant, fredericia):
    from django.core.files.uploadedfile import SimpleUploadedFile

    xml = sheet([CITIZEN_HEADER, [valid_cpr(), "A", "B", "607"]], far_cell=False)
    response = login(consultant).post(
        "/imports/citizens/", {"citizens-file": SimpleUploadedFile("b.xlsx", with_sheet(xml[:-40]))}
    )
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()


# --- 3. A cap on the issues a report keeps ---------------------------------------------------

def citizens(user, rows, name="borgere.csv"):
    return citizens_import(
        user=user, source=source(rows, name), filename=name,
        municipalities=municipalities_for(user, CASEWORK_ROLES),
    )


def test_it_keeps_the_count_but_only_the_first_200_errors(consultant, fredericia):
    rows = [CITIZEN_HEADER] + [[valid_cpr(), "A", "B", "abc"] for _ in range(250)]
    report = citizens(consultant, rows)
    assert report.error_count == 250 and len(report.errors) == 200
    assert [issue.line for issue in report.sorted_errors()] == list(range(2, 202))
    assert "250 fejl" in report.summary()
    assert report.as_text().endswith("og 50 fejl mere")
    result = report.as_dict()
    assert (result["error_count"], len(result["errors"])) == (250, 200)


def test_it_keeps_the_first_200_by_line_whatever_order_they_were_found_in():
    report = ImportReport("citizens")
    for line in range(400, 1, -1):
        report.error(line, "cpr", "x")
    assert [issue.line for issue in report.errors] == list(range(2, 202))
    assert report.error_count == 399


def test_it_says_how_many_more_in_the_plural_or_singular():
    report = ImportReport("citizens")
    for line in range(2, 203):
        report.error(line, "", "x")
        report.warning(line, "", "y")
    assert report.more_errors_text() == "og 1 fejl mere"
    assert report.more_warnings_text() == "og 1 advarsel mere"
    report.warning(300, "", "y")
    assert report.more_warnings_text() == "og 2 advarsler mere"


def test_it_renders_only_the_first_200_errors_and_how_many_more(login, consultant, fredericia):
    from .conftest import upload

    rows = [CITIZEN_HEADER] + [[valid_cpr(), "A", "B", "abc"] for _ in range(203)]
    html = login(consultant).post("/imports/citizens/", {"citizens-file": upload(rows)}).content.decode()
    assert "Der er 203 fejl i filen" in html
    assert html.count("er ikke en kommunekode") == 200
    assert "og 3 fejl mere" in html


# --- 4. CPR numbers masked wherever a value is repeated -------------------------------------

def test_it_masks_cpr_numbers_in_every_repeated_value(consultant, fredericia):
    number = valid_cpr()
    dashed = f"{number[:6]}-{number[6:]}"
    rows = [
        CITIZEN_HEADER + ["unemployed_since", "weekly_hours", "consultant"],
        [valid_cpr(), "A", "B", number, dashed, number, dashed],
        [valid_cpr(), "A", "B", "607", number, dashed, number],
    ]
    report = citizens(consultant, rows)
    text = report.as_text()
    assert report.error_count >= 5
    assert not CPR_LIKE.search(text), text
    assert f"{number[:6]}-XXXX" in text


def test_it_masks_a_cpr_number_typed_as_a_column_heading(consultant, fredericia):
    number = valid_cpr()
    report = citizens(consultant, [CITIZEN_HEADER + [number], [valid_cpr(), "A", "B", "607", "x"]])
    assert not report.ok and not CPR_LIKE.search(report.as_text() + str(report.as_dict()))


def test_it_masks_a_cpr_number_excel_stored_as_a_number_without_its_leading_zero(consultant, fredericia):
    number = valid_cpr("010190")
    rows = [CITIZEN_HEADER + ["unemployed_since"], [valid_cpr(), "A", "B", "607", int(number)]]
    report = citizens(consultant, rows, name="borgere.xlsx")
    assert not report.ok
    assert not CPR_LIKE.search(report.as_text()), report.as_text()
    assert number[1:] not in report.as_text()


def test_it_masks_cpr_numbers_in_the_placement_kind(consultant, fredericia, citizen, employer):
    number = valid_cpr()
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", number, number, number, ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.error_count == 3 and not CPR_LIKE.search(report.as_text()), report.as_text()


def test_it_scrubs_only_cpr_like_numbers():
    assert scrub("0101901234 og 010190-1234 og 12345678 og 101901234") == (
        "010190-XXXX og 010190-XXXX og 12345678 og 010190-XXXX"
    )


# --- 5. The model's constraints, per line and column -------------------------------------------

def test_it_reports_hours_above_the_contracted_hours_on_the_line(consultant, fredericia, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("8"), contracted_hours=Decimal("10"))
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "12", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column, i.message) for i in report.sorted_errors()] == [
        (2, "hours_per_week", "De aftalte timer skal være mindst de faktiske timer og højst 37.")
    ]
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("8")


def test_it_accepts_hours_within_the_contracted_hours(consultant, fredericia, citizen, employer):
    make_placement(citizen, employer, hours_per_week=Decimal("8"), contracted_hours=Decimal("10"))
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "10", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok and report.updated == 1


# --- 6. Decimals with trailing zeros -----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("7,50", "7.5"), ("7.50", "7.5"), ("10.00", "10"), ("10,0", "10"), ("7,5", "7.5"), (7.5, "7.5"),
])
def test_it_drops_trailing_zeros_of_a_decimal(text, expected):
    value = parse_decimal(text)
    assert value == Decimal(expected) and str(value) == expected


def test_it_imports_hours_with_trailing_zeros_but_not_two_real_decimals(consultant, fredericia, citizen, employer):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "7,50", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok, report.as_text()
    rows[1][5] = "7.25"
    rows[1][6] = "2027-02-01"
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column) for i in report.sorted_errors()] == [(2, "hours_per_week")]


# --- 7. The task deletes the upload in every case ----------------------------------------------

def test_it_deletes_the_stored_file_when_the_user_is_gone(settings, tmp_path, fredericia):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("imports/b.csv", ContentFile(csv_bytes([CITIZEN_HEADER, [valid_cpr(), "A", "B", "607"]])))
    with pytest.raises(get_user_model().DoesNotExist):
        import_file("citizens", name, 999999)
    assert not default_storage.exists(name)


# --- 8. The system user is a reserved identity ---------------------------------------------------

def test_it_creates_the_system_user_inactive_without_a_password_and_reuses_it(db):
    user = import_system_user()
    assert (user.username, user.is_active, user.has_usable_password()) == ("import", False, False)
    assert import_system_user() == user


def test_it_does_not_act_as_a_person_who_registered_the_username_import(db):
    person = get_user_model().objects.create_user(username="import", password="hemmelig-kode-123")
    user = import_system_user()
    assert user != person
    assert (user.username, user.is_active, user.has_usable_password()) == ("import-system", False, False)
    assert import_system_user() == user


# --- 9. The mini flex job's common spellings -----------------------------------------------------

@pytest.mark.parametrize("kind", ["mini-fleksjob", "mini flexjob", "mini-flexjob", "Mini-Fleksjob"])
def test_it_accepts_the_common_spellings_of_mini_flexjob(consultant, fredericia, citizen, employer, kind):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", kind, "12", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column) for i in report.sorted_errors()] == [(2, "hours_per_week")]  # over the mini limit
    rows[1][5] = "8"
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok and Placement.objects.get().kind == Placement.Kind.FLEXJOB
