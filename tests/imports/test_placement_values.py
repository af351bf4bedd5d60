"""Values of placement rows: the model's constraints reported per line and column, hours
with trailing zeros, and the common spellings of mini flex job."""

from decimal import Decimal

import pytest

from imports.parsing import parse_decimal
from imports.services import placements_import
from placements.models import Placement
from tests.factories import make_placement

from .conftest import PLACEMENT_HEADER, source


# --- The model's constraints, per line and column -------------------------------------------

def test_it_reports_hours_above_the_contracted_hours_on_the_line(consultant, fredericia, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("8"), contracted_hours=Decimal("10"))
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "12", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column, i.message) for i in report.sorted_errors()] == [
        (2, "hours_per_week", "De aftalte timer skal være mindst de faktiske timer og højst 37.")
    ]
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("8")


def test_it_accepts_hours_within_the_contracted_hours(consultant, fredericia, citizen, employer):
    make_placement(citizen, employer, hours_per_week=Decimal("8"), contracted_hours=Decimal("10"))
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "10", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok and report.updated == 1


# --- Decimals with trailing zeros -----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("7,50", "7.5"), ("7.50", "7.5"), ("10.00", "10"), ("10,0", "10"), ("7,5", "7.5"), (7.5, "7.5"),
])
def test_it_drops_trailing_zeros_of_a_decimal(text, expected):
    value = parse_decimal(text)
    assert value == Decimal(expected) and str(value) == expected


def test_it_imports_hours_with_trailing_zeros_but_not_two_real_decimals(consultant, fredericia, citizen, employer):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "flexjob", "7,50", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok, report.as_text()
    rows[1][5] = "7.25"
    rows[1][6] = "2027-02-01"
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column) for i in report.sorted_errors()] == [(2, "hours_per_week")]


# --- The mini flex job's common spellings -----------------------------------------------------

@pytest.mark.parametrize("kind", ["mini-fleksjob", "mini flexjob", "mini-flexjob", "Mini-Fleksjob"])
def test_it_accepts_the_common_spellings_of_mini_flexjob(consultant, fredericia, citizen, employer, kind):
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", kind, "12", "2026-02-01", ""]]
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert [(i.line, i.column) for i in report.sorted_errors()] == [(2, "hours_per_week")]  # over the mini limit
    rows[1][5] = "8"
    report = placements_import(user=consultant, source=source(rows), filename="a.csv", municipality=fredericia)
    assert report.ok and Placement.objects.get().kind == Placement.Kind.FLEXJOB
