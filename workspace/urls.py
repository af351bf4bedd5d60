"""The workspace's URLs, under /taskforce/ (the paths the task force has always had)."""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.task_force_list, name="list"),
    path("<int:pk>/", views.workspace_home, name="home"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/employers/", views.employer_choose, name="employer_choose"),
    path("<int:pk>/workshops/", views.workshops, name="workshops"),
    path("<int:pk>/workshops/<int:workshop_pk>/", views.workshop_detail, name="workshop"),
    path("<int:pk>/workshops/<int:workshop_pk>/register/", views.workshop_register, name="workshop_register"),
    path("<int:pk>/workshops/<int:workshop_pk>/attendance/", views.workshop_attendance, name="workshop_attendance"),
    path("<int:pk>/workshops/<int:workshop_pk>/workshop.ics", views.workshop_calendar, name="workshop_ics"),
    path("<int:pk>/vision/", views.vision, name="vision"),
    path("<int:pk>/vision/<int:version_pk>/adopt/", views.vision_adopt, name="vision_adopt"),
    path("<int:pk>/solutions/", views.solutions, name="solutions"),
    path("<int:pk>/solutions/<int:solution_pk>/", views.solution_detail, name="solution"),
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("<int:pk>/ranking/open/", views.round_open, name="round_open"),
    path("<int:pk>/ranking/<int:round_pk>/close/", views.round_close, name="round_close"),
    path("<int:pk>/ranking/<int:round_pk>/solutions/<int:solution_pk>/score/", views.score, name="score"),
    path("<int:pk>/actions/", views.actions, name="actions"),
    path("<int:pk>/actions/export.csv", views.action_plan_export, {"fmt": "csv"}, name="actions_csv"),
    path("<int:pk>/actions/export.pdf", views.action_plan_export, {"fmt": "pdf"}, name="actions_pdf"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_detail, name="action"),
    path("<int:pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/actions/<int:action_pk>/contributions/", views.contribution_add, name="contribution_add"),
    path("<int:pk>/actions/<int:action_pk>/pledges/", views.pledge_add, name="pledge_add"),
    path("<int:pk>/pledges/<int:pledge_pk>/open/", views.pledge_open, name="pledge_open"),
    path("<int:pk>/candidates/", views.candidates, name="candidates"),
    path("<int:pk>/candidates/<str:token>/", views.candidate, name="candidate"),
    path("<int:pk>/requests/", views.meeting_requests, name="requests"),
    path("<int:pk>/requests/<int:request_pk>/handled/", views.meeting_request_handled, name="request_handled"),
    path("<int:pk>/invitations/<int:invitation_pk>/approve/", views.invitation_approve, name="invitation_approve"),
    path("<int:pk>/invitations/<int:invitation_pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    # The e-mailed link (a bearer token) and the page it leads to, which has no token in its path.
    path("invitations/accept/", views.accept_invitation, name="accept_invitation"),
    path("invitations/<str:token>/", views.invitation_link, name="invitation_link"),
]
