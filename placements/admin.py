from django.contrib import admin

from audit.admin_logging import AccessLoggedAdminMixin

from .models import Placement


@admin.register(Placement)
class PlacementAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = ["citizen", "employer", "kind", "hours_per_week", "start_date", "end_date", "first_flexjob", "retention_flexjob"]
    list_filter = ["kind", "first_flexjob", "retention_flexjob", "permanent", "employer__sector", "citizen__municipality"]
    search_fields = ["employer__name", "employer__cvr", "citizen__last_name"]
    date_hierarchy = "start_date"
    list_select_related = ["citizen", "employer"]
    raw_id_fields = ["citizen", "employer", "opening"]

    def get_queryset(self, request):
        # The page of one placement names its citizen, and the log records whose it was.
        return super().get_queryset(request).select_related("citizen")
