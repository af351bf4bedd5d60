"""SPEC.md's placement rules, enforced by form validation and by database constraints."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from placements.models import Placement
from tests.factories import make_citizen, make_employer, make_placement

HOURS_MESSAGE = "Timer om ugen skal være over 0 og højst 37."
CONTRACTED_MESSAGE = "De aftalte timer skal være mindst de faktiske timer og højst 37."
END_MESSAGE = "Slutdatoen må ikke ligge før startdatoen."
OVERLAP_MESSAGE = "Borgeren har allerede en ansættelse hos denne virksomhed i den periode."


def all_errors(response):
    return [error for errors in response.context["form"].errors.values() for error in errors]


@pytest.fixture
def register(login, consultant, citizen, employer, placement_post):
    """POST a placement for the citizen at the employer; returns the response."""
    client = login(consultant)

    def _post(**fields):
        fields.setdefault("employer", employer)
        return client.post(f"/placements/new/citizen/{citizen.pk}/", placement_post(**fields))

    return _post


@pytest.mark.parametrize("hours", ["0", "-1", "37.5", "40"])
def test_it_refuses_hours_out_of_range(register, hours):
    response = register(hours_per_week=hours)
    assert response.status_code == 200
    assert HOURS_MESSAGE in all_errors(response)
    assert HOURS_MESSAGE in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("hours", ["0.5", "37"])
def test_it_accepts_hours_at_the_limits(register, hours):
    assert register(hours_per_week=hours).status_code == 302
    assert Placement.objects.get().hours_per_week == Decimal(hours)


def test_it_refuses_contracted_hours_over_37(register):
    response = register(hours_per_week="8", contracted_hours="37.5")
    assert CONTRACTED_MESSAGE in all_errors(response)
    assert not Placement.objects.exists()


@pytest.mark.parametrize(("hours", "contracted", "shown"), [("8", "7", "8"), ("7.5", "7", "7,5"), ("10.0", "9.5", "10")])
def test_it_refuses_contracted_hours_below_actual_at_the_field_with_the_hours_in_danish(
    register, hours, contracted, shown
):
    response = register(hours_per_week=hours, contracted_hours=contracted)
    message = f"De aftalte timer skal være mindst de faktiske timer ({shown})."
    assert response.context["form"].errors["contracted_hours"] == [message]
    assert CONTRACTED_MESSAGE not in all_errors(response)  # said once, at the field
    assert message in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("contracted", ["8", "37"])
def test_it_accepts_contracted_hours_from_actual_to_37(register, contracted):
    assert register(hours_per_week="8", contracted_hours=contracted).status_code == 302
    assert Placement.objects.get().contracted_hours == Decimal(contracted)


def test_it_refuses_an_end_before_the_start(register):
    response = register(start_date="2026-03-01", end_date="2026-02-28")
    assert END_MESSAGE in all_errors(response)
    assert END_MESSAGE in response.content.decode()
    assert not Placement.objects.exists()


def test_it_accepts_a_placement_of_one_day(register):
    assert register(start_date="2026-03-01", end_date="2026-03-01").status_code == 302
    placement = Placement.objects.get()
    assert placement.start_date == placement.end_date == date(2026, 3, 1)


def test_it_requires_a_start_date_and_hours(register):
    response = register(start_date="", hours_per_week="")
    errors = response.context["form"].errors
    assert "start_date" in errors and "hours_per_week" in errors
    assert not Placement.objects.exists()


def test_it_refuses_an_unknown_kind(register):
    response = register(kind="volunteer")
    assert "kind" in response.context["form"].errors
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "existing, new",
    [
        # open-ended: runs forever
        ((date(2026, 1, 1), None), ("2030-01-01", "")),
        ((date(2026, 5, 1), None), ("2026-01-01", "2026-05-01")),
        ((date(2026, 5, 1), None), ("2026-01-01", "")),
        # periods that share at least one day
        ((date(2026, 1, 1), date(2026, 3, 31)), ("2026-03-31", "")),
        ((date(2026, 1, 1), date(2026, 3, 31)), ("2026-02-01", "2026-02-28")),
        ((date(2026, 2, 1), date(2026, 2, 28)), ("2026-01-01", "2026-12-31")),
        ((date(2026, 1, 1), date(2026, 1, 1)), ("2026-01-01", "2026-01-01")),
    ],
)
def test_it_refuses_overlapping_placements_at_one_employer(register, citizen, employer, existing, new):
    make_placement(citizen, employer, start_date=existing[0], end_date=existing[1])
    response = register(start_date=new[0], end_date=new[1])
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [OVERLAP_MESSAGE]
    assert OVERLAP_MESSAGE in response.content.decode()
    assert Placement.objects.count() == 1


@pytest.mark.parametrize(
    "existing, new",
    [
        ((date(2026, 1, 1), date(2026, 3, 31)), ("2026-04-01", "")),
        ((date(2026, 4, 1), None), ("2026-01-01", "2026-03-31")),
        ((date(2026, 4, 1), date(2026, 6, 30)), ("2026-07-01", "2026-12-31")),
    ],
)
def test_it_allows_adjacent_periods_at_one_employer(register, citizen, employer, existing, new):
    make_placement(citizen, employer, start_date=existing[0], end_date=existing[1])
    assert register(start_date=new[0], end_date=new[1]).status_code == 302
    assert Placement.objects.count() == 2


def test_it_allows_the_same_period_at_another_employer(register, fredericia, citizen, employer):
    make_placement(citizen, make_employer(fredericia, name="Anden ApS"), start_date=date(2026, 1, 1))
    assert register(start_date="2026-02-01").status_code == 302
    assert Placement.objects.filter(citizen=citizen).count() == 2


def test_it_allows_another_citizen_at_the_same_employer(register, fredericia, employer):
    make_placement(make_citizen(fredericia), employer)
    assert register().status_code == 302
    assert Placement.objects.filter(employer=employer).values("citizen").distinct().count() == 2


# The database refuses the same, whoever writes.


@pytest.mark.parametrize(
    "fields",
    [
        {"hours_per_week": Decimal("0")},
        {"hours_per_week": Decimal("-1")},
        {"hours_per_week": Decimal("37.5")},
        {"hours_per_week": Decimal("8"), "contracted_hours": Decimal("7")},
        {"hours_per_week": Decimal("8"), "contracted_hours": Decimal("38")},
        {"start_date": date(2026, 3, 1), "end_date": date(2026, 2, 28)},
        {"kind": "volunteer"},
    ],
)
def test_it_refuses_a_broken_placement_in_the_database(citizen, employer, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_placement(citizen, employer, **fields)


def test_it_allows_a_valid_placement_in_the_database(citizen, employer):
    make_placement(citizen, employer, hours_per_week=Decimal("37"), contracted_hours=Decimal("37"))
    assert Placement.objects.count() == 1
