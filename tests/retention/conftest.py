"""Helpers for the retention tests: the day they run on (AS_OF), the retention cutoff five
years before it, and `former(...)`, a citizen whose case or placement ended on a given day."""

from datetime import date, timedelta

import pytest

from tests.factories import make_citizen, make_placement

AS_OF = date(2031, 6, 1)
CUTOFF = date(2026, 6, 1)  # exactly five years before AS_OF: ended that day is not expired
DAY_BEFORE_CUTOFF = CUTOFF - timedelta(days=1)


@pytest.fixture(autouse=True)
def five_years(settings):
    settings.RETENTION_YEARS = 5


@pytest.fixture
def former(fredericia, employer):
    """`former(ended_on=…, closed_on=…, **citizen fields)`: a citizen whose flex job (of a
    year) ended on `ended_on` and/or whose case was closed on `closed_on`."""

    def _former(ended_on=None, closed_on=None, **fields):
        citizen = make_citizen(fredericia, case_closed_on=closed_on, **fields)
        if ended_on is not None:
            make_placement(citizen, employer, start_date=ended_on - timedelta(days=365), end_date=ended_on)
        return citizen

    return _former
