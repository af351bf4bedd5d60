from django.contrib import admin

from .models import CaseNote, Citizen


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author", "text"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
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


@admin.register(CaseNote)
class CaseNoteAdmin(admin.ModelAdmin):
    list_display = ["citizen", "author", "created_at"]
    list_select_related = ["citizen", "author"]
    search_fields = ["citizen__last_name"]
    readonly_fields = ["citizen", "author", "created_at", "text"]

    # Case notes are append-only: never changed or deleted afterwards.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
