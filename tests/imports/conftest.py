"""Helpers for the import tests: small CSV and Excel files written on the fly."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

CITIZEN_HEADER = ["cpr", "first_name", "last_name", "municipality"]
PLACEMENT_HEADER = ["cpr", "cvr", "employer_name", "sector", "kind", "hours_per_week", "start_date", "end_date"]


def csv_text(rows, delimiter=","):
    """Rows (lists of cells; the first is the header) as CSV text, quoting where needed."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            cell = "" if cell is None else str(cell)
            if delimiter in cell or '"' in cell or "\n" in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


def csv_bytes(rows, delimiter=",", bom=False):
    return ("\ufeff" if bom else "").encode() + csv_text(rows, delimiter).encode("utf-8")


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Source(io.BytesIO):
    """An open file as the services take it."""

    def __init__(self, data, name):
        super().__init__(data)
        self.name = name


def source(rows, name="fil.csv", **options):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **options)
    return Source(data, name)


def upload(rows, name="fil.csv", **options):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **options)
    return SimpleUploadedFile(name, data)


@pytest.fixture
def write_file(tmp_path):
    """`write_file(rows, name="fil.csv", delimiter=",", bom=False)`: a file on disk for the commands."""

    def _write(rows, name="fil.csv", **options):
        path = Path(tmp_path) / name
        path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **options))
        return str(path)

    return _write


def masked(number):
    return f"{number[:6]}-XXXX"


def assert_no_full_cpr(text, *numbers):
    for number in numbers:
        assert number not in text
        assert f"{number[:6]}-{number[6:]}" not in text
        assert number[6:] not in text.replace(number[:6] + "-XXXX", "")
