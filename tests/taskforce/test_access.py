"""The access helpers: who sees a task force, who runs its process, who invites members, who
sees its candidates, and how taking a municipal role away closes the workspace."""

import pytest
from django.http import Http404

from accounts.models import Membership, Role
from taskforce.access import (
    can_facilitate,
    can_invite,
    candidate_token,
    get_candidate_for_user,
    get_task_force_for_user,
    may_see_candidates,
    member_for,
    task_forces_for_user,
)
from tests.conftest import make_citizen

# who: (sees the task force, facilitates, invites members, sees candidates)
MATRIX = {
    "leader_member": (True, False, False, True),
    "co_leader_member": (True, False, False, True),
    "staff_member": (True, True, True, True),
    "facilitator_member": (True, True, False, True),
    "consultant": (True, True, True, True),
    "admin_user": (True, True, True, True),
    "manager": (True, False, False, False),
    "leader": (False, False, False, False),  # a leader of the municipality, not a member
    "outsider": (False, False, False, False),
    "other_leader_member": (False, False, False, False),
}


def user_of(request, who):
    value = request.getfixturevalue(who)
    return value.user if who.endswith("_member") else value


@pytest.mark.parametrize("who", MATRIX)
def test_it_gives_each_role_its_access(request, task_force, who):
    user = user_of(request, who)
    sees, facilitates, invites, candidates = MATRIX[who]
    assert (task_force in task_forces_for_user(user)) == sees
    if not sees:
        with pytest.raises(Http404):
            get_task_force_for_user(user, task_force.pk)
        return
    assert get_task_force_for_user(user, task_force.pk) == task_force
    member = member_for(user, task_force)
    assert can_facilitate(user, task_force, member) == facilitates
    assert can_invite(user, task_force) == invites
    assert may_see_candidates(user, task_force, member) == candidates


def test_it_lists_each_task_force_once(consultant, staff_member, task_force):
    assert list(task_forces_for_user(consultant)) == [task_force]


def test_it_finds_a_candidate_only_through_a_valid_token(leader_member, task_force, fredericia, odense):
    user = leader_member.user
    citizen = make_citizen(fredericia, consent_to_share_profile=True)
    assert get_candidate_for_user(user, task_force, candidate_token(citizen)) == citizen
    for token in ("", "x", "A" * 22, candidate_token(citizen)[:-1], str(citizen.pk)):
        with pytest.raises(Http404):
            get_candidate_for_user(user, task_force, token)
    for other in (make_citizen(fredericia), make_citizen(odense, consent_to_share_profile=True)):
        with pytest.raises(Http404):
            get_candidate_for_user(user, task_force, candidate_token(other))


def test_it_closes_the_workspace_and_its_candidates_to_a_leader_who_loses_the_leader_role(
    login, leader_member, task_force, fredericia
):
    citizen = make_citizen(fredericia, consent_to_share_profile=True)
    client = login(leader_member.user)
    assert client.get(f"/taskforce/{task_force.pk}/").status_code == 200
    Membership.objects.filter(user=leader_member.user, municipality=fredericia, role=Role.LEADER).delete()
    assert task_force not in task_forces_for_user(leader_member.user)
    assert member_for(leader_member.user, task_force) is None
    for url in (f"/taskforce/{task_force.pk}/", f"/taskforce/{task_force.pk}/candidates/",
                f"/taskforce/{task_force.pk}/candidates/{candidate_token(citizen)}/"):
        assert client.get(url).status_code == 404, url
    with pytest.raises(Http404):
        get_candidate_for_user(leader_member.user, task_force, candidate_token(citizen))


def test_it_does_not_count_a_leader_role_in_another_municipality(leader_member, task_force, fredericia, odense):
    Membership.objects.filter(user=leader_member.user, municipality=fredericia).delete()
    Membership.objects.create(user=leader_member.user, municipality=odense, role=Role.LEADER)
    assert task_force not in task_forces_for_user(leader_member.user)


def test_it_closes_the_workspace_to_jobcenter_staff_without_a_staff_role(staff_member, task_force, fredericia):
    user = staff_member.user
    assert task_force in task_forces_for_user(user)
    Membership.objects.filter(user=user, municipality=fredericia).delete()
    Membership.objects.create(user=user, municipality=fredericia, role=Role.LEADER)  # a leader role is not enough
    assert task_force not in task_forces_for_user(user)
    assert member_for(user, task_force) is None


def test_it_keeps_the_workspace_open_to_a_member_whose_municipal_role_is_staff_of_another_kind(staff_member, task_force, fredericia):
    Membership.objects.filter(user=staff_member.user, municipality=fredericia).update(role=Role.MANAGER)
    assert member_for(staff_member.user, task_force) == staff_member


def test_it_keeps_the_workspace_open_to_the_outside_facilitator_by_membership_alone(facilitator_member, task_force):
    user = facilitator_member.user
    assert not Membership.objects.filter(user=user).exists()
    assert task_force in task_forces_for_user(user)
    assert member_for(user, task_force) == facilitator_member
