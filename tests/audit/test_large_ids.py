"""An id larger than any the database holds (2**63 - 1) is turned away before any query: a 404
for the access report, a form's error for the search, nothing found by the citizens'
directory or the log's filters. SQLite cannot compare such a number (OverflowError): without
the bound each of these answered 500."""

import pytest
from django.urls import reverse

from audit.access import citizen_entries_for_user, naming_citizens
from audit.models import AccessLog
from audit.services import access_log_record
from citizens.selectors import audit_directory
from core.ids import MAX_ID, ids_only, is_id

TOO_LARGE = [MAX_ID + 1, 99999999999999999999999]


def test_the_bound_is_the_databases():
    assert MAX_ID == 2**63 - 1
    assert is_id(1) and is_id(MAX_ID)
    assert not is_id(0) and not is_id(MAX_ID + 1)
    assert ids_only([5, MAX_ID + 1, MAX_ID]) == [5, MAX_ID]


@pytest.mark.parametrize("citizen_id", TOO_LARGE)
def test_the_access_report_of_an_id_too_large_is_a_404(login, manager, citizen_id):
    response = login(manager).get(f"/audit/citizens/{citizen_id}/report/")
    assert response.status_code == 404
    assert not AccessLog.objects.filter(user=manager).exists()


def test_the_access_report_of_the_largest_id_is_an_ordinary_404(login, manager):
    assert login(manager).get(reverse("audit:report", args=[MAX_ID])).status_code == 404


@pytest.mark.parametrize("citizen", [str(MAX_ID + 1), "99999999999999999999999", f"1,{MAX_ID + 1}"])
def test_a_search_for_a_citizen_id_too_large_is_a_form_error(login, manager, citizen):
    response = login(manager).post(reverse("audit:search"), {"citizen": citizen})
    assert response.status_code == 200
    assert response.context["form"].errors["citizen"] == ["Ugyldig borger."]
    assert response.context["result"].page is None


def test_a_search_for_the_largest_id_finds_nothing(login, manager, consultant, citizen):
    access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    response = login(manager).post(reverse("audit:search"), {"citizen": str(MAX_ID)})
    assert response.status_code == 200 and list(response.context["result"].page) == []


def test_the_directory_and_the_logs_filters_find_nothing_for_an_id_too_large(manager, consultant, citizen, fredericia):
    row = access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    assert audit_directory.describe([MAX_ID + 1, citizen.pk], None).keys() == {citizen.pk}
    assert audit_directory.describe([MAX_ID + 1], [fredericia.pk]) == {}
    assert list(AccessLog.objects.filter(naming_citizens([MAX_ID + 1, citizen.pk]))) == [row]
    assert not AccessLog.objects.filter(naming_citizens([MAX_ID + 1], [fredericia.pk])).exists()
    assert not citizen_entries_for_user(manager, MAX_ID + 1).exists()
