from django.urls import path

from . import views

app_name = "placements"
urlpatterns = [
    path("new/citizen/<int:citizen_pk>/", views.placement_create_for_citizen, name="create_for_citizen"),
    path("new/citizen/<int:citizen_pk>/openings/", views.openings_for_citizen, name="openings_for_citizen"),
    path("new/employer/<int:employer_pk>/", views.placement_create_for_employer, name="create_for_employer"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/edit/", views.placement_edit, name="edit"),
    path("<int:pk>/edit/openings/", views.openings_for_placement, name="openings_for_placement"),
    path("<int:pk>/end/", views.placement_end, name="end"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/", views.followup_record, name="followup_record"),
]
