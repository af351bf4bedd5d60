"""The site's URLs: each app under its own prefix, plus the start page, the health check,
the language switch and the admin."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import LogoutView as AccountsLogoutView
from citizens.selectors import audit_directory

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("citizens/", include("citizens.urls")),
    path("employers/", include("employers.urls")),
    path("placements/", include("placements.urls")),
    path("courses/", include("courses.urls")),
    path("imports/", include("imports.urls")),
    path("audit/", include("audit.urls"), {"citizens": audit_directory}),  # audit sits below citizens: handed in
    path("taskforce/", include("workspace.urls")),
    path("tasks/", include("worklist.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("progress.urls")),
    # The language switch works before login too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin's log-out is ours too, so it also clears the site's data in the browser.
    path("admin/logout/", AccountsLogoutView.as_view(), name="admin_logout"),
    path("admin/", admin.site.urls),
]

# 403, 404 and 400 use Django's handlers with our templates (403.html, 404.html); the 500
# page is rendered with the request so it has the site's layout and the user's language.
handler500 = "taskforce.views.server_error"
