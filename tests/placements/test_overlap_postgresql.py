"""The PostgreSQL exclusion constraint (migration 0002): the database itself refuses two
overlapping placements of one citizen at one employer, whoever writes them."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from placements.models import Placement
from tests.factories import make_citizen, make_employer, make_placement

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only"
)


@pytest.mark.parametrize(
    "existing, new",
    [
        ((date(2026, 1, 1), None), (date(2030, 1, 1), None)),
        ((date(2026, 1, 1), None), (date(2025, 1, 1), date(2026, 1, 1))),
        ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 3, 31), date(2026, 4, 30))),
        ((date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 1, 1), None)),
    ],
)
def test_it_refuses_an_overlapping_placement_inserted_directly(citizen, employer, existing, new):
    make_placement(citizen, employer, start_date=existing[0], end_date=existing[1])
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make_placement(citizen, employer, start_date=new[0], end_date=new[1])
    assert "placement_no_overlap" in str(error.value)
    assert Placement.objects.count() == 1


def test_it_refuses_an_update_that_makes_placements_overlap(citizen, employer):
    make_placement(citizen, employer, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31))
    later = make_placement(citizen, employer, start_date=date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=later.pk).update(start_date=date(2026, 1, 15))


def test_it_allows_adjacent_periods_in_the_database(citizen, employer):
    make_placement(citizen, employer, start_date=date(2026, 1, 1), end_date=date(2026, 3, 31))
    make_placement(citizen, employer, start_date=date(2026, 4, 1), end_date=None)
    assert Placement.objects.count() == 2


def test_it_allows_overlap_at_another_employer_or_for_another_citizen(fredericia, citizen, employer):
    make_placement(citizen, employer, start_date=date(2026, 1, 1))
    make_placement(citizen, make_employer(fredericia, name="Anden ApS"), start_date=date(2026, 1, 1))
    make_placement(make_citizen(fredericia), employer, start_date=date(2026, 1, 1))
    assert Placement.objects.count() == 3
