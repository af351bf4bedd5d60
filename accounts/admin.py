from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Municipality


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "municipality"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class TaskForceUserAdmin(UserAdmin):
    """Django's user admin, with the two ways an admin helps a user who is stuck: lifting a
    login lockout (django-axes) and resetting two-factor authentication so they enrol anew."""

    actions = ["unlock_login", "reset_two_factor"]

    @admin.action(description=gettext_lazy("Ophæv spærring af log ind"))
    def unlock_login(self, request, queryset):
        """Lift the lock on the users' accounts and on the addresses they failed from. (An
        address locked by others' attempts is lifted under Axes › Adgangsforsøg.)"""
        usernames = [user.get_username() for user in queryset]
        addresses = set(
            AccessAttempt.objects.filter(username__in=usernames).values_list("ip_address", flat=True)
        )
        lifted = sum(axes_reset(username=name) for name in usernames)
        lifted += sum(axes_reset(ip=address) for address in addresses if address)
        self.message_user(request, _("Spærringen er ophævet (%(count)d registrerede forsøg slettet).") % {"count": lifted})

    @admin.action(description=gettext_lazy("Nulstil totrinsbekræftelse"))
    def reset_two_factor(self, request, queryset):
        TOTPDevice.objects.filter(user__in=queryset).delete()
        self.message_user(request, _("Totrinsbekræftelsen er nulstillet; brugeren tilmelder en ny app ved næste log ind."))
