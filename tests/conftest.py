"""Shared fixtures: two municipalities, a user of each role, and small record factories.

Fixture names follow STYLE.md: a consultant, a leader, a manager, an admin, and a
consultant of another municipality (`outsider`).
"""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Municipality, Role
from citizens.models import Citizen
from employers.models import Employer
from placements.models import Placement

# Valid CPR numbers (real birth dates, 7th digit fixes the century) and CVR numbers
# (modulus 11), generated on demand so tests never share one by accident.
_cpr_seq = count(1)
_cvr_seq = count(1)


def make_cpr(birth=None):
    """A valid CPR number, new on every call: the serial runs 1000–9999 (7th digit 1–9,
    so 1990s births stay in the 1900s) and the default birth day moves on after each 9,000."""
    n = next(_cpr_seq)
    if birth is None:
        birth = f"{1 + (n // 9000) % 28:02d}0190"
    return f"{birth}{1000 + n % 9000:04d}"


def make_cvr():
    from stdnum.dk import cvr as stdnum_cvr

    base = 20000000 + next(_cvr_seq) * 1013
    while stdnum_cvr.checksum(str(base)) != 0:
        base += 1
    return str(base)


@pytest.fixture(autouse=True)
def tasks_run_in_process():
    """Celery tasks run in the test's own process, whatever REDIS_URL says; the real broker
    is exercised by tests/taskforce/test_celery_redis.py with a real worker."""
    from taskforce.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def fredericia(db):
    return Municipality.objects.create(code=607, name="Fredericia")


@pytest.fixture
def odense(db):
    return Municipality.objects.create(code=461, name="Odense")


def make_user(username, municipality=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-123", **extra)
    if municipality is not None:
        Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def consultant(fredericia):
    return make_user("konsulent", fredericia, Role.CONSULTANT, first_name="Karin", last_name="Holm")


@pytest.fixture
def leader(fredericia):
    return make_user("leder", fredericia, Role.LEADER)


@pytest.fixture
def manager(fredericia):
    return make_user("chef", fredericia, Role.MANAGER)


@pytest.fixture
def admin_user(fredericia):
    return make_user("admin", fredericia, Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(odense):
    """A consultant of another municipality."""
    return make_user("konsulent-odense", odense, Role.CONSULTANT)


def make_citizen(municipality, *, cpr=None, consultant=None, **fields):
    citizen = Citizen(
        municipality=municipality,
        first_name=fields.pop("first_name", "Anne"),
        last_name=fields.pop("last_name", "Jensen"),
        consultant=consultant,
        **fields,
    )
    citizen.set_cpr(cpr or make_cpr())
    citizen.save()
    return citizen


def make_employer(municipality, **fields):
    defaults = {"name": "Lillebælt Byg ApS", "cvr": make_cvr(), "sector": Employer.Sector.PRIVATE}
    defaults.update(fields)
    return Employer.objects.create(municipality=municipality, **defaults)


def make_placement(citizen, employer, **fields):
    defaults = {
        "kind": Placement.Kind.FLEXJOB,
        "hours_per_week": Decimal("8"),
        "start_date": date(2026, 2, 1),
    }
    defaults.update(fields)
    placement = Placement(citizen=citizen, employer=employer, **defaults)
    placement.in_target_group = citizen.is_in_target_group(placement.start_date)
    placement.save()
    return placement


@pytest.fixture
def citizen(fredericia, consultant):
    return make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")


@pytest.fixture
def other_citizen(odense, outsider):
    """A citizen of another municipality."""
    return make_citizen(odense, consultant=outsider, first_name="Ole", last_name="Odensen")


@pytest.fixture
def employer(fredericia):
    return make_employer(fredericia)


@pytest.fixture
def other_employer(odense):
    return make_employer(odense, name="Odense Værft")


@pytest.fixture
def login(client):
    """Log a user in on the test client: `login(consultant)`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
