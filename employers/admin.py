from django.contrib import admin
from django.db import transaction

from .models import ContactPerson, Employer, JobTask, Opening
from .signals import COUNTED_FIELDS, employer_counting_changed


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class OpeningInline(admin.TabularInline):
    model = Opening
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr", "municipality", "sector", "social_economic", "size", "industry", "last_contact"]
    list_filter = ["municipality", "sector", "social_economic", "size"]
    search_fields = ["name", "cvr", "industry"]
    list_select_related = ["municipality"]
    filter_horizontal = ["leaders"]
    inlines = [ContactInline, OpeningInline]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and set(form.changed_data) & set(COUNTED_FIELDS):
                # Figures counted by sector, size or industry are counted again (progress.figures).
                employer_counting_changed.send(sender=None, employer=obj)


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "hours_min", "hours_max", "positions", "from_task_force", "is_open"]
    list_filter = ["from_task_force", "is_open", "employer__municipality"]
    search_fields = ["title", "employer__name"]
    list_select_related = ["employer"]


@admin.register(JobTask)
class JobTaskAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
