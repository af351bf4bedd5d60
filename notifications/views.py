"""The notifications page (the user's reminders, newest first, marked read as they are shown),
"mark all read", and the choice of a daily e-mail digest. Every signed-in user has these:
a reminder names no citizen, only what is due and where the work is done."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import CappedPaginator
from . import services
from .forms import PreferenceForm
from .models import Notification, Preference

PAGE_SIZE = 25


@require_GET
def notification_list(request):
    page = CappedPaginator(Notification.objects.filter(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # Shown as unread this once; the bell, drawn after, counts them read.
    unread = [notification.pk for notification in page.object_list if notification.read_at is None]
    if unread:
        services.notifications_mark_read(user=request.user, ids=unread)
    return render(request, "notifications/list.html", {"page": page, "unread": set(unread)})


@require_POST
def mark_all_read(request):
    if services.notifications_mark_read(user=request.user):
        messages.success(request, _("Alle påmindelser er markeret som læst."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, daily_digest=form.cleaned_data["daily_digest"])
        messages.success(request, _("Dit valg er gemt."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
