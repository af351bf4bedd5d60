"""The workspace's records in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    Contribution,
    Invitation,
    MeetingRequest,
    Member,
    Pledge,
    RankingRound,
    Solution,
    TaskForce,
    VisionVersion,
    Workshop,
)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    autocomplete_fields = ["user"]
    raw_id_fields = ["employer"]


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "facilitator_organisation"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "task_force", "starts_at", "place"]
    list_filter = ["task_force"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"


@admin.register(VisionVersion)
class VisionVersionAdmin(admin.ModelAdmin):
    list_display = ["task_force", "author", "created_at", "adopted", "adopted_on"]
    list_select_related = ["task_force", "author__user"]
    list_filter = ["task_force", "adopted"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "task_force", "proposed_by", "created_at"]
    list_select_related = ["task_force", "proposed_by__user"]
    list_filter = ["task_force"]
    search_fields = ["title", "description"]


@admin.register(RankingRound)
class RankingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "task_force", "status", "dot_budget", "opened_at", "closed_at"]
    list_filter = ["task_force", "status"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "task_force", "owner", "due_date", "status", "progress"]
    list_select_related = ["task_force", "owner__user"]
    list_filter = ["task_force", "status"]
    search_fields = ["title"]
    inlines = [ContributionInline]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["action", "member", "opening", "positions"]
    list_select_related = ["action", "member__user", "opening__employer"]
    raw_id_fields = ["opening"]

    @admin.display(description=_("stillinger"), ordering="opening__positions")
    def positions(self, pledge):
        return pledge.opening.positions


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made, approved and withdrawn on the task force's members page, where
    the rules are: here an admin reads them, and may delete one that should not be used."""

    list_display = ["email", "task_force", "kind", "created_at", "approved_at", "accepted_at"]
    list_filter = ["kind", "task_force"]
    list_select_related = ["task_force"]
    search_fields = ["email", "first_name", "last_name"]
    fields = ["task_force", "email", "first_name", "last_name", "kind", "employer", "invited_by", "created_at",
              "approved_by", "approved_at", "accepted_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["member", "created_at", "handled_at"]
    list_select_related = ["member__user"]
    raw_id_fields = ["citizen"]
