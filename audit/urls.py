"""The log's pages. Mounted by the project's URLconf with the citizens' directory as the
extra argument `citizens` (taskforce/urls.py), which every view here receives."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.access_log_search, name="search"),
    path("citizens/<int:citizen_id>/report/", views.access_report, name="report"),
    path("sign-ins/", views.sign_in_events, name="sign_ins"),
]
