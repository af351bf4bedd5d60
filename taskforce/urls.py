"""The site's URLs: each app under its own prefix, plus the start page, the health check,
robots.txt and the favicon, the language switch, the admin and the error handlers."""

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
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
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

# Every error page is ours, in the site's layout and the user's language, with the way on
# (taskforce.views); a stale form's page is CSRF_FAILURE_VIEW, a 405 comes through
# taskforce.middleware.ErrorPageMiddleware.
handler400 = "taskforce.views.bad_request"
handler403 = "taskforce.views.permission_denied"
handler404 = "taskforce.views.page_not_found"
handler500 = "taskforce.views.server_error"
