"""A course's dates hold to their plausible window on the model itself, so the admin refuses
what the course form refuses (a course ending in year 9999)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course

WINDOW = "Datoen skal ligge mellem 01.01.1900 og "


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


def admin_data(municipality, **fields):
    data = {
        "municipality": municipality.pk, "title": "Køkken og vaskeri", "description": "",
        "start_date": "2026-02-02", "end_date": "2026-03-27", "job_promise": "on",
        "enrolments-TOTAL_FORMS": "0", "enrolments-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "field, value", [("end_date", "9999-12-31"), ("start_date", "1899-12-31"), ("start_date", "9999-01-01")]
)
def test_the_admin_refuses_a_course_date_outside_the_window(admin_client, fredericia, field, value):
    response = admin_client.post(reverse("admin:courses_course_add"), admin_data(fredericia, **{field: value}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(WINDOW)
    assert not Course.objects.exists()


def test_the_admin_saves_a_course_within_the_window(admin_client, fredericia):
    assert admin_client.post(reverse("admin:courses_course_add"), admin_data(fredericia)).status_code == 302
    course = Course.objects.get()
    assert (course.start_date, course.end_date) == (date(2026, 2, 2), date(2026, 3, 27))


def test_the_model_holds_a_course_to_three_years_ahead(fredericia):
    course = Course(municipality=fredericia, title="Forløb", start_date=date(2026, 2, 2), end_date=date(2040, 1, 1))
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert list(error.value.message_dict) == ["end_date"]
