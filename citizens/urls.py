from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("", views.citizen_list, name="list"),
    path("new/", views.citizen_create, name="create"),
    path("<int:pk>/", views.citizen_detail, name="detail"),
    path("<int:pk>/edit/", views.citizen_edit, name="edit"),
    path("<int:pk>/cpr/", views.citizen_reveal_cpr, name="reveal_cpr"),
    path("<int:pk>/notes/", views.case_note_add, name="add_note"),
]
