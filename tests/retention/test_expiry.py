"""Who is past the retention period: every placement ended and the case (if closed) closed
more than RETENTION_YEARS years before the day, with at least one of them, and no contact
since. Exactly five years is not more than five."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from retention.services import citizens_anonymise_expired, citizens_expired
from tests.factories import make_citizen, make_employer, make_placement

from .conftest import AS_OF, CUTOFF, DAY_BEFORE_CUTOFF


def expired():
    return set(citizens_expired(as_of=AS_OF))


def test_a_placement_that_ended_more_than_five_years_ago_expires(former):
    citizen = former(ended_on=DAY_BEFORE_CUTOFF)
    assert expired() == {citizen}


def test_a_placement_that_ended_exactly_five_years_ago_does_not(former):
    former(ended_on=CUTOFF)
    assert expired() == set()


def test_a_case_closed_more_than_five_years_ago_expires(former):
    citizen = former(closed_on=DAY_BEFORE_CUTOFF)
    assert expired() == {citizen}


def test_a_case_closed_exactly_five_years_ago_does_not(former):
    former(closed_on=CUTOFF)
    assert expired() == set()


def test_the_latest_of_the_placements_and_the_case_decides(former, employer):
    closed_recently = former(ended_on=date(2020, 1, 1), closed_on=CUTOFF + timedelta(days=10))
    ended_recently = former(ended_on=date(2020, 1, 1), closed_on=date(2021, 1, 1))
    make_placement(ended_recently, employer, start_date=date(2027, 1, 1), end_date=date(2028, 1, 1))
    both_old = former(ended_on=date(2020, 1, 1), closed_on=date(2021, 1, 1))
    assert expired() == {both_old}
    assert closed_recently not in expired()


def test_a_placement_running_on_the_day_keeps_the_citizen(former, fredericia, employer):
    running = former(ended_on=date(2019, 1, 1), closed_on=date(2019, 1, 1))
    make_placement(running, employer, start_date=date(2020, 1, 1), end_date=None)
    ends_later = former(closed_on=date(2019, 1, 1))
    make_placement(ends_later, employer, start_date=date(2030, 1, 1), end_date=AS_OF + timedelta(days=1))
    assert expired() == set()


def test_a_planned_placement_without_an_end_keeps_the_citizen(former, employer):
    planned = former(ended_on=date(2019, 1, 1))
    make_placement(planned, employer, start_date=AS_OF + timedelta(days=30))
    assert expired() == set()


def test_an_open_case_without_an_ended_placement_is_kept(fredericia):
    make_citizen(fredericia, unemployed_since=date(2010, 1, 1))  # registered long ago, never placed
    make_citizen(fredericia, status="ready")
    assert expired() == set()


def test_a_citizen_contacted_within_the_period_is_kept(former):
    former(ended_on=date(2020, 1, 1), last_contact_on=CUTOFF)
    contacted_before = former(ended_on=date(2020, 1, 1), last_contact_on=DAY_BEFORE_CUTOFF)
    assert expired() == {contacted_before}


def test_an_anonymised_citizen_is_not_expired_again(former):
    former(ended_on=date(2020, 1, 1), anonymised_at=timezone.now())
    assert expired() == set()


def test_it_looks_at_every_municipality(former, odense):
    here = former(ended_on=date(2020, 1, 1))
    there = make_citizen(odense)
    shipyard = make_employer(odense, name="Odense Værft")
    make_placement(there, shipyard, start_date=date(2019, 1, 1), end_date=date(2020, 1, 1))
    assert expired() == {here, there}


@pytest.mark.parametrize("years, expected", [(5, 0), (4, 1)])
def test_the_period_is_a_setting(settings, former, years, expected):
    settings.RETENTION_YEARS = years
    former(ended_on=date(2026, 12, 31))
    assert citizens_anonymise_expired(as_of=AS_OF, dry_run=True) == expected


def test_a_leap_day_is_five_years_before_28_february(former):
    former(ended_on=date(2024, 2, 28))
    former(ended_on=date(2024, 2, 29))
    assert set(citizens_expired(as_of=date(2029, 2, 28))) == set()
    assert len(set(citizens_expired(as_of=date(2029, 3, 1)))) == 2
