"""The workspace's records in the admin: every list and add page loads for an admin."""

import pytest

from workspace.models import Invitation, VisionVersion

from tests.factories import make_action, make_round, make_solution, make_workshop

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
    assert client.get(f"/admin/workspace/{model}/").status_code == 200
    # Invitations are made on the members page, where the approval rule is: the admin reads them.
    assert client.get(f"/admin/workspace/{model}/add/").status_code == (403 if model == "invitation" else 200)


def test_the_admin_reads_an_invitation_but_cannot_approve_it_there(login, admin_user, task_force, consultant):
    invitation = Invitation.objects.create(task_force=task_force, email="a@b.dk", first_name="A", last_name="B",
                                           kind="staff", invited_by=consultant)
    client = login(admin_user)
    page = client.get(f"/admin/workspace/invitation/{invitation.pk}/change/")
    assert page.status_code == 200 and "a@b.dk" in page.content.decode()
    client.post(f"/admin/workspace/invitation/{invitation.pk}/change/", {"approved_by": admin_user.pk})
    invitation.refresh_from_db()
    assert invitation.approved_at is None and invitation.approved_by is None


def test_it_shows_a_task_force_with_its_members_in_the_admin(login, admin_user, leader_member, staff_member):
    response = login(admin_user).get(f"/admin/workspace/taskforce/{leader_member.task_force_id}/change/")
    assert response.status_code == 200
    assert "Lise Lund" in response.content.decode() or "leder" in response.content.decode()


def test_it_names_the_workspace_records_in_danish():
    from workspace.models import Attendance, Comment, MeetingRequest, Score

    assert [str(m._meta.verbose_name) for m in (MeetingRequest, Comment, Score, Attendance)] == [
        "ønske om møde", "kommentar", "point", "deltagelse"
    ]
    assert [str(m._meta.verbose_name_plural) for m in (MeetingRequest, Comment, Attendance)] == [
        "ønsker om møde", "kommentarer", "deltagelser"
    ]


@pytest.mark.parametrize("model", ["visionversion", "solution", "action", "pledge", "meetingrequest"])
def test_it_lists_records_in_the_admin_in_a_fixed_number_of_queries(login, admin_user, fredericia, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role
    from workspace import services
    from workspace.models import MeetingRequest, Member, TaskForce
    from tests.factories import make_citizen, make_employer, make_user

    client = login(admin_user)
    url = f"/admin/workspace/{model}/"
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            tf = TaskForce.objects.create(municipality=fredericia, name=f"TF {i}")
            user = make_user(f"leder-admin-{i}", fredericia, Role.LEADER, first_name=f"L{i}")
            member = Member.objects.create(task_force=tf, user=user, kind=Member.Kind.LEADER,
                                           employer=make_employer(fredericia, name=f"V{i}"))
            VisionVersion.objects.create(task_force=tf, author=member, text="Vision")
            solution = make_solution(tf, member)
            action = make_action(tf, member, solution=solution)
            services.pledge_create(action=action, member=member, title="Job", tasks="", hours_min=4, hours_max=6,
                                   positions=2)
            MeetingRequest.objects.create(citizen=make_citizen(fredericia), member=member)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(1)
    client.get(url)
    few = count()
    add(5)
    assert count() == few


@pytest.mark.parametrize("model", ["visionversion", "solution", "action", "pledge", "meetingrequest"])
def test_it_joins_only_what_the_admin_list_shows(login, admin_user, leader_member, fredericia, model):
    """Not every related table Django can reach: the list of meeting requests must not read
    the citizens' records (names, encrypted CPR numbers) it never shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workspace import services
    from workspace.models import MeetingRequest
    from tests.factories import make_citizen

    tf = leader_member.task_force
    VisionVersion.objects.create(task_force=tf, author=leader_member, text="Vision")
    action = make_action(tf, leader_member, solution=make_solution(tf, leader_member))
    services.pledge_create(action=action, member=leader_member, title="Job", tasks="", hours_min=4, hours_max=6,
                           positions=2)
    MeetingRequest.objects.create(citizen=make_citizen(fredericia), member=leader_member)
    with CaptureQueriesContext(connection) as queries:
        assert login(admin_user).get(f"/admin/workspace/{model}/").status_code == 200
    listing = [q["sql"] for q in queries if f'FROM "workspace_{model}"' in q["sql"] and "COUNT(" not in q["sql"]]
    assert listing
    for sql in listing:
        assert '"citizens_citizen"' not in sql and '"accounts_municipality"' not in sql
