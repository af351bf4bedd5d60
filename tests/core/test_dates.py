"""Dates in each language's own patterns (issue 10, point 11): Danish "27. feb. 2026", not
Django's "27. Feb 2026"; English "Wednesday 11 November 2026", not "Wednesday 11. November 2026"."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core import dates

DAY = datetime.date(2026, 2, 27)
MAY = datetime.date(2026, 5, 1)
WEDNESDAY = datetime.datetime(2026, 11, 11, 13, 30, tzinfo=datetime.UTC)  # 14:30 in Copenhagen


@pytest.mark.parametrize(
    "language, function, value, expected",
    [
        ("da", dates.day_short, DAY, "27. feb. 2026"),
        ("da", dates.day_short, MAY, "1. maj 2026"),
        ("da", dates.day_long, DAY, "27. februar 2026"),
        ("da", dates.weekday_long, WEDNESDAY, "onsdag den 11. november 2026"),
        ("da", dates.weekday_moment, WEDNESDAY, "onsdag den 11. november 2026 kl. 14:30"),
        ("da", dates.moment_short, WEDNESDAY, "11. nov. 2026 14:30"),
        ("da", dates.month_year, DAY, "februar 2026"),
        ("da", dates.day_month_short, DAY, "27. feb."),
        ("en", dates.day_short, DAY, "27 Feb 2026"),
        ("en", dates.day_short, MAY, "1 May 2026"),
        ("en", dates.day_long, DAY, "27 February 2026"),
        ("en", dates.weekday_long, WEDNESDAY, "Wednesday 11 November 2026"),
        ("en", dates.weekday_moment, WEDNESDAY, "Wednesday 11 November 2026, 14:30"),
        ("en", dates.moment_long, WEDNESDAY, "11 November 2026, 14:30"),
        ("en", dates.month_year, DAY, "February 2026"),
    ],
)
def test_each_language_writes_dates_its_own_way(settings, language, function, value, expected):
    settings.TIME_ZONE = "Europe/Copenhagen"
    with translation.override(language):
        assert function(value) == expected


@pytest.mark.parametrize("function", [dates.day_short, dates.day_long, dates.moment_long, dates.weekday_long])
def test_nothing_for_no_date(function):
    assert function(None) == ""
    assert function("") == ""


def test_the_filters_are_builtins_and_keep_default_working():
    template = Template('{{ day|day_short }} · {{ none|day_short|default:"–" }} · {{ at|moment_long:"seconds" }}')
    at = datetime.datetime(2026, 3, 1, 9, 5, 7, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen"))
    with translation.override("da"):
        assert template.render(Context({"day": DAY, "none": None, "at": at})) == (
            "27. feb. 2026 · – · 1. marts 2026 kl. 09:05:07"
        )
