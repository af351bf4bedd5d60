from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_page, name="index"),
    path("citizens/", views.citizens_upload, name="citizens"),
    path("placements/", views.placements_upload, name="placements"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
]
