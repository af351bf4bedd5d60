from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "number", "period_start", "period_end", "target_group_only"]
    list_filter = ["municipality", "target_group_only"]
    search_fields = ["title"]
