"""Reminders and the digest choice in the admin, read-only: reminders are the nightly job's,
a user's digest choice is their own (on the notifications page)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "due_on", "created_at", "read_at", "resolved_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    # Typed, never a list of every user.
    search_fields = ["user__username"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "daily_digest"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
