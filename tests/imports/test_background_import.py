"""The Celery entry point: a stored file, a user id, and the same service as the upload form."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from citizens.models import Citizen
from imports.tasks import import_file
from placements.models import Placement

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, assert_no_full_cpr, csv_bytes
from tests.factories import make_cpr_with_modulus11


def store(rows, name):
    return default_storage.save(f"imports/{name}", ContentFile(csv_bytes(rows)))


def test_it_imports_a_stored_file_for_the_user_and_deletes_it(settings, tmp_path, consultant, fredericia, odense):
    settings.MEDIA_ROOT = str(tmp_path)
    number = make_cpr_with_modulus11()
    name = store([CITIZEN_HEADER, [number, "A", "B", "607"]], "borgere.csv")
    result = import_file.delay("citizens", name, consultant.pk).get()
    assert (result["saved"], result["created"], result["errors"]) == (True, 1, [])
    assert Citizen.objects.with_cpr(number).exists()
    assert not default_storage.exists(name)


def test_it_returns_the_errors_of_a_bad_file_with_cpr_numbers_masked(settings, tmp_path, consultant, fredericia, odense):
    settings.MEDIA_ROOT = str(tmp_path)
    number = make_cpr_with_modulus11()
    name = store([CITIZEN_HEADER, [number, "A", "B", "461"]], "borgere.csv")
    result = import_file.delay("citizens", name, consultant.pk).get()
    assert result["saved"] is False
    assert result["errors"] == [
        {"line": 2, "column": "municipality", "message": "Du kan ikke importere borgere til kommune 461."}
    ]
    assert_no_full_cpr(str(result), number)


def test_it_imports_placements_only_into_a_municipality_of_the_user(settings, tmp_path, consultant, fredericia, odense, citizen, employer):
    settings.MEDIA_ROOT = str(tmp_path)
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""]]
    refused = import_file.delay("placements", store(rows, "a.csv"), consultant.pk, odense.pk).get()
    assert refused["saved"] is False and not Placement.objects.exists()
    done = import_file.delay("placements", store(rows, "b.csv"), consultant.pk, fredericia.pk).get()
    assert done["created"] == 1
