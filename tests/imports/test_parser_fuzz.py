"""Property tests of the imports: whatever a file holds (any bytes, CSV text with odd cells,
Excel cells of any type), reading it gives a table or a clear list of problems, never another
exception; an import reports either a clean result, whose rows are saved as read, or its errors
with nothing of the file saved; and the upload and the job's page never answer with a server
error."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from accounts.access import CASEWORK_ROLES, municipalities_for
from citizens.models import Citizen
from imports import citizens as citizen_import
from imports import placements as placement_import
from imports.parsing import ImportFileError, read_table
from imports.services import citizens_import, placements_import
from tests.factories import make_cpr, make_cvr
from tests.strategies import ANY_TEXT, NASTY_CELL, SPECIAL, nasty_for, row_counts

from .conftest import Source

FILE_NAMES = st.sampled_from(["fil.csv", "fil.xlsx", "FIL.CSV"])


def csv_file(rows, delimiter):
    """CSV as a program would write it; text UTF-8 cannot hold is written as the bytes a broken
    program would write."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def xlsx_file(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mutated_rows(data, rows):
    """`rows` with some cells (none, a few, many) replaced by odd ones, now and then a cell more."""
    rows = [list(row) for row in rows]
    for _ in range(data.draw(st.integers(0, 6), label="changes")):
        row = data.draw(st.integers(0, len(rows) - 1), label="row")
        column = data.draw(st.integers(0, len(rows[row])), label="column")
        if column == len(rows[row]):
            rows[row].append(data.draw(NASTY_CELL, label="cell"))
        else:
            rows[row][column] = data.draw(nasty_for(rows[row][column], NASTY_CELL), label="cell")
    return rows


# An Excel cell: any type openpyxl writes (it refuses control characters in text itself).
XLSX_CELL = st.one_of(
    ANY_TEXT.filter(lambda text: not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text)),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.booleans(),
    st.none(),
    SPECIAL.filter(lambda text: not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text)),
)


def _source(data, rows):
    kind = data.draw(st.sampled_from(["csv,", "csv;", "xlsx"]), label="format")
    if kind == "xlsx":
        rows = [[cell if not isinstance(cell, str) or not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in cell)
                 else "" for cell in row] for row in rows]
        return "fil.xlsx", xlsx_file(rows)
    return "fil.csv", csv_file(rows, kind[-1])


# --- Reading a file -----------------------------------------------------------------------------

@given(content=st.binary(max_size=3000), name=FILE_NAMES)
def test_any_bytes_give_a_table_or_problems(content, name):
    try:
        read_table(Source(content, name), name, citizen_import.COLUMNS)
    except ImportFileError as error:
        assert error.issues and all(issue.message for issue in error.issues)


@given(data=st.data())
def test_any_excel_cells_give_a_table_or_problems(data):
    header = data.draw(st.lists(st.sampled_from([c.name for c in citizen_import.COLUMNS] + ["", "x"]), max_size=12))
    rows = [header] + data.draw(st.lists(st.lists(XLSX_CELL, max_size=14), max_size=6))
    try:
        read_table(Source(xlsx_file(rows), "a.xlsx"), "a.xlsx", citizen_import.COLUMNS)
    except ImportFileError as error:
        assert error.issues


# --- Importing a file: a clean result or errors, never half of it ------------------------------------

def _citizen_rows(today):
    header = [c.name for c in citizen_import.COLUMNS]
    row = [make_cpr(), "Anne", "Jensen", "607", str(today - timedelta(days=500)), "", "7,5", "", "", "konsulent"]
    other = [make_cpr(), "Bo", "Berg", "607", "", str(today), "", "12345678", "bo@example.dk", ""]
    return [header, row, other]


@given(data=st.data())
def test_a_citizens_file_is_imported_whole_or_not_at_all(consultant, fredericia, data):
    rows = mutated_rows(data, _citizen_rows(date.today()))
    name, content = _source(data, rows)
    with transaction.atomic():
        before = row_counts()
        report = citizens_import(user=consultant, source=Source(content, name), filename=name,
                                 municipalities=municipalities_for(consultant, CASEWORK_ROLES))
        after = row_counts()
        event("imported" if report.ok else "refused")
        if report.ok:
            assert after["citizens_citizen"] == before["citizens_citizen"] + report.created
            for citizen in Citizen.objects.all():
                citizen.reveal_cpr()  # saved as read: the number decrypts, the row loads
        else:
            assert report.errors and after == before
            assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
        report.as_text()
        transaction.set_rollback(True)


@given(data=st.data())
def test_a_placements_file_is_imported_whole_or_not_at_all(consultant, fredericia, citizen, employer, data):
    header = [c.name for c in placement_import.COLUMNS]
    rows = [header,
            [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "8", "2026-02-01", ""],
            [citizen.reveal_cpr(), make_cvr(), "Ny ApS", "privat", "praktik", "4,5", "01.01.2025", "31.01.2025"]]
    name, content = _source(data, mutated_rows(data, rows))
    with transaction.atomic():
        before = row_counts()
        report = placements_import(user=consultant, source=Source(content, name), filename=name, municipality=fredericia)
        after = row_counts()
        event("imported" if report.ok else "refused")
        if report.ok:
            assert after["placements_placement"] == before["placements_placement"] + report.created
            assert after["employers_employer"] == before["employers_employer"] + report.employers_created
        else:
            assert report.errors and after == before
        report.as_text()
        transaction.set_rollback(True)


@given(content=st.binary(max_size=500), name=st.sampled_from(["a.csv", "a.xlsx"]), kind=st.sampled_from(["citizens", "placements"]))
def test_the_upload_page_never_answers_with_a_server_error(login, consultant, fredericia, content, name, kind, post_and_run):
    client = login(consultant)
    kept = ("audit_", "imports_importjob")  # the upload's job is kept, with its report
    with transaction.atomic():
        before = row_counts()
        response = post_and_run(client, f"/imports/{kind}/", {f"{kind}-file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert {t: n for t, n in row_counts().items() if not t.startswith(kept)} == {
            t: n for t, n in before.items() if not t.startswith(kept)
        }
        transaction.set_rollback(True)
