"""Reading import files: CSV (comma or semicolon, with or without BOM) and Excel, headers
matched loosely but strictly checked, and the cell formats of shared/formats.md."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from imports.parsing import (
    Column,
    ImportFileError,
    parse_cpr,
    parse_cvr,
    parse_date,
    parse_decimal,
    read_table,
)

from .conftest import Source, csv_bytes, xlsx_bytes

COLUMNS = (Column("cpr", required=True), Column("start_date", required=True), Column("hours"))


def read(data, name="fil.csv"):
    return read_table(Source(data, name), name, COLUMNS)


def problems(data, name="fil.csv"):
    with pytest.raises(ImportFileError) as error:
        read(data, name)
    return [(issue.line, issue.column, issue.message) for issue in error.value.issues]


def test_it_reads_a_comma_separated_file():
    table = read(csv_bytes([["cpr", "start_date", "hours"], ["0101901234", "2026-01-02", "7,5"]]))
    assert table.columns == ["cpr", "start_date", "hours"]
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"cpr": "0101901234", "start_date": "2026-01-02", "hours": "7,5"})
    ]


def test_it_reads_a_semicolon_separated_file_with_a_byte_order_mark():
    data = csv_bytes([["CPR", "Start_Date", "hours"], ["0101901234", "02.01.2026", "7,5"]], delimiter=";", bom=True)
    table = read(data)
    assert table.rows[0].cells == {"cpr": "0101901234", "start_date": "02.01.2026", "hours": "7,5"}


def test_it_matches_column_names_without_regard_to_case_or_surrounding_spaces():
    table = read(csv_bytes([["  CPR ", "Start_date  ", " HOURS"], ["0101901234", "2026-01-02", ""]]))
    assert table.columns == ["cpr", "start_date", "hours"]
    assert table.rows[0].cells == {"cpr": "0101901234", "start_date": "2026-01-02"}


def test_it_refuses_an_unknown_column_so_a_typo_does_not_drop_data():
    found = problems(csv_bytes([["cpr", "start_date", "houres"], ["0101901234", "2026-01-02", "5"]]))
    assert found == [(1, "houres", "Ukendt kolonne. Tilladte kolonner er: cpr, start_date, hours.")]


def test_it_refuses_a_file_without_a_required_column():
    assert problems(csv_bytes([["cpr", "hours"], ["0101901234", "5"]])) == [(1, "start_date", "Kolonnen mangler.")]


def test_it_refuses_a_column_named_twice():
    found = problems(csv_bytes([["cpr", "start_date", "CPR"], ["0101901234", "2026-01-02", "0101901234"]]))
    assert found == [(1, "cpr", "Kolonnen står mere end én gang.")]


def test_it_numbers_lines_as_in_the_file_with_the_header_as_line_1():
    data = b'cpr,start_date,hours\r\n\r\n0101901234,2026-01-02,"7\r\n5"\r\n0101901235,2026-01-03,\r\n'
    assert [row.line for row in read(data).rows] == [3, 5]


def test_it_skips_empty_lines_and_trailing_empty_cells():
    data = b"cpr;start_date;hours;;\n0101901234;2026-01-02;;;\n;;;;\n"
    table = read(data)
    assert [(row.line, row.cells) for row in table.rows] == [(2, {"cpr": "0101901234", "start_date": "2026-01-02"})]


def test_it_refuses_a_value_in_a_column_without_a_header():
    assert problems(b"cpr,start_date\n0101901234,2026-01-02,oops\n") == [
        (2, "", "Rækken har en værdi i en kolonne uden overskrift.")
    ]


def test_it_refuses_a_file_that_is_not_utf8_and_says_on_which_line():
    data = "cpr;start_date\n0101901234;2026-01-02\n0101901235;Søndag\n".encode("cp1252")
    [(line, column, message)] = problems(data)
    assert (line, column) == (3, "")
    assert "UTF-8" in message


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", "\ufeff".encode()])
def test_it_refuses_an_empty_file(data):
    assert problems(data) == [(None, "", "Filen er tom.")]


def test_it_refuses_a_file_with_a_header_only():
    assert problems(b"cpr,start_date\n") == [(None, "", "Filen har ingen rækker under overskriften.")]


def test_it_refuses_other_file_types_in_danish():
    [(line, column, message)] = problems(b"cpr,start_date\n", name="borgere.txt")
    assert message == "Filen skal være en CSV-fil (.csv) eller et Excel-regneark (.xlsx)."


def test_it_reads_the_first_sheet_of_an_excel_file_with_real_date_cells():
    data = xlsx_bytes([
        ["CPR", "start_date", "hours"],
        [None, None, None],
        [101901234, datetime(2026, 1, 2), 7.5],
        ["010190-1234", date(2026, 2, 3), 8],
    ])
    table = read(data, "fil.xlsx")
    assert [(row.line, row.cells) for row in table.rows] == [
        (3, {"cpr": 101901234, "start_date": date(2026, 1, 2), "hours": 7.5}),
        (4, {"cpr": "010190-1234", "start_date": date(2026, 2, 3), "hours": 8}),
    ]


def test_it_refuses_an_excel_file_it_cannot_read():
    assert problems(b"not a zip file", "fil.xlsx") == [
        (None, "", "Filen kan ikke læses som et Excel-regneark (.xlsx).")
    ]


@pytest.mark.parametrize("text", ["2026-03-31", "31-03-2026", "31.03.2026", "31.3.2026"])
def test_it_reads_the_three_date_formats(text):
    assert parse_date(text) == date(2026, 3, 31)


@pytest.mark.parametrize("text", ["2026/03/31", "03-31-2026", "31.13.2026", "i går", "٢٠٢٦-03-31"])
def test_it_refuses_other_dates(text):
    with pytest.raises(ValidationError):
        parse_date(text)


@pytest.mark.parametrize("value, expected", [("7,5", "7.5"), ("7.5", "7.5"), ("37", "37"), (7.5, "7.5"), (8, "8")])
def test_it_reads_decimals_with_a_comma_or_a_dot(value, expected):
    assert parse_decimal(value) == Decimal(expected)


@pytest.mark.parametrize("text", ["7,5,0", "1.234,5", "syv", "7½"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(ValidationError):
        parse_decimal(text)


def test_it_reads_cpr_numbers_with_or_without_the_hyphen_and_as_excel_numbers():
    assert parse_cpr("010190-1234") == parse_cpr("0101901234") == parse_cpr(101901234) == "0101901234"


def test_it_reports_a_bad_cpr_number_without_repeating_it():
    with pytest.raises(ValidationError) as error:
        parse_cpr("3202901234")
    assert "3202901234" not in str(error.value)


def test_it_reads_cvr_numbers_with_the_modulus_11_check():
    from tests.factories import make_cvr

    number = make_cvr()
    assert parse_cvr(number) == parse_cvr(int(number)) == number
    with pytest.raises(ValidationError):
        parse_cvr(number[:7] + str((int(number[7]) + 1) % 10))


def test_it_refuses_a_csv_file_with_an_unclosed_quote_and_says_where():
    data = b'cpr,start_date\n0101901234,2026-01-02\n"0101901235,2026-01-03\n0101901236,2026-01-04\n'
    [(line, column, message)] = problems(data)
    assert line == 3 and "CSV" in message
