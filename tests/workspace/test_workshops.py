"""Workshops: planned by the facilitator, registration before, attendance and minutes after,
and an .ics file per workshop."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from workspace.models import Attendance, Workshop

from tests.factories import make_workshop


def workshops_url(task_force):
    return f"/taskforce/{task_force.pk}/workshops/"


def workshop_url(workshop, suffix=""):
    return f"/taskforce/{workshop.task_force_id}/workshops/{workshop.pk}/{suffix}"


def workshop_data(**overrides):
    day = timezone.localdate() + timedelta(days=14)
    data = {"title": "Workshop 2: Løsninger", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00",
            "place": "Kanalbyens Café", "agenda": "Idéer\nPrioritering", "minutes": ""}
    data.update(overrides)
    return data


def test_it_lets_the_facilitator_plan_a_workshop(login, facilitator_member, task_force):
    response = login(facilitator_member.user).post(workshops_url(task_force), workshop_data())
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response.url == workshop_url(workshop)
    assert (workshop.task_force, workshop.title, workshop.place) == (task_force, "Workshop 2: Løsninger", "Kanalbyens Café")
    assert timezone.localtime(workshop.starts_at).hour == 9


def test_it_refuses_a_workshop_that_ends_before_it_starts(login, facilitator_member, task_force):
    day = timezone.localdate() + timedelta(days=14)
    response = login(facilitator_member.user).post(
        workshops_url(task_force), workshop_data(starts_at=f"{day}T12:00", ends_at=f"{day}T09:00")
    )
    assert response.status_code == 200
    assert "En workshop skal slutte efter den begynder." in response.content.decode()
    assert not Workshop.objects.exists()


def test_it_lets_no_leader_plan_a_workshop(login, leader_member, task_force):
    response = login(leader_member.user).get(workshops_url(task_force))
    assert response.status_code == 200 and response.context["form"] is None
    assert login(leader_member.user).post(workshops_url(task_force), workshop_data()).status_code == 403
    assert not Workshop.objects.exists()


def test_it_lists_upcoming_and_past_workshops(login, leader_member, task_force):
    coming = make_workshop(task_force, title="Workshop 3: Handlingsplan", days_from_now=10)
    held = make_workshop(task_force, title="Workshop 1: Vision", days_from_now=-30, minutes="Visionen blev vedtaget.")
    older = make_workshop(task_force, title="Workshop 0: Opstart", days_from_now=-60)
    response = login(leader_member.user).get(workshops_url(task_force))
    assert response.status_code == 200
    assert response.context["upcoming"] == [coming]
    assert response.context["past"] == [held, older]
    html = response.content.decode()
    assert html.index("Workshop 3: Handlingsplan") < html.index("Afholdte workshops") < html.index("Workshop 1: Vision")


def test_it_gives_404_for_another_task_forces_workshop(login, leader_member, other_task_force, task_force):
    other = make_workshop(other_task_force)
    client = login(leader_member.user)
    assert client.get(f"/taskforce/{task_force.pk}/workshops/{other.pk}/").status_code == 404
    assert client.get(workshop_url(other)).status_code == 404
    assert client.get(workshop_url(other, "workshop.ics")).status_code == 404


def test_it_registers_a_member_before_the_workshop(login, leader_member):
    workshop = make_workshop(leader_member.task_force)
    client = login(leader_member.user)
    response = client.post(workshop_url(workshop, "register/"), {"register": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(workshop=workshop, member=leader_member).registered
    assert "Du er tilmeldt." in client.get(workshop_url(workshop)).content.decode()
    client.post(workshop_url(workshop, "register/"), {"register": "0"})
    assert not Attendance.objects.get(workshop=workshop, member=leader_member).registered


def test_it_refuses_registration_after_the_workshop(login, leader_member):
    workshop = make_workshop(leader_member.task_force, days_from_now=-3)
    response = login(leader_member.user).post(workshop_url(workshop, "register/"), {"register": "1"}, follow=True)
    assert "Workshoppen er afholdt" in response.content.decode()
    assert not Attendance.objects.filter(registered=True).exists()


def test_it_records_attendance_after_the_workshop(login, facilitator_member, leader_member, co_leader_member):
    workshop = make_workshop(leader_member.task_force, days_from_now=-1)
    response = login(facilitator_member.user).post(workshop_url(workshop, "attendance/"), {"attended": [leader_member.pk]})
    assert response.status_code == 302
    attended = set(Attendance.objects.filter(workshop=workshop, attended=True).values_list("member", flat=True))
    assert attended == {leader_member.pk}
    page = login(leader_member.user).get(workshops_url(workshop.task_force))
    assert page.context["past"][0].attended == 1


def test_it_refuses_attendance_before_the_workshop_starts(login, facilitator_member, leader_member):
    workshop = make_workshop(leader_member.task_force, days_from_now=5)
    response = login(facilitator_member.user).post(workshop_url(workshop, "attendance/"), {"attended": [leader_member.pk]},
                                                   follow=True)
    assert "Fremmødet kan først registreres" in response.content.decode()
    assert not Attendance.objects.filter(attended=True).exists()


def test_it_lets_no_leader_record_attendance(login, leader_member):
    workshop = make_workshop(leader_member.task_force, days_from_now=-1)
    assert login(leader_member.user).post(workshop_url(workshop, "attendance/"), {"attended": [leader_member.pk]}).status_code == 403
    assert not Attendance.objects.exists()


def test_it_lets_the_facilitator_write_the_minutes(login, facilitator_member, leader_member):
    workshop = make_workshop(leader_member.task_force, days_from_now=-1)
    data = workshop_data(title=workshop.title, starts_at=f"{timezone.localtime(workshop.starts_at):%Y-%m-%dT%H:%M}",
                         ends_at=f"{timezone.localtime(workshop.ends_at):%Y-%m-%dT%H:%M}",
                         minutes="Vi blev enige om tre løsninger.")
    assert login(facilitator_member.user).post(workshop_url(workshop), data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.minutes == "Vi blev enige om tre løsninger."
    html = login(leader_member.user).get(workshop_url(workshop)).content.decode()
    assert "Vi blev enige om tre løsninger." in html
    assert login(leader_member.user).post(workshop_url(workshop), {**data, "minutes": "Hacket"}).status_code == 403


def test_it_serves_a_valid_ics_file(login, leader_member):
    workshop = make_workshop(leader_member.task_force, title="Workshop 2: Løsninger", agenda="Idéer")
    response = login(leader_member.user).get(workshop_url(workshop, "workshop.ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == workshop.starts_at
    assert event.decoded("dtend") == workshop.ends_at
    assert str(event["summary"]) == "Task Force Fleksjob Fredericia: Workshop 2: Løsninger"
    assert str(event["location"]) == "Jobcentret"
    assert str(calendar["version"]) == "2.0"


@pytest.mark.parametrize("viewer", ["manager", "consultant"])
def test_it_shows_workshops_to_the_municipalitys_staff(request, login, task_force, viewer):
    make_workshop(task_force)
    assert login(request.getfixturevalue(viewer)).get(workshops_url(task_force)).status_code == 200


def test_it_gives_404_to_a_leader_of_another_task_force(login, other_leader_member, task_force):
    workshop = make_workshop(task_force)
    client = login(other_leader_member.user)
    assert client.get(workshops_url(task_force)).status_code == 404
    assert client.get(workshop_url(workshop)).status_code == 404
    assert client.post(workshop_url(workshop, "register/"), {"register": "1"}).status_code == 404


def test_it_records_attendance_for_any_number_of_members_in_a_fixed_number_of_queries(
    login, facilitator_member, leader_member, co_leader_member, staff_member, fredericia
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role
    from workspace.models import Member
    from tests.factories import make_user

    task_force = leader_member.task_force
    workshop = make_workshop(task_force, days_from_now=-1)
    Attendance.objects.create(workshop=workshop, member=leader_member, registered=True)
    client = login(facilitator_member.user)
    url = workshop_url(workshop, "attendance/")

    def record(present):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, {"attended": [m.pk for m in present]}).status_code == 302
        return len(queries)

    few = record([leader_member, co_leader_member])
    for i in range(6):
        Member.objects.create(task_force=task_force, kind=Member.Kind.LEADER,
                              user=make_user(f"leder-{i}", fredericia, Role.LEADER))
    members = list(task_force.members.all())
    assert record(members[::2]) == few
    attended = dict(Attendance.objects.filter(workshop=workshop).values_list("member_id", "attended"))
    assert attended == {m.pk: m in members[::2] for m in members}
    # A member's registration is kept when the attendance is recorded.
    assert Attendance.objects.get(workshop=workshop, member=leader_member).registered


def test_it_records_attendance_all_or_nothing(login, facilitator_member, leader_member, co_leader_member, monkeypatch):
    from django.db import models

    from workspace import services

    workshop = make_workshop(leader_member.task_force, days_from_now=-1)
    Attendance.objects.create(workshop=workshop, member=leader_member, attended=True)
    original = models.QuerySet.bulk_create

    def half_then_fail(self, objs, *args, **kwargs):
        original(self, objs[:1], *args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(models.QuerySet, "bulk_create", half_then_fail)
    with pytest.raises(RuntimeError):
        services.attendance_record(workshop=workshop, present_member_ids=[co_leader_member.pk])
    assert list(Attendance.objects.filter(workshop=workshop).values_list("member_id", "attended")) == [
        (leader_member.pk, True)
    ]
