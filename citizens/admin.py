from django.contrib import admin
from django.db import transaction
from django.utils import timezone

from audit.admin_logging import AccessLoggedAdminMixin
from audit.models import AccessLog, Purpose
from audit.services import access_log_record

from .forms import CitizenAdminForm
from .models import CaseNote, Citizen
from .services import citizen_status_columns


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author", "text"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Citizen)
class CitizenAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    form = CitizenAdminForm
    list_display = ["full_name", "cpr_masked", "municipality", "status", "unemployed_since", "consultant"]
    list_filter = ["municipality", "status", "consent_to_share_profile"]
    search_fields = ["first_name", "last_name"]
    list_select_related = ["municipality", "consultant"]
    readonly_fields = ["cpr_masked", "created_at", "updated_at"]
    autocomplete_fields = ["consultant"]
    inlines = [CaseNoteInline]

    @admin.display(description="CPR")
    def cpr_masked(self, obj):
        return obj.cpr_masked

    def get_readonly_fields(self, request, obj=None):
        # As on the consultant's form: a citizen stays in their municipality, with their
        # placements (which carry it: placements migration 0008), notes and enrolments.
        return [*self.readonly_fields, "municipality"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # An anonymised citizen is shown, never changed: what retention blanked stays blank.
        if obj is not None and obj.is_anonymised:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The form checks a status chosen here against the placements (StatusByHandMixin); what
        # follows from a change is derived as the consultant's edit derives it (citizens.services).
        action = AccessLog.Action.UPDATE if change else AccessLog.Action.CREATE
        if "status" in form.changed_data and "case_closed_on" not in form.changed_data:
            obj.case_closed_on = citizen_status_columns(obj.status, timezone.localdate())["case_closed_on"]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "unemployed_since" in form.changed_data:
                obj.placements.refresh_in_target_group()
            access_log_record(user=request.user, action=action, obj=obj, purpose=Purpose.ADMINISTRATION)


@admin.register(CaseNote)
class CaseNoteAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = ["citizen", "author", "created_at"]
    list_select_related = ["citizen", "author"]
    search_fields = ["citizen__last_name"]
    readonly_fields = ["citizen", "author", "created_at", "text"]

    def get_queryset(self, request):
        # The page of one note names its citizen, and the log records whose note it was.
        return super().get_queryset(request).select_related("citizen")

    # Case notes are append-only: never changed or deleted afterwards. They are written from
    # the citizen's page, where the author is set and the access is logged.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
