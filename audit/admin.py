from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "model", "object_id", "municipality", "purpose"]
    list_filter = ["action", "model", "municipality"]
    search_fields = ["user__username", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user", "municipality"]

    # The log is evidence: nobody edits or deletes it, not even an admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
