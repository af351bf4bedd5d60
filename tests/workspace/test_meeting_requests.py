"""A leader's "we would like to meet this candidate": who is told, what the leader is told,
and the workspace's list where the jobcenter follows the requests up."""

from decimal import Decimal

import pytest
from django.utils import timezone

from citizens.models import Citizen
from workspace.access import candidate_token
from workspace.models import MeetingRequest
from tests.factories import make_citizen, make_user

from accounts.models import Role


def candidate_url(task_force, citizen):
    return f"/taskforce/{task_force.pk}/candidates/{candidate_token(citizen)}/"


def requests_url(task_force, suffix=""):
    return f"/taskforce/{task_force.pk}/requests/{suffix}"


@pytest.fixture
def unattended(fredericia):
    """A consenting candidate whose consultant has no e-mail address."""
    nobody = make_user("konsulent-uden-mail", fredericia, Role.CONSULTANT, email="")
    return make_citizen(fredericia, consultant=nobody, first_name="Rigmor", last_name="Ravnsborg",
                        consent_to_share_profile=True, status=Citizen.Status.READY, weekly_hours=Decimal("6"))


@pytest.fixture
def attended(fredericia, consultant):
    consultant.email = "karin.holm@fredericia.dk"
    consultant.save(update_fields=["email"])
    return make_citizen(fredericia, consultant=consultant, first_name="Gudrun", last_name="Spangsberg",
                        consent_to_share_profile=True, status=Citizen.Status.READY)


def ask(client, task_force, citizen, capture, message="Vi har et køkkenjob på 6 timer."):
    with capture(execute=True):
        return client.post(candidate_url(task_force, citizen), {"message": message}, follow=True)


def test_it_tells_the_leader_the_consultant_was_told_only_when_there_is_one_to_tell(
    login, leader_member, task_force, attended, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask(login(leader_member.user), task_force, attended, django_capture_on_commit_callbacks)
    assert "En e-mail til jobkonsulenten er lagt i kø til afsendelse" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["karin.holm@fredericia.dk"]]


@pytest.mark.parametrize("consultant_of_citizen", ["none", "without e-mail"])
def test_it_tells_the_task_forces_staff_when_the_citizen_has_no_consultant_to_tell(
    login, leader_member, staff_member, task_force, fredericia, mailoutbox, django_capture_on_commit_callbacks,
    consultant_of_citizen,
):
    staff_member.user.email = "stab@fredericia.dk"
    staff_member.user.save(update_fields=["email"])
    consultant = None if consultant_of_citizen == "none" else make_user("uden-mail", fredericia, Role.CONSULTANT)
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Rigmor", last_name="Ravnsborg",
                           consent_to_share_profile=True, status=Citizen.Status.READY)
    response = ask(login(leader_member.user), task_force, citizen, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert "En e-mail til jobkonsulenten" not in html
    assert "Tak. Jobcentret har fået jeres henvendelse og følger op." in html
    assert MeetingRequest.objects.filter(citizen=citizen, member=leader_member, handled_at=None).exists()
    (mail,) = mailoutbox
    assert mail.to == ["stab@fredericia.dk"]
    text = mail.subject + mail.body
    assert "Lillebælt Byg ApS" in text and f"/taskforce/{task_force.pk}/requests/" in text
    assert "Rigmor" not in text and "Ravnsborg" not in text and f"/citizens/{citizen.pk}/" not in text


def test_it_tells_no_staff_member_who_lost_the_staff_role(
    login, leader_member, staff_member, task_force, unattended, fredericia, mailoutbox,
    django_capture_on_commit_callbacks,
):
    staff_member.user.email = "stab@fredericia.dk"
    staff_member.user.save(update_fields=["email"])
    staff_member.user.memberships.update(role=Role.LEADER)
    ask(login(leader_member.user), task_force, unattended, django_capture_on_commit_callbacks)
    assert mailoutbox == []


@pytest.fixture
def open_request(leader_member, unattended):
    return MeetingRequest.objects.create(citizen=unattended, member=leader_member, message="Vi har et køkkenjob")


@pytest.mark.parametrize("who", ["staff_member", "consultant", "admin_user"])
def test_it_lists_open_requests_for_the_jobcenter(request, login, task_force, open_request, unattended, leader_member, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    MeetingRequest.objects.create(citizen=make_citizen(task_force.municipality, consent_to_share_profile=True),
                                  member=leader_member, handled_at=timezone.now())
    response = login(user).get(requests_url(task_force))
    assert response.status_code == 200
    html = response.content.decode()
    assert [r.pk for r, _code in response.context["rows"]] == [open_request.pk]
    assert "Lillebælt Byg ApS" in html and "Vi har et køkkenjob" in html
    assert f"/citizens/{unattended.pk}/" in html  # consultants and admins open the record
    assert "Ravnsborg" not in html
    assert f'href="{requests_url(task_force)}"' in login(user).get(f"/taskforce/{task_force.pk}/").content.decode()


def test_it_gives_no_record_link_to_staff_without_casework_access(login, task_force, open_request, unattended, fredericia):
    from workspace.models import Member

    manager = make_user("chef-i-stab", fredericia, Role.MANAGER)
    Member.objects.create(task_force=task_force, user=manager, kind=Member.Kind.STAFF)
    html = login(manager).get(requests_url(task_force)).content.decode()
    assert "Vi har et køkkenjob" in html and "/citizens/" not in html


@pytest.mark.parametrize("who", ["leader_member", "co_leader_member", "facilitator_member", "manager"])
def test_it_keeps_the_requests_from_leaders_the_facilitator_and_managers(request, login, task_force, open_request, who):
    user = request.getfixturevalue(who)
    client = login(getattr(user, "user", user))
    assert client.get(requests_url(task_force)).status_code == 403
    assert client.post(requests_url(task_force, f"{open_request.pk}/handled/")).status_code == 403
    open_request.refresh_from_db()
    assert open_request.handled_at is None
    assert f'href="{requests_url(task_force)}"' not in client.get(f"/taskforce/{task_force.pk}/").content.decode()


def test_it_marks_a_request_handled_once(login, staff_member, task_force, open_request):
    client = login(staff_member.user)
    response = client.post(requests_url(task_force, f"{open_request.pk}/handled/"), follow=True)
    assert "Henvendelsen er markeret som håndteret." in response.content.decode()
    open_request.refresh_from_db()
    first = open_request.handled_at
    assert first is not None
    assert response.context["rows"] == []
    again = client.post(requests_url(task_force, f"{open_request.pk}/handled/"), follow=True)
    assert "Henvendelsen er allerede markeret som håndteret." in again.content.decode()
    open_request.refresh_from_db()
    assert open_request.handled_at == first


def test_it_gives_404_for_another_task_forces_request(login, consultant, task_force, other_leader_member, odense):
    foreign = MeetingRequest.objects.create(citizen=make_citizen(odense, consent_to_share_profile=True),
                                            member=other_leader_member)
    client = login(consultant)
    assert client.post(requests_url(task_force, f"{foreign.pk}/handled/")).status_code == 404
    assert client.get(requests_url(other_leader_member.task_force)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.handled_at is None
