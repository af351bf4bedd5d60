"""Shared fixtures: two municipalities, a user of each role, a few records, and a task force
with its members. Record factories are in tests/factories.py.

Fixture names follow STYLE.md: a consultant, a leader, a manager, an admin, and a
consultant of another municipality (`outsider`); in the task force a leader member, a
second leader, jobcenter staff, the outside facilitator, and a leader of another
municipality's task force.
"""

import pytest

from accounts.models import Municipality, Role
from tests.factories import make_citizen, make_employer, make_user
from workspace.models import Member, TaskForce


def pytest_configure(config):
    """Users are created in most tests, and PBKDF2 would make each slow: a fast hasher, set
    once for the whole suite (the live server of the browser tests reads it too)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_in_process():
    """Celery tasks run in the test's own process, whatever REDIS_URL says; the real broker
    is exercised by tests/workspace/test_celery_redis.py with a real worker."""
    from taskforce.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded import files go to the test's own folder, so a test whose upload is never
    imported (its on_commit never runs) leaves nothing behind."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def fredericia(db):
    return Municipality.objects.create(code=607, name="Fredericia")


@pytest.fixture
def odense(db):
    return Municipality.objects.create(code=461, name="Odense")


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


# --- The task force -----------------------------------------------------------------------

@pytest.fixture
def task_force(fredericia):
    return TaskForce.objects.create(
        municipality=fredericia, name="Task Force Fleksjob Fredericia", facilitator_organisation="Code of Care"
    )


@pytest.fixture
def leader_member(task_force, leader, employer):
    """The `leader` of tests/conftest.py as a member, speaking for Lillebælt Byg ApS."""
    leader.first_name, leader.last_name = "Lise", "Lund"
    leader.save(update_fields=["first_name", "last_name"])
    employer.leaders.add(leader)
    return Member.objects.create(task_force=task_force, user=leader, kind=Member.Kind.LEADER, employer=employer)


@pytest.fixture
def co_leader_member(task_force, fredericia):
    """A second business leader in the same task force (Kanalbyens Café)."""
    user = make_user("leder-cafe", fredericia, Role.LEADER, first_name="Kasper", last_name="Krogh")
    cafe = make_employer(fredericia, name="Kanalbyens Café")
    cafe.leaders.add(user)
    return Member.objects.create(task_force=task_force, user=user, kind=Member.Kind.LEADER, employer=cafe)


@pytest.fixture
def staff_member(task_force, consultant):
    return Member.objects.create(task_force=task_force, user=consultant, kind=Member.Kind.STAFF)


@pytest.fixture
def facilitator_member(task_force):
    """The outside facilitator (Code of Care): a member, but with no role in the municipality."""
    user = make_user("facilitator", first_name="Frida", last_name="Falk", email="frida@codeofcare.dk")
    return Member.objects.create(task_force=task_force, user=user, kind=Member.Kind.FACILITATOR)


@pytest.fixture
def other_task_force(odense):
    return TaskForce.objects.create(municipality=odense, name="Task Force Odense")


@pytest.fixture
def other_leader_member(other_task_force, odense, other_employer):
    """The outsider: a leader of another municipality's task force."""
    user = make_user("leder-odense", odense, Role.LEADER, first_name="Otto", last_name="Ørsted")
    other_employer.leaders.add(user)
    return Member.objects.create(task_force=other_task_force, user=user, kind=Member.Kind.LEADER, employer=other_employer)


# --- Property tests (hypothesis) -------------------------------------------------------------
# Modest and deterministic, so CI sees the same examples on every run: each property test tries
# 30 inputs, derandomised, with no example database left in the working tree. A test's examples
# share its function-scoped fixtures (each example rolls its own writes back).

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "taskforce",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("taskforce")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Behind PgBouncer (DATABASE_POOLER=pgbouncer) pytest-django drops the test database
    through it at the end, which PostgreSQL refuses while PgBouncer keeps idle server
    connections to it: PgBouncer closes them first (RECONNECT on its admin console)."""
    yield
    import os

    from django.db import connection

    if os.environ.get("DATABASE_POOLER", "").strip().lower() != "pgbouncer" or connection.vendor != "postgresql":
        return
    import psycopg

    db = connection.settings_dict
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"] or None}
    connection.close()
    with psycopg.connect(**params, dbname="pgbouncer", autocommit=True) as admin:
        admin.execute(f"RECONNECT {db['NAME']}")
