"""Helpers for the progress tests: Fredericia's target for 2026, an employer of each kind,
and `hire(...)`, which gives a new citizen a flex job."""

from datetime import date

import pytest

from employers.models import Employer
from progress.models import Target
from tests.factories import make_citizen, make_employer, make_placement

PERIOD_START, PERIOD_END = date(2026, 1, 1), date(2026, 12, 31)
APRIL_1 = date(2026, 4, 1)




@pytest.fixture
def target(fredericia):
    return Target.objects.create(
        municipality=fredericia,
        title="164 nye fleksjob i 2026",
        number=164,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )


@pytest.fixture
def private_employer(fredericia):
    return make_employer(fredericia, name="Lillebælt Byg ApS", size="small", industry="Byggeri")


@pytest.fixture
def public_employer(fredericia):
    return make_employer(
        fredericia,
        name="Fredericia Kommune, Ældreplejen",
        sector=Employer.Sector.PUBLIC,
        size="large",
        industry="Pleje",
    )


@pytest.fixture
def social_employer(fredericia):
    return make_employer(fredericia, name="OK-Fonden", social_economic=True, size="medium", industry="Pleje")


@pytest.fixture
def hire(private_employer):
    """`hire(start_date, employer=…, citizen=…, **placement fields)`: a new citizen's flex job."""

    def _hire(start_date=date(2026, 2, 1), *, employer=None, citizen=None, **fields):
        employer = employer or private_employer
        citizen = citizen or make_citizen(employer.municipality)
        return make_placement(citizen, employer, start_date=start_date, **fields)

    return _hire
