"""The one door to the workspace: who sees a task force, and what each may do in it (run its
process, invite members, see candidates, exact figures, follow up requests, open citizen
records, edit an action, open a pledge), and how taking a municipal role away closes it."""

import pytest
from django.http import Http404

from accounts.models import Membership, Role
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_citizen
from workspace.access import candidate_token, get_candidate_for_user, get_task_force_for_user, task_forces_for_user
from workspace.models import Pledge

from tests.factories import make_action

# who: (sees the task force, facilitates, invites members, sees candidates, sees exact
# figures, handles meeting requests, opens citizen records, approves staff invitations)
MATRIX = {
    "leader_member": (True, False, False, True, False, False, False, False),
    "co_leader_member": (True, False, False, True, False, False, False, False),
    "staff_member": (True, True, True, True, True, True, True, False),
    "facilitator_member": (True, True, False, True, False, False, False, False),
    "consultant": (True, True, True, True, True, True, True, False),
    "admin_user": (True, True, True, True, True, True, True, True),
    "manager": (True, False, True, False, True, False, False, True),
    "leader": (False, False, False, False, False, False, False, False),  # a leader of the municipality, not a member
    "outsider": (False, False, False, False, False, False, False, False),
    "other_leader_member": (False, False, False, False, False, False, False, False),
}


def user_of(request, who):
    value = request.getfixturevalue(who)
    return value.user if who.endswith("_member") else value


@pytest.mark.parametrize("who", MATRIX)
def test_it_gives_each_role_its_access(request, task_force, who):
    user = user_of(request, who)
    sees, facilitates, invites, candidates, exact, handles, records, approves = MATRIX[who]
    assert (task_force in task_forces_for_user(user)) == sees
    if not sees:
        with pytest.raises(Http404):
            get_task_force_for_user(user, task_force.pk)
        return
    found, access = get_task_force_for_user(user, task_force.pk)
    assert found == task_force
    assert access.facilitator == facilitates
    assert access.may_invite == invites
    assert access.may_see_candidates == candidates
    assert access.sees_exact_figures == exact and access.masked != exact
    assert access.may_handle_requests == handles
    assert access.may_open_citizen_records == records
    assert access.may_approve_staff == approves
    assert (access.member is not None) == who.endswith("_member")


@pytest.mark.parametrize("who", [w for w, row in MATRIX.items() if row[0]])
def test_it_works_out_what_a_user_may_do_in_three_queries(request, task_force, who):
    user = user_of(request, who)
    with CaptureQueriesContext(connection) as queries:
        _task_force, access = get_task_force_for_user(user, task_force.pk)
        # Asked again and again in a page, with no further query.
        for _ in range(3):
            access.facilitator, access.may_see_candidates, access.masked, access.may_handle_requests
    assert len(queries) <= 3


def test_it_lets_the_owner_and_the_facilitator_edit_an_action_and_no_other_member(
    task_force, leader_member, co_leader_member, facilitator_member, manager
):
    action = make_action(task_force, leader_member)
    may_edit = {
        who.user.username if hasattr(who, "user") else who.username: get_task_force_for_user(
            who.user if hasattr(who, "user") else who, task_force.pk
        )[1].may_edit_action(action)
        for who in (leader_member, co_leader_member, facilitator_member, manager)
    }
    assert may_edit == {"leder": True, "leder-cafe": False, "facilitator": True, "chef": False}


def test_it_lets_the_member_who_pledged_and_the_facilitator_open_a_pledge(
    task_force, leader_member, co_leader_member, staff_member, manager
):
    from workspace import services

    action = make_action(task_force, leader_member)
    pledge = services.pledge_create(
        action=action, member=leader_member, title="Køkken", tasks="", hours_min=4, hours_max=6, positions=2
    )
    pledge = Pledge.objects.get(pk=pledge.pk)

    def may_open(user):
        return get_task_force_for_user(user, task_force.pk)[1].may_open_pledge(pledge)

    assert may_open(leader_member.user)
    assert may_open(staff_member.user)
    assert not may_open(co_leader_member.user)
    assert not may_open(manager)


def test_it_refuses_what_the_user_may_not_do_with_403(task_force, leader_member, manager):
    _tf, leader_access = get_task_force_for_user(leader_member.user, task_force.pk)
    assert leader_access.require_member() == leader_member
    with pytest.raises(PermissionDenied):
        leader_access.require_facilitator()
    with pytest.raises(PermissionDenied):
        leader_access.require_request_handler()
    _tf, manager_access = get_task_force_for_user(manager, task_force.pk)
    with pytest.raises(PermissionDenied):
        manager_access.require_member()


def test_it_lists_each_task_force_once(consultant, staff_member, task_force):
    assert list(task_forces_for_user(consultant)) == [task_force]


def test_it_finds_a_candidate_only_through_a_valid_token(leader_member, task_force, fredericia, odense):
    _tf, access = get_task_force_for_user(leader_member.user, task_force.pk)
    citizen = make_citizen(fredericia, consent_to_share_profile=True)
    assert get_candidate_for_user(access, candidate_token(citizen)) == citizen
    for token in ("", "x", "A" * 22, candidate_token(citizen)[:-1], str(citizen.pk)):
        with pytest.raises(Http404):
            get_candidate_for_user(access, token)
    for other in (make_citizen(fredericia), make_citizen(odense, consent_to_share_profile=True)):
        with pytest.raises(Http404):
            get_candidate_for_user(access, candidate_token(other))


def test_it_hides_candidates_from_a_manager_who_only_follows_the_figures(manager, task_force, fredericia):
    _tf, access = get_task_force_for_user(manager, task_force.pk)
    citizen = make_citizen(fredericia, consent_to_share_profile=True)
    with pytest.raises(Http404):
        get_candidate_for_user(access, candidate_token(citizen))


def test_it_closes_the_workspace_and_its_candidates_to_a_leader_who_loses_the_leader_role(
    login, leader_member, task_force, fredericia
):
    citizen = make_citizen(fredericia, consent_to_share_profile=True)
    client = login(leader_member.user)
    assert client.get(f"/taskforce/{task_force.pk}/").status_code == 200
    Membership.objects.filter(user=leader_member.user, municipality=fredericia, role=Role.LEADER).delete()
    assert task_force not in task_forces_for_user(leader_member.user)
    for url in (f"/taskforce/{task_force.pk}/", f"/taskforce/{task_force.pk}/candidates/",
                f"/taskforce/{task_force.pk}/candidates/{candidate_token(citizen)}/"):
        assert client.get(url).status_code == 404, url
    with pytest.raises(Http404):
        get_task_force_for_user(leader_member.user, task_force.pk)


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


def test_it_keeps_the_workspace_open_to_a_member_whose_municipal_role_is_staff_of_another_kind(staff_member, task_force, fredericia):
    Membership.objects.filter(user=staff_member.user, municipality=fredericia).update(role=Role.MANAGER)
    assert get_task_force_for_user(staff_member.user, task_force.pk)[1].member == staff_member


def test_it_keeps_the_workspace_open_to_the_outside_facilitator_by_membership_alone(facilitator_member, task_force):
    user = facilitator_member.user
    assert not Membership.objects.filter(user=user).exists()
    assert task_force in task_forces_for_user(user)
    assert get_task_force_for_user(user, task_force.pk)[1].member == facilitator_member
