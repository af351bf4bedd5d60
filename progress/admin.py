from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Snapshot, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "number", "period_start", "period_end", "target_group_only"]
    list_filter = ["municipality", "target_group_only"]
    search_fields = ["title"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    """Read only: a stored day is evidence of what a report said (progress.models.Snapshot)."""

    list_display = ["day", "target", "created_at"]
    list_filter = ["target__municipality"]
    list_select_related = ["target"]
    date_hierarchy = "day"
    readonly_fields = ["target", "day", "figures", "tables", "created_at"]
