"""The figures stored each night (progress.models.Snapshot): once per target and day, the
same as `manage.py progress --json`, the development they show on the dashboard, and a past
day's status report drawn from them after the placements were corrected."""

import json
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placements.models import Placement
from placements.signals import placements_changed_send
from progress.dashboard import build_dashboard
from progress.models import Snapshot, Target
from progress.services import FutureDayError, snapshots_take
from progress.tasks import snapshot_progress
from tests.documents import pdf_text
from tests.factories import make_target

from .conftest import APRIL_1


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def progress_json(code, day):
    out = StringIO()
    call_command("progress", municipality=code, as_of=day.isoformat(), json=True, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def hired(target, hire, private_employer, public_employer):
    """Three by 1 April: two private (one ended on 1 March), one public; one after."""
    return [
        hire(date(2026, 1, 5), employer=private_employer),
        hire(date(2026, 2, 5), employer=private_employer, end_date=date(2026, 3, 1)),
        hire(date(2026, 3, 5), employer=public_employer),
        hire(date(2026, 4, 2), employer=public_employer),
    ]


# --- Taking them ------------------------------------------------------------------------------

def test_it_stores_the_figures_of_every_target_whose_period_holds_the_day(hired, target, odense):
    odense_target = make_target(odense, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    make_target(odense, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))  # over
    assert snapshots_take(as_of=APRIL_1) == 2
    assert set(Snapshot.objects.values_list("target", "day")) == {(target.pk, APRIL_1), (odense_target.pk, APRIL_1)}


def test_a_second_run_for_the_day_stores_none_and_changes_nothing(hired, target, hire):
    assert snapshots_take(as_of=APRIL_1) == 1
    before = list(Snapshot.objects.values())
    hire(date(2026, 3, 20))  # registered since: the stored day stays as it was
    assert snapshots_take(as_of=APRIL_1) == 0
    assert list(Snapshot.objects.values()) == before
    assert snapshots_take(as_of=APRIL_1 + timedelta(days=1)) == 1


def test_it_stores_what_the_progress_command_prints(hired, target):
    snapshots_take(as_of=APRIL_1)
    stored = Snapshot.objects.get(target=target, day=APRIL_1)
    stored.refresh_from_db()
    assert stored.figures == progress_json(607, APRIL_1)
    assert (stored.figures["new_flex_jobs"], stored.figures["private"], stored.figures["public"]) == (3, 2, 1)


def test_it_stores_a_target_on_its_last_day_and_not_after(fredericia):
    ended = make_target(fredericia, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    assert snapshots_take(as_of=date(2025, 12, 31)) == 1
    assert snapshots_take(as_of=date(2026, 1, 1)) == 0
    assert Snapshot.objects.get().target == ended


def test_it_refuses_a_day_that_has_not_come(target):
    with pytest.raises(FutureDayError):
        snapshots_take(as_of=timezone.localdate() + timedelta(days=1))
    assert not Snapshot.objects.exists()


def test_the_nightly_task_stores_the_day_that_has_just_ended(fredericia):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_target(fredericia, period_start=yesterday - timedelta(days=30), period_end=yesterday + timedelta(days=30))
    assert snapshot_progress() == 1
    assert Snapshot.objects.get().day == yesterday
    assert snapshot_progress(APRIL_1.isoformat()) == 0  # no target then


# --- The command --------------------------------------------------------------------------------

def test_the_command_prints_how_many_it_stored(hired):
    out = StringIO()
    call_command("snapshot_progress", as_of="2026-04-01", stdout=out)
    assert out.getvalue().strip() == "Gemte tallene for 1 mål pr. 2026-04-01."
    out = StringIO()
    call_command("snapshot_progress", as_of="2026-04-01", stdout=out)
    assert out.getvalue().strip() == "Gemte tallene for 0 mål pr. 2026-04-01."


def test_the_command_defaults_to_yesterday(fredericia):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_target(fredericia, period_start=yesterday, period_end=yesterday + timedelta(days=300))
    call_command("snapshot_progress", stdout=StringIO())
    assert Snapshot.objects.get().day == yesterday


@pytest.mark.parametrize("bad", ["2026-13-01", "i går", "", "2026-04-01T00:00"])
def test_the_command_refuses_a_bad_date(hired, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("snapshot_progress", as_of=bad, stdout=StringIO())
    assert not Snapshot.objects.exists()


def test_the_command_refuses_a_day_ahead(hired):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="ikke er kommet"):
        call_command("snapshot_progress", as_of=tomorrow, stdout=StringIO())


# --- A past day's report, reproduced ------------------------------------------------------------

def correct(placements, public_employer):
    """Corrections after the day was stored: the first private one ended in February after
    all, and the second was at the public employer."""
    first, second = placements[0], placements[1]
    Placement.objects.filter(pk=first.pk).update(end_date=date(2026, 2, 28))
    Placement.objects.filter(pk=second.pk).update(employer=public_employer)
    # As every writer of placements does, so the kept figures follow.
    placements_changed_send(municipality_id=first.municipality_id, days={first.start_date, second.start_date})


def test_the_report_of_a_stored_day_shows_the_stored_figures_after_a_correction(
    hired, fredericia, public_employer, django_assert_max_num_queries
):
    snapshots_take(as_of=APRIL_1)
    before = build_dashboard(fredericia, APRIL_1, masked=False)
    correct(hired, public_employer)
    live = build_dashboard(fredericia, APRIL_1, masked=False)
    assert (live.progress.private, live.progress.public, live.progress.still_running) == (1, 2, 1)

    stored = build_dashboard(fredericia, APRIL_1, masked=False, stored=True)
    assert stored.snapshot is not None
    assert stored.progress == before.progress
    assert (stored.progress.private, stored.progress.public, stored.progress.still_running) == (2, 1, 2)
    assert [(r.key, r.value, r.share) for r in stored.rows + stored.hours_rows] == [
        (r.key, r.value, r.share) for r in before.rows + before.hours_rows
    ]
    assert stored.monthly_rows == before.monthly_rows
    assert stored.chart == before.chart
    assert stored.retention == before.retention
    assert stored.employers == before.employers
    assert stored.industries == before.industries
    assert stored.courses == before.courses
    assert stored.forecast == before.forecast


def test_the_pdf_of_a_stored_day_says_what_it_said_then(login, manager, hired, public_employer):
    snapshots_take(as_of=APRIL_1)
    client = login(manager)
    url = reverse("progress:status_pdf")
    then = client.get(url, {"municipality": 607, "as_of": "2026-04-01"})
    correct(hired, public_employer)
    Target.objects.update(title="Omdøbt mål", number=200)
    now = client.get(url, {"municipality": 607, "as_of": "2026-04-01"})
    assert now.status_code == 200
    text = " ".join(pdf_text(now.content).split())
    assert "3 af 164 nye fleksjob (2 %)" in text
    assert "Omdøbt" not in text
    assert "Tallene er gemt" in text
    assert now.context["d"].rows[0].value == then.context["d"].rows[0].value == 2  # private
    # The page and the JSON show the placements as they are now.
    assert client.get(reverse("progress:json"), {"municipality": 607, "as_of": "2026-04-01"}).json()["private"] == 1
    page = client.get(reverse("progress:dashboard"), {"municipality": 607, "as_of": "2026-04-01"})
    page = text_of(page.content.decode())
    assert "3 af 200 nye fleksjob" in page
    assert "Rapporten viser dagens tal, som de blev gemt." in page


def test_a_day_without_stored_figures_is_worked_out_as_today(login, manager, hired, public_employer, fredericia):
    snapshots_take(as_of=APRIL_1)
    correct(hired, public_employer)
    day = APRIL_1 + timedelta(days=1)
    data = build_dashboard(fredericia, day, masked=False, stored=True)
    assert data.snapshot is None
    assert data.progress == build_dashboard(fredericia, day, masked=False).progress
    assert (data.progress.new_flex_jobs, data.progress.private) == (4, 1)
    response = login(manager).get(reverse("progress:status_pdf"), {"municipality": 607, "as_of": day.isoformat()})
    assert response.context["d"].snapshot is None
    assert "Tallene er gemt" not in pdf_text(response.content)


def test_a_leader_sees_stored_figures_by_the_small_number_rule(hired, fredericia, public_employer):
    snapshots_take(as_of=APRIL_1)
    correct(hired, public_employer)
    data = build_dashboard(fredericia, APRIL_1, masked=True, stored=True)
    assert data.snapshot is not None
    assert str(data.new_flex_jobs) == "under 5"
    assert data.development == [] and data.employers == [] and data.monthly_rows == []
    assert all(row.share is None for row in data.rows)


def test_the_progress_json_is_unchanged_by_a_snapshot(login, manager, hired, public_employer):
    snapshots_take(as_of=APRIL_1)
    correct(hired, public_employer)
    from_command = progress_json(607, APRIL_1)
    from_web = login(manager).get(reverse("progress:json"), {"municipality": 607, "as_of": "2026-04-01"}).json()
    assert from_web == from_command
    assert (from_command["private"], from_command["public"]) == (1, 2)


# --- The development on the dashboard -----------------------------------------------------------

def store_days(target, days):
    """Snapshots for `days` with made-up counts (n = the day's position), written directly."""
    for n, day in enumerate(days, start=1):
        Snapshot.objects.create(
            target=target, day=day, tables={},
            figures={"new_flex_jobs": n, "percent": n, "private": n, "still_running": n},
        )


def every_day(start, end):
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def development_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("progress:dashboard"), {"municipality": 607, "as_of": "2026-11-15"})
    assert response.status_code == 200
    return len(queries), response


@pytest.fixture
def long_target(fredericia):
    return Target.objects.create(
        municipality=fredericia, title="To år", number=300, period_start=date(2025, 1, 1), period_end=date(2026, 12, 31)
    )


def test_it_shows_the_month_ends_and_the_latest(login, manager, long_target):
    days = every_day(date(2025, 1, 1), date(2026, 11, 20))
    store_days(long_target, days)
    data = build_dashboard(long_target.municipality, date(2026, 11, 15), masked=False)
    # 13 month ends (October 2025 – October 2026) and the latest up to the day (15 November).
    month_ends = [date(2025, 10, 31), date(2025, 11, 30), date(2025, 12, 31)] + [
        date(2026, month + 1, 1) - timedelta(days=1) for month in range(1, 11)
    ]
    assert [row.day for row in data.development] == [*month_ends, date(2026, 11, 15)]
    assert [row.month_end for row in data.development] == [True] * 13 + [False]
    assert data.development[-1].new_flex_jobs == days.index(date(2026, 11, 15)) + 1


def test_the_page_shows_the_development_table(login, manager, long_target):
    store_days(long_target, [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 14)])
    _queries, response = development_queries(login(manager))
    text = text_of(response.content.decode())
    assert "Udviklingen: de gemte tal ved hvert månedsskifte og senest" in text
    assert "30. september 2026 1 1 % 1 1" in text
    assert "14. november 2026 (senest gemt) 3 3 % 3 3" in text


