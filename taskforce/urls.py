from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("citizens/", include("citizens.urls")),
    path("employers/", include("employers.urls")),
    path("placements/", include("placements.urls")),
    path("courses/", include("courses.urls")),
    path("", include("progress.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
