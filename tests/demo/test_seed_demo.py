"""`manage.py seed_demo`: the five demo users and the data of SPEC.md's two real cases."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Municipality
from employers.models import Employer
from placements.models import Placement
from workspace.models import TaskForce

PASSWORD = "taskforce-demo"


def seed():
    call_command("seed_demo", stdout=StringIO())


def model_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    seed()


def test_it_changes_nothing_when_run_twice(seeded):
    fields = ("citizen_id", "employer_id", "kind", "hours_per_week", "start_date", "end_date", "in_target_group")
    counts = model_counts()
    placements = sorted(Placement.objects.values_list(*fields))
    seed()
    assert model_counts() == counts
    assert sorted(Placement.objects.values_list(*fields)) == placements
    assert counts["placements.Placement"] > 0 and counts["citizens.Citizen"] > 0


START_PAGES = {
    "konsulent": "/tasks/",
    "konsulent-odense": "/tasks/",
    # A leader who is a member of a task force lands in its workspace, which shows their
    # company and its openings too.
    "leder": "/taskforce/1/",
    "chef": "/dashboard/",
    "admin": "/dashboard/",
}


def test_it_creates_demo_users_who_log_in_to_their_start_page(seeded, client):
    for username, start_page in START_PAGES.items():
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD}, follow=True)
        assert response.status_code == 200, username
        expected = start_page if username != "leder" else f"/taskforce/{TaskForce.objects.get().pk}/"
        assert response.redirect_chain[-1][0] == expected, username
        assert response.wsgi_request.user.username == username
        client.logout()


def test_it_gives_the_leader_the_company_with_its_pledge(seeded, client):
    client.post("/accounts/login/", {"username": "leder", "password": PASSWORD})
    for page in ("/employers/mine/", client.get("/", follow=True).redirect_chain[-1][0]):
        html = client.get(page).content.decode()
        assert "Lillebælt Byg ApS" in html, page
        assert "Mini-fleksjob som pedelmedhjælper" in html, page


def test_it_does_not_reset_a_changed_demo_password(seeded, django_user_model):
    user = django_user_model.objects.get(username="konsulent")
    user.set_password("changed-by-the-user-1")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user-1")


def test_it_reproduces_fredericias_figures_on_1_april(seeded):
    out = StringIO()
    year = timezone.localdate().year
    call_command("progress", municipality=607, as_of=f"{year}-04-01", json=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert (figures["target"], figures["new_flex_jobs"], figures["private"], figures["public"]) == (164, 50, 39, 11)


def test_it_adds_more_fredericia_flex_jobs_after_1_april_up_to_today(seeded):
    today = timezone.localdate()
    april_1 = date(today.year, 4, 1)
    if (today - april_1).days < 24:
        pytest.skip("seed_demo adds flex jobs after 1 April only once there are days for them")
    counted = Placement.objects.filter(citizen__municipality__code=607, kind=Placement.Kind.FLEXJOB)
    assert counted.filter(start_date__gt=april_1, start_date__lte=today).count() == 24
    assert not counted.filter(start_date__gt=today).exists()


def test_it_gives_odense_23_mini_flex_jobs_at_ok_fonden(seeded):
    odense = Municipality.objects.get(code=461)
    placements = Placement.objects.filter(citizen__municipality=odense, kind=Placement.Kind.FLEXJOB)
    assert placements.count() == 23
    assert all(Decimal(4) <= p.hours_per_week <= Decimal(6) for p in placements)
    assert all(p.is_mini_flexjob for p in placements)
    employers = Employer.objects.filter(placements__in=placements).distinct()
    assert sorted(e.name for e in employers) == [
        "OK-Fonden, plejehjemmet Dyruphus",
        "OK-Fonden, plejehjemmet Gurli-Vibeke",
    ]
    assert all(e.social_economic and e.sector == Employer.Sector.PRIVATE for e in employers)
    assert odense.citizens.count() == 25


def test_it_refuses_to_run_when_debug_is_off(db, settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not django_user_model.objects.exists()
    assert not Placement.objects.exists()


def test_it_runs_with_force_when_debug_is_off(db, settings, django_user_model):
    settings.DEBUG = False
    call_command("seed_demo", force=True, stdout=StringIO())
    assert django_user_model.objects.filter(username="admin", is_superuser=True).exists()


def test_it_changes_no_placement_when_run_again_on_a_later_day(db, settings, monkeypatch):
    settings.DEBUG = True
    year = timezone.localdate().year
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year, 9, 1))
    seed()
    before = model_counts()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year, 10, 15))
    seed()
    # A later day has its own morning reminders and snapshots; nothing else is added.
    per_day = ("worklist.ReminderRun", "notifications.Notification", "progress.Snapshot")
    after = model_counts()
    assert after["worklist.ReminderRun"] == before["worklist.ReminderRun"] + 1
    assert {k: v for k, v in after.items() if k not in per_day} == {k: v for k, v in before.items() if k not in per_day}
    for placement in Placement.objects.all():
        assert not Placement.objects.overlapping(
            citizen=placement.citizen,
            employer=placement.employer,
            start_date=placement.start_date,
            end_date=placement.end_date,
            exclude_pk=placement.pk,
        ).exists()


@pytest.mark.parametrize("weekday", [None, *range(7)])  # 2 April, and each day of a week in September
def test_each_demo_consultant_has_items_overdue_due_this_week_and_done_on_any_day(db, settings, monkeypatch, weekday):
    from datetime import timedelta

    from placements.models import FollowUp

    settings.DEBUG = True
    year = timezone.localdate().year
    if weekday is None:
        today = date(year, 4, 2)
    else:
        first = date(year, 9, 1)
        today = first + timedelta(days=(7 - first.weekday()) % 7 + weekday)
        assert today.weekday() == weekday
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    seed()
    sunday = today + timedelta(days=6 - today.weekday())
    for username in ("konsulent", "konsulent-odense"):
        follow_ups = FollowUp.objects.filter(placement__citizen__consultant__username=username)
        open_ = follow_ups.filter(done_on__isnull=True)
        assert open_.filter(due_on__lt=today).exists(), (username, today, "overdue")
        assert open_.filter(due_on__gte=today, due_on__lte=sunday).exists(), (username, today, "this week")
        assert follow_ups.filter(done_on__isnull=False).exists(), (username, today, "done")
