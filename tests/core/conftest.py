"""The records the property tests of forms and views need: one of each, in Fredericia."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Municipality
from courses.models import Course, Enrolment
from employers.models import JobTask, Opening
from placements.models import FollowUp
from placements.services import followups_schedule
from progress.models import Target
from workspace.models import Action, Invitation, Member, RankingRound, VisionVersion

from tests.factories import make_citizen, make_employer, make_placement, make_solution, make_workshop


@pytest.fixture
def world(fredericia, odense, consultant, manager, citizen, employer, task_force, leader_member,
          facilitator_member, staff_member):
    today = timezone.localdate()
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=today)
    course.employers.add(employer)
    round_ = RankingRound.objects.create(task_force=task_force, title="Runde 1", dot_budget=5)
    solution = make_solution(task_force, leader_member)
    action = Action.objects.create(task_force=task_force, owner=leader_member, title="Mini-fleksjob", due_date=today)
    placement = make_placement(citizen, employer, start_date=today - timedelta(days=60))
    followups_schedule(placement=placement)
    newcomer = make_citizen(fredericia, consultant=consultant, first_name="Nina")
    return SimpleNamespace(
        today=today,
        fredericia=fredericia,
        only_fredericia=Municipality.objects.filter(pk=fredericia.pk),
        consultant=consultant,
        manager=manager,
        citizen=citizen,
        # A citizen with no placement and no enrolment: new ones of hers overlap nothing.
        newcomer=newcomer,
        employer=employer,
        opening=Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8),
        task=JobTask.objects.create(name="Opvask"),
        placement=placement,
        follow_up=FollowUp.objects.filter(placement=placement).order_by("due_on").first(),
        # An internship elsewhere ending in ten days: an item of the worklist.
        ending=make_placement(citizen, make_employer(fredericia, name="Vaskeriet"), kind="internship",
                              start_date=today - timedelta(days=30), end_date=today + timedelta(days=10)),
        course=course,
        enrolment=Enrolment.objects.create(course=course, citizen=citizen),
        target=Target.objects.create(municipality=fredericia, title="Mål", number=164,
                                     period_start=today.replace(month=1, day=1), period_end=today.replace(month=12, day=31)),
        task_force=task_force,
        leader_member=leader_member,
        facilitator_member=facilitator_member,
        workshop=make_workshop(task_force),
        vision=VisionVersion.objects.create(task_force=task_force, text="Alle kan arbejde.", author=leader_member),
        solution=solution,
        round=round_,
        action=action,
        invitation=Invitation.objects.create(task_force=task_force, email="ny@example.dk", first_name="Ny",
                                             last_name="Leder", kind=Member.Kind.LEADER, employer=employer),
    )


def fresh(obj):
    """The record as stored: an earlier example may have changed the object in memory (a model
    form writes into its instance) before its writes were rolled back."""
    return type(obj)._base_manager.get(pk=obj.pk)
