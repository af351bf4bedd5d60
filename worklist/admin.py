"""The nightly job's runs, for the administrator to see that reminders went out (read-only:
the rows are the job's own guard against running a day twice), and the items marked done or
snoozed (read-only: their reasons are the consultants')."""

from django.contrib import admin

from .models import Mark, ReminderRun


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


@admin.register(Mark)
class MarkAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "due_on", "until", "user", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
