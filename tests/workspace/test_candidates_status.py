"""The candidate pool holds only job-seeking citizens with consent: a citizen disappears from it
when placed and returns when the placement ends."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from citizens.models import Citizen
from placements import services
from placements.models import Placement
from tests.factories import make_citizen, make_placement
from workspace.access import candidate_token, candidates_for_task_force


def today():
    return timezone.localdate()


@pytest.fixture
def seeker(fredericia, consultant):
    return make_citizen(
        fredericia, consultant=consultant, first_name="Gudrun", consent_to_share_profile=True,
        weekly_hours=Decimal("6"), status=Citizen.Status.READY,
    )


def pool(client, task_force):
    response = client.get(f"/taskforce/{task_force.pk}/candidates/")
    assert response.status_code == 200
    return [profile.token for profile in response.context["profiles"]]


def profile_status(client, task_force, citizen):
    return client.get(f"/taskforce/{task_force.pk}/candidates/{candidate_token(citizen)}/").status_code


def test_a_citizen_leaves_the_pool_when_placed_and_returns_when_the_placement_ends(
    login, leader_member, task_force, consultant, seeker, employer
):
    leader = login(leader_member.user)
    assert pool(leader, task_force) == [candidate_token(seeker)]
    placement = services.placement_create(
        user=consultant, citizen=seeker, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("6"), start_date=today() - timedelta(days=10),
    )
    seeker.refresh_from_db()
    assert seeker.status == Citizen.Status.PLACED
    assert pool(leader, task_force) == []
    assert profile_status(leader, task_force, seeker) == 404
    services.placement_end(user=consultant, placement=placement, end_date=today() - timedelta(days=1), end_reason="resigned")
    seeker.refresh_from_db()
    assert seeker.status == Citizen.Status.READY
    assert pool(leader, task_force) == [candidate_token(seeker)]
    assert profile_status(leader, task_force, seeker) == 200


def test_a_citizen_whose_case_is_closed_at_the_end_does_not_return(
    login, leader_member, task_force, consultant, seeker, employer
):
    placement = services.placement_create(
        user=consultant, citizen=seeker, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("6"), start_date=today() - timedelta(days=10),
    )
    services.placement_end(user=consultant, placement=placement, end_date=today() - timedelta(days=1),
                           end_reason="health", citizen_status=Citizen.Status.ENDED)
    assert pool(login(leader_member.user), task_force) == []


def test_a_future_placement_keeps_the_citizen_in_the_pool_until_its_start_day(task_force, consultant, seeker, employer):
    start = today() + timedelta(days=7)
    services.placement_create(
        user=consultant, citizen=seeker, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("6"), start_date=start,
    )
    assert list(candidates_for_task_force(task_force)) == [seeker]
    services.citizens_status_refresh(on=start)
    assert list(candidates_for_task_force(task_force)) == []


def test_the_nightly_refresh_takes_out_a_citizen_placed_by_other_means(task_force, seeker, employer):
    make_placement(seeker, employer, start_date=today())  # written without the services
    services.citizens_status_refresh()
    assert list(candidates_for_task_force(task_force)) == []


def test_an_anonymised_citizen_is_no_candidate(task_force, seeker):
    Citizen.objects.filter(pk=seeker.pk).update(anonymised_at=timezone.now())
    assert list(candidates_for_task_force(task_force)) == []


def test_an_ended_placement_does_not_keep_a_citizen_out(task_force, seeker, employer):
    make_placement(seeker, employer, start_date=today() - timedelta(days=100), end_date=today() - timedelta(days=1))
    assert list(candidates_for_task_force(task_force)) == [seeker]


def test_the_pool_holds_only_job_seeking_citizens_with_consent(task_force, fredericia, seeker):
    for status in (Citizen.Status.REGISTERED, Citizen.Status.IN_COURSE):
        make_citizen(fredericia, consent_to_share_profile=True, status=status)
    make_citizen(fredericia, consent_to_share_profile=True, status=Citizen.Status.PLACED)
    make_citizen(fredericia, consent_to_share_profile=True, status=Citizen.Status.ENDED)
    make_citizen(fredericia, consent_to_share_profile=False, status=Citizen.Status.READY)
    statuses = sorted(candidates_for_task_force(task_force).values_list("status", flat=True))
    assert statuses == ["in_course", "ready", "registered"]
