"""The forecast, retention after 3/6/12 months, the monthly counts and the per-employer and
per-industry tables."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from progress.counting import (
    by_employer,
    by_industry,
    forecast_for,
    monthly_counts,
    progress_for,
    retention,
)
from progress.models import Target
from tests.factories import make_employer

from .conftest import APRIL_1, PERIOD_END, PERIOD_START


@pytest.fixture
def no_progress(target):
    return progress_for(target, APRIL_1)


def with_count(progress, n, as_of=APRIL_1):
    return replace(progress, new_flex_jobs=n, as_of=as_of)


def test_it_gives_the_pace_so_far_per_month(no_progress):
    # 50 in the 91 days from 1 January to 1 April.
    assert forecast_for(with_count(no_progress, 50)).pace_per_month == round(50 / 91 * 30.4375, 1) == 16.7


def test_it_gives_the_date_the_target_is_reached_at_the_pace_so_far(no_progress):
    forecast = forecast_for(with_count(no_progress, 50))
    # 164 at 50 per 91 days takes 298 days: the 298th day of the period.
    assert forecast.reached_on == PERIOD_START + timedelta(days=297) == date(2026, 10, 25)
    assert forecast.on_track is True


def test_it_says_how_many_a_month_are_needed_from_now(no_progress):
    forecast = forecast_for(with_count(no_progress, 50))
    # 114 remain over the 274 days from 1 April to 31 December.
    assert forecast.needed_per_month == round(114 / (274 / 30.4375), 1) == 12.7
    assert forecast.months_left == 9.0


def test_it_is_not_on_track_when_the_pace_reaches_the_target_after_the_period(no_progress):
    forecast = forecast_for(with_count(no_progress, 20))
    assert forecast.reached_on > PERIOD_END
    assert forecast.on_track is False
    assert forecast.needed_per_month == round(144 / (274 / 30.4375), 1)


def test_it_is_on_track_when_the_target_is_already_reached(no_progress):
    forecast = forecast_for(with_count(no_progress, 170))
    assert forecast.on_track is True
    assert forecast.reached_on == APRIL_1
    assert forecast.needed_per_month == 0


def test_it_has_no_date_or_pace_when_nothing_is_counted_yet(no_progress):
    forecast = forecast_for(no_progress)
    assert (forecast.pace_per_month, forecast.reached_on, forecast.on_track) == (0, None, False)
    assert forecast.needed_per_month == round(164 / (274 / 30.4375), 1)


def test_it_needs_nothing_more_a_month_after_the_period(no_progress):
    forecast = forecast_for(with_count(no_progress, 100, as_of=date(2027, 2, 1)))
    assert forecast.needed_per_month is None
    assert forecast.months_left == 0
    assert forecast.pace_per_month == round(100 / 365 * 30.4375, 1)
    assert forecast.on_track is False


def test_it_forecasts_nothing_before_the_period_begins(no_progress):
    forecast = forecast_for(with_count(no_progress, 0, as_of=date(2025, 12, 1)))
    assert (forecast.pace_per_month, forecast.reached_on) == (0, None)


@pytest.fixture
def two_year_target(fredericia):
    return Target.objects.create(
        municipality=fredericia, title="2025–26", number=100, period_start=date(2025, 1, 1), period_end=PERIOD_END
    )


def test_it_counts_who_is_still_in_their_job_3_6_and_12_months_after_starting(two_year_target, hire):
    as_of = date(2026, 6, 30)
    hire(date(2025, 1, 10))  # still running: in job after 3, 6 and 12 months
    hire(date(2025, 3, 1), end_date=date(2025, 5, 15))  # left before 3 months
    hire(date(2025, 6, 1), end_date=date(2025, 9, 1))  # ended on the day 3 months were up
    hire(date(2026, 3, 31))  # 3 months are up exactly on the as-of date
    hire(date(2026, 5, 1))  # too recent for any
    figures = {r.months: (r.eligible, r.still_in_job, r.percent) for r in retention(two_year_target, as_of)}
    assert figures == {3: (4, 3, 75), 6: (3, 1, 33), 12: (3, 1, 33)}


def test_it_has_no_retention_percentage_without_anyone_eligible(target, hire):
    hire(date(2026, 3, 1))
    assert [(r.eligible, r.percent) for r in retention(target, APRIL_1)] == [(0, None)] * 3


def test_it_counts_per_month_with_empty_months_included(target, hire):
    hire(date(2026, 1, 1))
    hire(date(2026, 1, 31))
    hire(date(2026, 3, 15))
    hire(APRIL_1)
    hire(APRIL_1 + timedelta(days=1))  # after the as-of date
    assert monthly_counts(target, APRIL_1) == [
        (date(2026, 1, 1), 2),
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 1),
        (date(2026, 4, 1), 1),
    ]


def test_it_counts_every_month_of_the_period_after_it_ends(target, hire):
    hire(date(2026, 12, 31))
    months = monthly_counts(target, date(2027, 6, 1))
    assert len(months) == 12
    assert months[-1] == (date(2026, 12, 1), 1)


def test_it_has_no_months_before_the_period_begins(target):
    assert monthly_counts(target, date(2025, 12, 31)) == []


def test_it_counts_per_employer_with_those_still_running(target, hire, private_employer, public_employer):
    hire(employer=public_employer)
    hire(employer=public_employer, end_date=date(2026, 3, 1))
    hire(employer=private_employer)
    rows = [(r["employer__name"], r["n"], r["running"]) for r in by_employer(target, APRIL_1)]
    assert rows == [("Fredericia Kommune, Ældreplejen", 2, 1), ("Lillebælt Byg ApS", 1, 1)]


def test_it_keeps_two_employers_of_the_same_name_apart(target, hire, fredericia):
    for _ in range(2):
        hire(employer=make_employer(fredericia, name="Netto"))
    assert [r["n"] for r in by_employer(target, APRIL_1)] == [1, 1]


def test_it_counts_per_industry(target, hire, fredericia, private_employer, public_employer):
    hire(employer=public_employer)
    hire(employer=make_employer(fredericia, name="Plejehjemmet Kastanjehaven", industry="Pleje"))
    hire(employer=private_employer)
    hire(employer=make_employer(fredericia, name="Uden branche", industry=""))
    assert [(r["employer__industry"], r["n"]) for r in by_industry(target, APRIL_1)] == [
        ("Pleje", 2),
        ("", 1),
        ("Byggeri", 1),
    ]
