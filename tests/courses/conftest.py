"""Helpers for the course tests: a Fredericia course with a job promise at one employer."""

from datetime import date

import pytest

from courses.models import Course, Enrolment
from tests.factories import make_citizen, make_employer

COURSE_START = date(2026, 2, 2)




@pytest.fixture
def care_home(fredericia):
    return make_employer(fredericia, name="Plejecenter Kastanjehaven", industry="Pleje", size="medium")


@pytest.fixture
def course(fredericia, care_home):
    course = Course.objects.create(
        municipality=fredericia,
        title="Køkken og vaskeri med jobløfte",
        start_date=COURSE_START,
        end_date=date(2026, 3, 27),
    )
    course.employers.add(care_home)
    return course


@pytest.fixture
def other_course(odense):
    return Course.objects.create(municipality=odense, title="Odense-forløb", start_date=COURSE_START)


@pytest.fixture
def enrol():
    """`enrol(course, status=…, citizen=…)`: a new citizen of the course's municipality, enrolled."""

    def _enrol(course, status=Enrolment.Status.ENROLLED, citizen=None, **citizen_fields):
        citizen = citizen or make_citizen(course.municipality, **citizen_fields)
        return Enrolment.objects.create(course=course, citizen=citizen, status=status)

    return _enrol
