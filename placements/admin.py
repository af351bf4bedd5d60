from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.admin_logging import AccessLoggedAdminMixin
from citizens.models import Citizen

from .models import FollowUp, Placement
from .signals import placements_changed_send

# The admin's choice of citizen for a placement: one that exists and is not anonymised.
CITIZEN_NOT_AVAILABLE = _("Vælg en borger, der findes og ikke er anonymiseret.")


class PlacementAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        citizen, employer = cleaned.get("citizen"), cleaned.get("employer")
        if citizen and employer and citizen.municipality_id != employer.municipality_id:
            raise forms.ValidationError(_("Borger og virksomhed skal høre til samme kommune."))
        return cleaned


class FollowUpInline(admin.TabularInline):
    """The placement's follow-ups, to read: they are planned by placements.services and
    recorded from the placement's page, where the access is logged and reminders resolved."""

    model = FollowUp
    extra = 0
    fields = ["kind", "months", "due_on", "done_on", "outcome", "note", "done_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("done_by")


@admin.register(Placement)
class PlacementAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = ["citizen", "employer", "kind", "hours_per_week", "start_date", "end_date", "first_flexjob", "retention_flexjob"]
    list_filter = ["kind", "first_flexjob", "retention_flexjob", "permanent", "employer__sector", "municipality"]
    search_fields = ["employer__name", "employer__cvr", "citizen__last_name"]
    date_hierarchy = "start_date"
    list_select_related = ["citizen", "employer"]
    raw_id_fields = ["citizen", "employer", "opening"]
    form = PlacementAdminForm

    def save_model(self, request, obj, form, change):
        # The placement belongs where its citizen does (the composite keys of migration 0008).
        was = (
            Placement.objects.filter(pk=obj.pk).values_list("municipality_id", "start_date", "employer_id").first()
            if change else None
        )
        obj.municipality_id = obj.citizen.municipality_id
        obj.refresh_in_target_group()
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if was and was[0] != obj.municipality_id:
                placements_changed_send(municipality_id=was[0], days={was[1]})
            placements_changed_send(
                municipality_id=obj.municipality_id, days={obj.start_date, was and was[1]},
                employer_ids={obj.employer_id, was and was[2]},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            placements_changed_send(municipality_id=obj.municipality_id, days={obj.start_date}, employer_ids={obj.employer_id})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rows = list(queryset.values_list("municipality_id", "start_date", "employer_id"))
            super().delete_queryset(request, queryset)
            for municipality_id in {m for m, _day, _employer in rows}:
                placements_changed_send(
                    municipality_id=municipality_id,
                    days={day for m, day, _employer in rows if m == municipality_id},
                    employer_ids={employer for m, _day, employer in rows if m == municipality_id},
                )

    def get_inlines(self, request, obj):
        # Follow-ups are planned once a placement exists: none to show on the add page.
        return [FollowUpInline] if obj is not None else []

    def get_queryset(self, request):
        # The page of one placement names its citizen, and the log records whose it was. (The
        # list's list_select_related is not applied once this selects anything: hence both.)
        return super().get_queryset(request).select_related("citizen", "employer")

    def has_change_permission(self, request, obj=None):
        # An anonymised citizen's placements are shown, never changed.
        if obj is not None and obj.citizen.is_anonymised:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "citizen":
            # Nothing new about an anonymised citizen: no placement is registered for one, nor moved to one.
            kwargs["queryset"] = Citizen.objects.filter(anonymised_at__isnull=True)
            kwargs["error_messages"] = {"invalid_choice": CITIZEN_NOT_AVAILABLE}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
