"""Helpers for the import tests: small CSV and Excel files written on the fly, uploads kept in
a folder of the test's own, and an upload run through to its job's page."""

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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads wait for their job in a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def stored_files(media):
    """The uploads still kept."""
    folder = media / "import-uploads"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def post_and_run(django_capture_on_commit_callbacks):
    """`post_and_run(client, url, data, **extra)`: the upload, its job run once the upload
    is committed (in-process, as without REDIS_URL), and the page the upload leads to."""

    def _post(client, url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, **extra)
        if response.status_code == 302:
            return client.get(response["Location"])
        return response

    return _post


def make_job(uploader, *, kind="citizens", municipality=None, rows=None, **fields):
    """An import job as the upload form leaves it: its file stored (`rows`, a citizens file of
    one row by default), queued; `fields` set anything else (state, progress, report, …)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from imports.models import ImportJob
    from imports.services import UPLOAD_FOLDER
    from tests.factories import make_cpr_with_modulus11

    if rows is None:
        rows = [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]
    name = default_storage.save(f"{UPLOAD_FOLDER}/job.csv", ContentFile(csv_bytes(rows)))
    fields.setdefault("original_name", "borgere.csv")
    return ImportJob.objects.create(uploader=uploader, kind=kind, municipality=municipality, file_name=name, **fields)


def masked(number):
    return f"{number[:6]}-XXXX"


def assert_no_full_cpr(text, *numbers):
    for number in numbers:
        assert number not in text
        assert f"{number[:6]}-{number[6:]}" not in text
        assert number[6:] not in text.replace(number[:6] + "-XXXX", "")
