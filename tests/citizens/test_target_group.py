"""The task force's target group: unemployed for more than one continuous year."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from citizens.models import Citizen
from tests.factories import make_citizen

ON = date(2026, 3, 1)


@pytest.mark.parametrize(
    "unemployed_since, expected",
    [
        (None, False),
        (date(2026, 3, 1), False),  # since today
        (date(2025, 6, 1), False),
        (date(2025, 3, 2), False),  # a day short of a year
        (date(2025, 3, 1), False),  # exactly one year
        (date(2025, 2, 28), True),  # one year and a day
        (date(2018, 3, 1), True),  # eight years, like some of Odense's citizens
    ],
)
def test_it_counts_only_more_than_one_continuous_year(unemployed_since, expected):
    citizen = Citizen(unemployed_since=unemployed_since)
    assert citizen.is_in_target_group(ON) is expected


def test_it_handles_a_leap_day(fredericia):
    since_leap_day = Citizen(unemployed_since=date(2024, 2, 29))
    assert since_leap_day.is_in_target_group(date(2025, 2, 28)) is False
    assert since_leap_day.is_in_target_group(date(2025, 3, 1)) is True


def test_it_uses_today_by_default():
    today = timezone.localdate()
    assert Citizen(unemployed_since=today - timedelta(days=400)).is_in_target_group() is True
    assert Citizen(unemployed_since=today - timedelta(days=300)).is_in_target_group() is False


def test_it_filters_the_target_group_in_the_database_as_the_method_decides(fredericia):
    citizens = [
        make_citizen(fredericia, unemployed_since=since)
        for since in [None, date(2026, 3, 1), date(2025, 3, 2), date(2025, 3, 1), date(2025, 2, 28), date(2018, 3, 1)]
    ]
    inside = {c.pk for c in citizens if c.is_in_target_group(ON)}
    outside = {c.pk for c in citizens if not c.is_in_target_group(ON)}
    assert len(inside) == 2
    assert set(Citizen.objects.in_target_group(ON).values_list("pk", flat=True)) == inside
    assert set(Citizen.objects.not_in_target_group(ON).values_list("pk", flat=True)) == outside


def test_it_counts_whole_months_of_unemployment():
    assert Citizen(unemployed_since=date(2024, 1, 15)).unemployed_months(date(2026, 3, 14)) == 25
    assert Citizen(unemployed_since=None).unemployed_months(ON) is None


def test_it_shows_target_group_membership_on_the_detail_page(login, consultant, fredericia):
    today = timezone.localdate()
    inside = make_citizen(fredericia, unemployed_since=today - timedelta(days=400))
    outside = make_citizen(fredericia, unemployed_since=today - timedelta(days=100))
    client = login(consultant)

    def answer(citizen):
        html = client.get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
        return re.search(r"I målgruppen \(ledig over 1 år\)</dt>\s*<dd>(.*?)</dd>", html).group(1)

    assert answer(inside) == "<strong>Ja</strong>"
    assert answer(outside) == "Nej"
