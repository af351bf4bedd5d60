"""Courses: consultants register them with their employers; only their own municipality's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.access import get_course_for_user
from courses.models import Course

CREATE_URL = reverse("courses:create")
LIST_URL = reverse("courses:list")


def course_data(municipality, employers=(), **overrides):
    data = {
        "municipality": municipality.pk,
        "title": "Pedelforløb med jobløfte",
        "description": "",
        "start_date": "2026-05-04",
        "end_date": "2026-06-26",
        "job_promise": "on",
        "employers": [e.pk for e in employers],
    }
    data.update(overrides)
    return data


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_it_lets_a_consultant_create_a_course_with_employers(login, consultant, fredericia, care_home, employer):
    response = login(consultant).post(CREATE_URL, course_data(fredericia, [care_home, employer]))
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:detail", args=[course.pk])
    assert (course.municipality, course.start_date, course.job_promise) == (fredericia, date(2026, 5, 4), True)
    assert set(course.employers.all()) == {care_home, employer}


def test_it_refuses_another_municipalitys_employer(login, consultant, fredericia, care_home, other_employer):
    response = login(consultant).post(CREATE_URL, course_data(fredericia, [care_home, other_employer]))
    assert response.status_code == 200
    assert errors(response, "employers")
    assert not Course.objects.exists()


def test_it_refuses_a_course_in_another_municipality(login, consultant, odense, fredericia):
    response = login(consultant).post(CREATE_URL, course_data(odense))
    assert response.status_code == 200
    assert errors(response, "municipality")
    assert not Course.objects.exists()


def test_it_offers_only_the_municipalitys_employers(login, consultant, care_home, other_employer):
    response = login(consultant).get(CREATE_URL)
    assert list(response.context["form"].fields["employers"].queryset) == [care_home]
    assert "Odense Værft" not in response.content.decode()


def test_it_refuses_employers_of_another_of_the_users_municipalities(login, admin_user, fredericia, other_employer):
    # The admin may pick every municipality's employers, but a course keeps to its own.
    response = login(admin_user).post(CREATE_URL, course_data(fredericia, [other_employer]))
    assert errors(response, "employers") == ["Virksomhederne skal høre til forløbets kommune."]
    assert not Course.objects.exists()


def test_it_refuses_an_end_before_the_start_in_danish(login, consultant, fredericia):
    response = login(consultant).post(CREATE_URL, course_data(fredericia, end_date="2026-05-01"))
    assert response.status_code == 200
    assert "Slutdatoen må ikke ligge før startdatoen." in response.content.decode()
    assert not Course.objects.exists()


def test_it_lets_a_consultant_edit_a_course(login, consultant, course, fredericia, employer):
    response = login(consultant).post(
        reverse("courses:edit", args=[course.pk]), course_data(fredericia, [employer], title="Nyt navn")
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Nyt navn"
    assert list(course.employers.all()) == [employer]


def test_it_keeps_an_edited_course_in_its_municipality(login, admin_user, course, odense):
    response = login(admin_user).post(reverse("courses:edit", args=[course.pk]), course_data(odense))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.municipality.code == 607


def test_it_lists_the_municipalitys_courses_with_their_funnel(login, consultant, course, other_course, enrol):
    enrol(course)
    enrol(course, status="completed")
    response = login(consultant).get(LIST_URL)
    assert response.status_code == 200
    assert [(c.title, c.enrolled, c.completed, c.hired) for c in response.context["page"].object_list] == [
        ("Køkken og vaskeri med jobløfte", 2, 1, 0)
    ]
    assert "Odense-forløb" not in response.content.decode()


def test_it_shows_the_course_with_its_employers_and_enrolments(login, consultant, course, enrol):
    enrol(course, first_name="Grethe", last_name="Lund")
    response = login(consultant).get(reverse("courses:detail", args=[course.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plejecenter Kastanjehaven" in html
    assert "Grethe Lund" in html


def test_it_lists_the_courses_in_a_fixed_number_of_queries(login, consultant, fredericia, enrol):
    client = login(consultant)

    def make(n):
        for i in range(n):
            course = Course.objects.create(
                municipality=fredericia, title=f"Forløb {i}", start_date=date(2026, 1, 1 + i)
            )
            enrol(course)
            enrol(course, status="completed")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).status_code == 200
        return len(queries)

    make(2)
    with_2 = count()
    make(10)
    assert count() == with_2


URLS = [
    ("get", "courses:detail", None),
    ("get", "courses:edit", None),
    ("post", "courses:edit", {"title": "X"}),
    ("post", "courses:enrol", {"cpr": "010190-1234"}),
]


@pytest.mark.parametrize("method, name, data", URLS)
def test_it_gives_an_outsider_404(login, outsider, course, method, name, data):
    response = getattr(login(outsider), method)(reverse(name, args=[course.pk]), data or {})
    assert response.status_code == 404


@pytest.mark.parametrize("method, name, data", URLS)
def test_it_refuses_leaders(login, leader, course, method, name, data):
    response = getattr(login(leader), method)(reverse(name, args=[course.pk]), data or {})
    assert response.status_code == 403


def test_it_refuses_leaders_the_list_and_the_form(login, leader):
    client = login(leader)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(CREATE_URL).status_code == 403


# Managers read the courses (tests/courses/test_manager_reads.py) but change nothing.
@pytest.mark.parametrize("method, name, data", [u for u in URLS if u[:2] != ("get", "courses:detail")])
def test_it_refuses_managers_the_forms(login, manager, course, method, name, data):
    response = getattr(login(manager), method)(reverse(name, args=[course.pk]), data or {})
    assert response.status_code == 403
    assert login(manager).get(CREATE_URL).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, course):
    response = client.get(reverse("courses:detail", args=[course.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_loads_courses_only_through_the_users_municipalities(consultant, outsider, admin_user, course):
    from django.http import Http404

    assert get_course_for_user(consultant, course.pk) == course
    assert get_course_for_user(admin_user, course.pk) == course
    with pytest.raises(Http404):
        get_course_for_user(outsider, course.pk)


def test_it_gives_a_consultant_404_for_another_municipalitys_course(login, consultant, other_course):
    assert login(consultant).get(reverse("courses:detail", args=[other_course.pk])).status_code == 404


# --- two people editing at once ---------------------------------------------------------


def _edit_data(client, course, **changes):
    """The edit form as the browser submits it (with the values it was opened with), plus changes."""
    from tests.html import form_values

    data = form_values(client.get(reverse("courses:edit", args=[course.pk])).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def test_it_keeps_a_colleagues_change_made_while_the_form_was_open(login, consultant, course, care_home, employer):
    client = login(consultant)
    data = _edit_data(client, course, title="Nyt navn")
    Course.objects.filter(pk=course.pk).update(description="Aftalt med plejecentret", end_date=date(2026, 4, 3))
    course.employers.add(employer)
    assert client.post(reverse("courses:edit", args=[course.pk]), data).status_code == 302
    course.refresh_from_db()
    assert (course.title, course.description, course.end_date) == ("Nyt navn", "Aftalt med plejecentret", date(2026, 4, 3))
    assert set(course.employers.all()) == {care_home, employer}


def test_it_changes_only_the_employers_when_those_are_changed(login, consultant, course, care_home, employer):
    client = login(consultant)
    data = _edit_data(client, course, employers=[employer.pk])
    Course.objects.filter(pk=course.pk).update(title="Kollegaens titel")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("courses:edit", args=[course.pk]), data).status_code == 302
    assert not [q for q in queries if q["sql"].startswith('UPDATE "courses_course"')]
    course.refresh_from_db()
    assert course.title == "Kollegaens titel"
    assert list(course.employers.all()) == [employer]


def test_it_logs_that_the_course_page_named_the_enrolled(login, consultant, course, enrol):
    from audit.models import AccessLog

    enrol(course, first_name="Grethe", last_name="Lund")
    login(consultant).get(reverse("courses:detail", args=[course.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.model, log.object_id, log.municipality, log.purpose) == (
        consultant,
        AccessLog.Action.VIEW,
        "courses.Course",
        course.pk,
        course.municipality,
        "forløb",
    )
