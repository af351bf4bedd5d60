"""Input the course pages used to take: a course ending in year 9999, and a hidden
`expected_status` that was sent straight to the database (a NUL in it was a server error on
PostgreSQL). Each is refused with a Danish message and changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from courses.models import Course, Enrolment

RETYPE = "Af hensyn til borgerens data vises CPR-nummeret ikke igen. Skriv det igen."


def course_data(fredericia, **overrides):
    data = {"municipality": fredericia.pk, "title": "Køkken med jobløfte", "description": "",
            "start_date": "2026-02-02", "end_date": "2026-03-27"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, value", [("end_date", "9999-12-31"), ("start_date", "0001-01-01")])
def test_it_refuses_a_course_outside_a_plausible_window(login, consultant, fredericia, field, value):
    response = login(consultant).post(reverse("courses:create"), course_data(fredericia, **{field: value}))
    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert message.startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Course.objects.exists()


@pytest.mark.parametrize("expected", ["bogus", "enrolled\x00", "x" * 5000])
def test_it_refuses_a_tampered_expected_status_and_changes_nothing(login, consultant, course, enrol, expected):
    enrolment = enrol(course)
    response = login(consultant).post(
        reverse("courses:enrolment_status", args=[course.pk, enrolment.pk]), {"status": "completed", "expected_status": expected}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Tilmeldingen kunne ikke opdateres. Genindlæs siden og prøv igen."
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_it_still_takes_the_status_the_page_showed(login, consultant, course, enrol):
    enrolment = enrol(course)
    login(consultant).post(
        reverse("courses:enrolment_status", args=[course.pk, enrolment.pk]), {"status": "completed", "expected_status": "enrolled"}
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_it_does_not_echo_the_cpr_number_of_a_refused_enrolment(login, consultant, course):
    response = login(consultant).post(reverse("courses:enrol", args=[course.pk]), {"cpr": "150385-4321"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "150385-4321" not in html and RETYPE in html
