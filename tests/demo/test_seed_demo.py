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
from progress.dashboard import build_dashboard
from progress.models import Target
from taskforce.management.commands.seed_demo import demo_year
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


def fredericia_on_1_april():
    out = StringIO()
    call_command("progress", municipality=607, as_of=f"{demo_year(timezone.localdate())}-04-01", json=True, stdout=out)
    figures = json.loads(out.getvalue())
    return figures["target"], figures["new_flex_jobs"], figures["private"], figures["public"]


def test_it_reproduces_fredericias_figures_on_1_april(seeded):
    assert fredericia_on_1_april() == (164, 50, 39, 11)


@pytest.mark.parametrize(
    "today, year",
    [
        (date(2027, 1, 2), 2026),
        (date(2027, 3, 15), 2026),
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2026, 12, 1), 2026),
        (date(2028, 2, 29), 2027),
    ],
)
def test_the_demo_year_is_the_latest_whose_1_april_has_passed(today, year):
    assert demo_year(today) == year


FROZEN_DAYS = {"january": (1, 15), "march": (3, 31), "1 april": (4, 1), "december": (12, 1)}


@pytest.mark.parametrize("day", FROZEN_DAYS)
def test_it_gives_50_of_164_39_private_as_of_1_april_and_more_up_to_today_on_any_day_of_the_year(
    db, settings, monkeypatch, day
):
    settings.DEBUG = True
    today = date(timezone.localdate().year, *FROZEN_DAYS[day])
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    seed()
    assert fredericia_on_1_april() == (164, 50, 39, 11)
    april_1 = date(demo_year(today), 4, 1)
    target = Target.objects.get(municipality__code=607)
    assert target.period_start == date(april_1.year, 1, 1) <= today
    # More after 1 April, up to today: one a day while there are fewer days since than flex jobs to come.
    counted = Placement.objects.filter(citizen__municipality__code=607, kind=Placement.Kind.FLEXJOB)
    assert counted.filter(start_date__gt=april_1, start_date__lte=today).count() == min(24, (today - april_1).days)
    assert not counted.filter(start_date__gt=today).exists()
    # The day's dashboard shows that target as of today, 1 April's 50 and those after in its period.
    data = build_dashboard(Municipality.objects.get(code=607), today, masked=False)
    in_period = counted.filter(start_date__gt=april_1, start_date__lte=min(today, target.period_end)).count()
    assert data.target == target and data.progress.new_flex_jobs == 50 + in_period


def test_a_run_on_a_later_day_adds_only_the_flex_jobs_there_are_now_days_for(db, settings, monkeypatch):
    settings.DEBUG = True
    year = timezone.localdate().year
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year, 4, 11))
    seed()
    before = model_counts()
    placed = set(Placement.objects.values_list("citizen_id", "kind"))
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year, 12, 1))
    seed()
    after = model_counts()
    counted = Placement.objects.filter(citizen__municipality__code=607, kind=Placement.Kind.FLEXJOB)
    assert counted.filter(start_date__gt=date(year, 4, 1)).count() == 24
    assert after["placements.Placement"] == before["placements.Placement"] + 24 - 10
    assert after["citizens.Citizen"] == before["citizens.Citizen"] + 24 - 10
    # Each citizen keeps one placement of a kind: nobody already placed gets a second one.
    assert len(set(Placement.objects.values_list("citizen_id", "kind"))) == after["placements.Placement"]
    assert placed <= set(Placement.objects.values_list("citizen_id", "kind"))


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


# 2 April, 15 January and 31 March (before the year's 1 April), and each day of a week in September
@pytest.mark.parametrize("weekday", ["2 april", "15 january", "31 march", *range(7)])
def test_each_demo_consultant_has_items_overdue_due_this_week_and_done_on_any_day(db, settings, monkeypatch, weekday):
    from datetime import timedelta

    from placements.models import FollowUp

    settings.DEBUG = True
    year = timezone.localdate().year
    if isinstance(weekday, str):
        today = {"2 april": date(year, 4, 2), "15 january": date(year, 1, 15), "31 march": date(year, 3, 31)}[weekday]
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
