"""The reminder job's runs in the admin: listed for the administrator, never written there."""

from datetime import date

from django.contrib import admin
from django.urls import reverse

from worklist.models import ReminderRun


def test_it_lists_the_runs_read_only(login, admin_user, rf):
    ReminderRun.objects.create(day=date(2026, 12, 1), created=12)
    response = login(admin_user).get(reverse("admin:worklist_reminderrun_changelist"))
    assert response.status_code == 200 and "12" in response.content.decode()
    run_admin = admin.site._registry[ReminderRun]
    request = rf.get("/")
    request.user = admin_user
    assert not run_admin.has_add_permission(request)
    assert not run_admin.has_change_permission(request)
    assert not run_admin.has_delete_permission(request)
