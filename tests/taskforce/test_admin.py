"""The workspace's records in the admin: every list and add page loads for an admin."""

import pytest

from taskforce.models import Invitation, VisionVersion

from .conftest import make_action, make_round, make_solution, make_workshop

PAGES = ["taskforce", "workshop", "visionversion", "solution", "rankinground", "action", "pledge", "invitation",
         "meetingrequest"]


@pytest.mark.parametrize("model", PAGES)
def test_it_shows_the_admin_list_and_add_pages(login, admin_user, leader_member, model):
    tf = leader_member.task_force
    make_workshop(tf)
    VisionVersion.objects.create(task_force=tf, author=leader_member, text="Vision")
    make_solution(tf, leader_member)
    make_round(tf)
    make_action(tf, leader_member)
    Invitation.objects.create(task_force=tf, email="a@b.dk", first_name="A", last_name="B")
    client = login(admin_user)
    assert client.get(f"/admin/taskforce/{model}/").status_code == 200
    assert client.get(f"/admin/taskforce/{model}/add/").status_code == 200


def test_it_shows_a_task_force_with_its_members_in_the_admin(login, admin_user, leader_member, staff_member):
    response = login(admin_user).get(f"/admin/taskforce/taskforce/{leader_member.task_force_id}/change/")
    assert response.status_code == 200
    assert "Lise Lund" in response.content.decode() or "leder" in response.content.decode()
