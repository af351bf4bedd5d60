from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("done/", views.done, name="done"),
    path("snooze/", views.snooze, name="snooze"),
    path("team/", views.team, name="team"),
]
