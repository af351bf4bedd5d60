"""Managers read their municipality's courses and the funnel they report on, with no citizen
named (SPEC: a manager sees dashboards and reports, no personal data beyond that); only
consultants and admins create, edit and enrol."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import AccessLog
from courses.access import get_course_for_reader
from courses.models import Course, Enrolment
from tests.factories import make_employer, make_placement, make_user

from .conftest import COURSE_START

LIST_URL = reverse("courses:list")


def detail_url(course):
    return reverse("courses:detail", args=[course.pk])


@pytest.fixture
def funnel(course, enrol, care_home):
    """Grethe Lund completed and was hired, Ole Holm completed, Sanne Bak dropped out."""
    hired = enrol(course, status=Enrolment.Status.COMPLETED, first_name="Grethe", last_name="Lund", cpr="0101901234")
    make_placement(hired.citizen, care_home, start_date=COURSE_START.replace(month=4))
    enrol(course, status=Enrolment.Status.COMPLETED, first_name="Ole", last_name="Holm")
    enrol(course, status=Enrolment.Status.DROPPED, first_name="Sanne", last_name="Bak")
    return course


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_lists_the_municipalitys_courses_with_their_funnel_to_a_manager(login, manager, funnel, other_course):
    response = login(manager).get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert [(c.title, c.enrolled, c.completed, c.hired) for c in response.context["page"].object_list] == [
        ("Køkken og vaskeri med jobløfte", 3, 2, 1)
    ]
    assert "Odense-forløb" not in html
    # Reading only: no way to create a course.
    assert reverse("courses:create") not in html and "Opret forløb" not in html


def test_it_offers_a_consultant_the_create_button_on_the_list(login, consultant, course):
    assert reverse("courses:create") in login(consultant).get(LIST_URL).content.decode()


def test_it_shows_a_manager_the_funnel_but_no_citizen(login, manager, funnel, care_home):
    response = login(manager).get(detail_url(funnel))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tilmeldt 3 → Gennemført 2 → Ansat 1" in text(html)
    assert "Plejecenter Kastanjehaven" in html
    for name in ("Grethe", "Lund", "Ole", "Holm", "Sanne", "Bak"):
        assert name not in html
    assert "010190" not in html
    assert reverse("citizens:detail", args=[Enrolment.objects.first().citizen_id]) not in html
    # No forms and no links to what a manager may not open.
    assert "<form method=\"post\"" not in html.split('<main', 1)[-1].split("</main>", 1)[0]
    assert 'name="cpr"' not in html and 'name="status"' not in html
    assert reverse("courses:edit", args=[funnel.pk]) not in html
    assert reverse("employers:detail", args=[care_home.pk]) not in html
    assert "De tilmeldte borgere vises kun for jobcentrets konsulenter." in html


def test_it_logs_no_page_view_for_a_manager_who_sees_nobody(login, manager, funnel):
    login(manager).get(detail_url(funnel))
    assert not AccessLog.objects.filter(model="courses.Course").exists()


def test_it_still_shows_a_consultant_the_enrolled(login, consultant, funnel):
    html = login(consultant).get(detail_url(funnel)).content.decode()
    assert "Grethe Lund" in html and 'name="cpr"' in html
    assert reverse("courses:edit", args=[funnel.pk]) in html


def test_it_gives_another_municipalitys_manager_404(login, odense, course):
    odense_manager = make_user("chef-odense", odense, Role.MANAGER)
    assert login(odense_manager).get(detail_url(course)).status_code == 404
    assert list(login(odense_manager).get(LIST_URL).context["page"].object_list) == []


def test_it_lets_a_manager_change_nothing(login, manager, course, fredericia):
    client = login(manager)
    assert client.post(reverse("courses:edit", args=[course.pk]), {"title": "Nyt"}).status_code == 403
    assert client.post(reverse("courses:enrol", args=[course.pk]), {"cpr": "010190-1234"}).status_code == 403
    assert client.post(reverse("courses:create"), {"title": "Nyt", "municipality": fredericia.pk}).status_code == 403
    assert Course.objects.get().title == "Køkken og vaskeri med jobløfte"
    assert not Enrolment.objects.exists()


def test_it_reads_the_role_of_the_courses_own_municipality(fredericia, odense, course, other_course):
    # A manager in Fredericia who is a consultant in Odense does casework only in Odense.
    user = make_user("begge", fredericia, Role.MANAGER)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    assert get_course_for_reader(user, course.pk) == (course, False)
    assert get_course_for_reader(user, other_course.pk) == (other_course, True)


def test_it_shows_the_mixed_user_no_names_where_they_only_manage(login, fredericia, odense, funnel):
    user = make_user("begge", fredericia, Role.MANAGER)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    html = login(user).get(detail_url(funnel)).content.decode()
    assert "Grethe" not in html and 'name="cpr"' not in html


def test_it_shows_a_manager_the_course_page_in_a_fixed_number_of_queries(login, manager, course, enrol):
    client = login(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(course)).status_code == 200
        return len(queries)

    enrol(course)
    with_1 = count()
    for _ in range(5):
        enrol(course, status=Enrolment.Status.COMPLETED)
    course.employers.add(make_employer(course.municipality, name="Andet plejecenter"))
    assert count() == with_1


def test_it_links_the_dashboards_courses_to_their_page_for_a_manager(login, manager, funnel, fredericia):
    from datetime import date

    from progress.models import Target

    Target.objects.create(municipality=fredericia, title="Mål", number=164,
                          period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    client = login(manager)
    html = client.get(reverse("progress:dashboard"), {"municipality": 607, "as_of": "2026-04-01"}).content.decode()
    assert f'<a href="{detail_url(funnel)}">Køkken og vaskeri med jobløfte</a>' in html
    assert client.get(detail_url(funnel)).status_code == 200
