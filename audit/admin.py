from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AccessLog, AccessLogCitizen, SignInEvent


class AccessLogCitizenInline(admin.TabularInline):
    model = AccessLogCitizen
    fields = ["citizen_id", "municipality"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "role", "action", "model", "object_id", "municipality", "purpose", "query"]
    list_filter = ["action", "model", "municipality"]
    search_fields = ["user__username", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user", "municipality"]
    inlines = [AccessLogCitizenInline]


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "user", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
