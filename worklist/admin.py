"""The nightly job's runs, for the administrator to see that reminders went out (read-only:
the rows are the job's own guard against running a day twice)."""

from django.contrib import admin

from .models import ReminderRun


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    list_display = ["day", "created", "ran_at"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
