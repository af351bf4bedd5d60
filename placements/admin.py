from django.contrib import admin

from .models import Placement


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["citizen", "employer", "kind", "hours_per_week", "start_date", "end_date", "first_flexjob", "retention_flexjob"]
    list_filter = ["kind", "first_flexjob", "retention_flexjob", "permanent", "employer__sector", "citizen__municipality"]
    search_fields = ["employer__name", "employer__cvr", "citizen__last_name"]
    date_hierarchy = "start_date"
    list_select_related = ["citizen", "employer"]
    raw_id_fields = ["citizen", "employer", "opening"]
