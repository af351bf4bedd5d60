"""The nightly job's runs, for the administrator to see that reminders went out (read-only:
the rows are the job's own guard against running a day twice), and the items marked done or
snoozed (read-only: their reasons are the consultants')."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Mark, ReminderRun


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyAdmin):
    list_display = ["day", "created", "ran_at"]
    date_hierarchy = "day"


@admin.register(Mark)
class MarkAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "due_on", "until", "user", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
