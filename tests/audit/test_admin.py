"""The access log in the admin: readable by the admin, never added to, changed or deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AccessLog
from audit.services import access_log_record


@pytest.fixture
def entry(consultant, citizen):
    return access_log_record(user=consultant, action=AccessLog.Action.REVEAL_CPR, obj=citizen, purpose="Opfølgning")


def test_it_loads_the_changelist_for_a_superuser(login, admin_user, entry):
    response = login(admin_user).get(reverse("admin:audit_accesslog_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [entry]


def test_it_filters_the_log_by_action(login, admin_user, entry, consultant, citizen):
    access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    response = login(admin_user).get(reverse("admin:audit_accesslog_changelist"), {"action": "reveal_cpr"})
    assert list(response.context["cl"].result_list) == [entry]


def test_it_shows_an_entry_read_only(login, admin_user, entry):
    response = login(admin_user).get(reverse("admin:audit_accesslog_change", args=[entry.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_it_refuses_to_change_an_entry(login, admin_user, entry):
    url = reverse("admin:audit_accesslog_change", args=[entry.pk])
    response = login(admin_user).post(url, {"purpose": "Ændret", "action": "view"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.purpose, entry.action) == ("Opfølgning", "reveal_cpr")


def test_it_refuses_to_delete_an_entry(login, admin_user, entry):
    client = login(admin_user)
    assert client.post(reverse("admin:audit_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:audit_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_it_refuses_to_add_an_entry(login, admin_user, db):
    assert login(admin_user).get(reverse("admin:audit_accesslog_add")).status_code == 403


def test_it_grants_no_write_permission_on_the_log(rf, admin_user):
    log_admin = admin.site._registry[AccessLog]
    request = rf.get("/")
    request.user = admin_user
    assert not log_admin.has_add_permission(request)
    assert not log_admin.has_change_permission(request)
    assert not log_admin.has_delete_permission(request)
    assert log_admin.has_view_permission(request)
