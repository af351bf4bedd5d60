from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("dashboard/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("dashboard/status.pdf", views.status_report, name="status_pdf"),
    path("progress.json", views.progress_json, name="json"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
]
