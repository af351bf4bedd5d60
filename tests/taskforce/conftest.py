"""Fixtures for the task-force workspace: a Fredericia task force with a leader member
(linked to their company), a jobcenter staff member and an outside facilitator, and a
leader of Odense's task force as the outsider. Small factories for workspace records."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from taskforce.models import Action, Member, RankingRound, Solution, TaskForce, Workshop
from tests.conftest import make_employer, make_user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created in most tests; PBKDF2 would make them slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def make_workshop(task_force, *, days_from_now=7, **fields):
    day = timezone.localdate() + timedelta(days=days_from_now)
    defaults = {"title": "Workshop om fleksjob", "starts_at": at(day, 9), "ends_at": at(day, 12), "place": "Jobcentret"}
    defaults.update(fields)
    return Workshop.objects.create(task_force=task_force, **defaults)


def make_solution(task_force, member, **fields):
    defaults = {"title": "Jobdeling i små virksomheder", "description": "Små virksomheder deler et job."}
    defaults.update(fields)
    return Solution.objects.create(task_force=task_force, proposed_by=member, **defaults)


def make_round(task_force, **fields):
    defaults = {"title": "Runde 1", "dot_budget": 5}
    defaults.update(fields)
    return RankingRound.objects.create(task_force=task_force, **defaults)


def make_action(task_force, owner, **fields):
    defaults = {"title": "Mini-fleksjob i tre små virksomheder", "due_date": timezone.localdate() + timedelta(days=30)}
    defaults.update(fields)
    return Action.objects.create(task_force=task_force, owner=owner, **defaults)
