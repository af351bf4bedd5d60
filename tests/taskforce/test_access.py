"""The access helpers: who sees a task force, who runs its process, who sees its candidates."""

import pytest
from django.http import Http404

from taskforce.access import (
    can_facilitate,
    can_invite_staff,
    candidate_token,
    get_candidate_for_user,
    get_task_force_for_user,
    may_see_candidates,
    member_for,
    task_forces_for_user,
)
from tests.conftest import make_citizen

# who: (sees the task force, facilitates, invites staff, sees candidates)
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
    sees, facilitates, invites_staff, candidates = MATRIX[who]
    assert (task_force in task_forces_for_user(user)) == sees
    if not sees:
        with pytest.raises(Http404):
            get_task_force_for_user(user, task_force.pk)
        return
    assert get_task_force_for_user(user, task_force.pk) == task_force
    member = member_for(user, task_force)
    assert can_facilitate(user, task_force, member) == facilitates
    assert can_invite_staff(user, task_force) == invites_staff
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