def test_the_development_costs_one_query_however_many_are_stored(login, manager, long_target):
    client = login(manager)
    store_days(long_target, [date(2026, 10, 31)])
    with_one, _response = development_queries(client)
    Snapshot.objects.all().delete()
    store_days(long_target, every_day(date(2025, 1, 1), date(2026, 11, 30)))
    with_many, response = development_queries(client)
    assert with_one == with_many
    assert len(response.context["d"].development) == 14


def test_it_shows_no_development_without_stored_figures(login, manager, long_target):
    _queries, response = development_queries(login(manager))
    assert response.context["d"].development == []
    assert "Udviklingen" not in response.content.decode()


def test_it_shows_a_leader_no_development(login, leader, long_target):
    store_days(long_target, every_day(date(2026, 10, 1), timezone.localdate()))
    response = login(leader).get(reverse("progress:dashboard"), {"municipality": 607})
    assert response.status_code == 200
    assert response.context["d"].development == []
    assert "Udviklingen" not in response.content.decode()


def test_it_shows_only_the_chosen_targets_development(login, manager, fredericia, long_target):
    earlier = Target.objects.create(
        municipality=fredericia, title="Før", number=10, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )
    store_days(earlier, [date(2024, 10, 31), date(2024, 11, 30)])
    store_days(long_target, [date(2026, 10, 31)])
    data = build_dashboard(fredericia, date(2026, 11, 15), masked=False)
    assert [row.day for row in data.development] == [date(2026, 10, 31)]


def test_the_admin_shows_the_stored_days_read_only(client, admin_user, hired, target):
    snapshots_take(as_of=APRIL_1)
    client.force_login(admin_user)
    snapshot = Snapshot.objects.get()
    assert client.get(reverse("admin:progress_snapshot_changelist")).status_code == 200
    assert client.get(reverse("admin:progress_snapshot_change", args=[snapshot.pk])).status_code == 200
    assert client.get(reverse("admin:progress_snapshot_add")).status_code == 403
    client.post(reverse("admin:progress_snapshot_change", args=[snapshot.pk]), {"day": "2026-04-02"})
    snapshot.refresh_from_db()
    assert snapshot.day == APRIL_1


def test_a_stored_day_without_the_reports_tables_is_worked_out(hired, target, fredericia):
    figures = {**progress_json(607, APRIL_1), "new_flex_jobs": 99}
    Snapshot.objects.create(target=target, day=APRIL_1, figures=figures, tables={})
    data = build_dashboard(fredericia, APRIL_1, masked=False, stored=True)
    assert data.snapshot is None and data.progress.new_flex_jobs == 3
