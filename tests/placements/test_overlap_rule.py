"""The rule that a citizen cannot hold two overlapping placements at one employer, tested on
its own, in Python, at the edge days: one ends the day the other starts (they share that
day), one starts the day after the other ends, single days, open ends on either side and
one period inside the other.

Two places in Python hold the rule: the model's check (`Placement.validate_no_overlap`,
through `Placement.objects.overlapping`), which the form and the service run, and the
import's check of a whole file (`imports.placements._overlap`). On PostgreSQL an exclusion
constraint (placements migration 0002) refuses an overlap too, and its error reads the same
to the user, so a test that saves the second placement would pass there whatever the Python
rule said. Here the second placement is never saved: only one row is ever in the table, and
each rule must give the answer itself, on SQLite and PostgreSQL alike.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from imports.placements import _overlap
from placements.models import OVERLAP_MESSAGE, Placement
from tests.factories import make_citizen, make_employer, make_placement


def d(day):
    """A day of 2026 by "MM-DD"."""
    return date.fromisoformat(f"2026-{day}")


# (first period, second period, whether they overlap); None is an open end.
CASES = [
    # One ends the day the other starts: both hold that day.
    (("01-01", "03-31"), ("03-31", "06-30"), True),
    (("01-01", "03-31"), ("03-31", None), True),
    # One starts the day after the other ends: adjacent, no shared day.
    (("01-01", "03-31"), ("04-01", "06-30"), False),
    (("01-01", "03-31"), ("04-01", None), False),
    # A day's gap between them.
    (("01-01", "03-30"), ("04-01", "06-30"), False),
    # Single days.
    (("02-01", "02-01"), ("02-01", "02-01"), True),
    (("02-01", "02-01"), ("02-02", "02-02"), False),
    (("02-01", "02-01"), ("01-01", "02-01"), True),
    (("02-01", "02-01"), ("02-01", None), True),
    (("02-02", "02-02"), ("01-01", "02-01"), False),
    # Open ends: both open always meet; an open period meets whatever ends on or after its start.
    (("01-01", None), ("12-31", None), True),
    (("05-01", None), ("01-01", "04-30"), False),
    (("05-01", None), ("01-01", "05-01"), True),
    (("05-01", None), ("01-01", "12-31"), True),
    # One inside the other, and the same period.
    (("01-01", "12-31"), ("02-01", "02-28"), True),
    (("01-01", None), ("02-01", "02-28"), True),
    (("02-01", "02-28"), ("02-01", "02-28"), True),
    (("02-01", "02-28"), ("02-01", "02-27"), True),
]


def period(pair):
    start, end = pair
    return d(start), (d(end) if end else None)


def both_orders(cases):
    for first, second, overlap in cases:
        yield first, second, overlap
        yield second, first, overlap


def shares_a_day(first, second):
    """The rule, written the long way: some day lies within both periods (ends included)."""
    (a_start, a_end), (b_start, b_end) = first, second
    latest_start = max(a_start, b_start)
    earliest_end = min(a_end or date.max, b_end or date.max)
    return latest_start <= earliest_end


def test_the_cases_say_what_sharing_a_day_means():
    for first, second, overlap in both_orders(CASES):
        assert shares_a_day(period(first), period(second)) == overlap, (first, second)


@pytest.mark.parametrize("first, second, overlap", list(both_orders(CASES)))
def test_the_import_rule_gives_each_edge_case_its_answer(first, second, overlap):
    (start, end), (other_start, other_end) = period(first), period(second)
    assert _overlap(start, end, other_start, other_end) == overlap


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def periods(draw):
    start = draw(days)
    end = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400).map(lambda n: start + timedelta(days=n))))
    return start, end


@given(periods(), periods())
def test_the_import_rule_agrees_with_sharing_a_day_for_any_two_periods(first, second):
    assert _overlap(*first, *second) == shares_a_day(first, second)


@pytest.mark.parametrize("first, second, overlap", list(both_orders(CASES)))
def test_the_models_rule_gives_each_edge_case_its_answer_without_the_database_constraint(
    citizen, employer, first, second, overlap
):
    make_placement(citizen, employer, start_date=period(first)[0], end_date=period(first)[1])
    start, end = period(second)
    candidate = Placement(citizen=citizen, employer=employer, kind=Placement.Kind.FLEXJOB, hours_per_week=8,
                          start_date=start, end_date=end)
    with CaptureQueriesContext(connection) as queries:
        assert Placement.objects.overlapping(
            citizen=citizen, employer=employer, start_date=start, end_date=end
        ).exists() == overlap
        if overlap:
            with pytest.raises(ValidationError) as refused:
                candidate.validate_no_overlap()
            assert refused.value.message_dict == {"start_date": [str(OVERLAP_MESSAGE)]}
        else:
            candidate.validate_no_overlap()
    # Only reads: the second placement never reached the table or its constraint.
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries), [q["sql"] for q in queries]
    assert Placement.objects.count() == 1


@pytest.mark.parametrize("first, second, overlap", [c for c in CASES if c[2]][:6])
def test_the_models_rule_minds_only_the_same_citizen_at_the_same_employer(
    fredericia, citizen, employer, first, second, overlap
):
    make_placement(citizen, employer, start_date=period(first)[0], end_date=period(first)[1])
    start, end = period(second)
    elsewhere = make_employer(fredericia, name="Anden ApS")
    someone_else = make_citizen(fredericia)
    for other_citizen, other_employer in ((citizen, elsewhere), (someone_else, employer)):
        Placement(citizen=other_citizen, employer=other_employer, start_date=start, end_date=end).validate_no_overlap()


def test_the_models_rule_lets_a_placement_be_changed_within_its_own_period(citizen, employer):
    placement = make_placement(citizen, employer, start_date=d("01-01"), end_date=d("06-30"))
    placement.start_date, placement.end_date = d("02-01"), None
    placement.validate_no_overlap()  # it is not in its own way
    later = make_placement(citizen, employer, start_date=d("08-01"), end_date=None)
    later.start_date = d("06-30")
    with pytest.raises(ValidationError):
        later.validate_no_overlap()
