from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="list"),
    path("new/", views.employer_create, name="create"),
    path("choose/", views.employer_choose, name="choose"),
    path("mine/", views.my_company, name="mine"),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/edit/", views.employer_edit, name="edit"),
    path("<int:pk>/openings/new/", views.opening_create, name="opening_create"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
]
