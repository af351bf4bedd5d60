"""A course's employers are chosen by searching (core.choosers): the form names the chosen
employers and no others, whatever the municipality's number; the search without JavaScript
shows the form again with the results and saves nothing; an employer of another municipality,
sent by hand, is refused in Danish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course
from employers.choosers import NOT_OURS
from tests.factories import make_employer
from tests.html import form_values

CREATE_URL = reverse("courses:create")


def course_data(municipality, employers=(), **overrides):
    data = {
        "municipality": municipality.pk, "title": "Køkkenforløb", "description": "", "start_date": "2026-05-04",
        "end_date": "2026-06-26", "job_promise": "on", "employers": [e.pk for e in employers],
    }
    data.update(overrides)
    return data


@pytest.fixture
def fifty(fredericia):
    return [make_employer(fredericia, name=f"Virksomhed nr. {n:02d}") for n in range(50)]


def named(html, employers):
    return [e.name for e in employers if e.name in html]


def test_the_new_course_form_names_no_employer(login, consultant, fifty):
    html = login(consultant).get(CREATE_URL).content.decode()
    assert named(html, fifty) == []
    assert 'name="employers__q"' in html and 'hx-get="/employers/choose/?' in html


def test_the_edit_form_names_the_courses_employers_only(login, consultant, course, care_home, fifty):
    course.employers.add(fifty[7])
    html = login(consultant).get(reverse("courses:edit", args=[course.pk])).content.decode()
    assert named(html, fifty) == [fifty[7].name]
    assert care_home.name in html
    assert form_values(html)["employers"] == [str(care_home.pk), str(fifty[7].pk)]


@pytest.mark.parametrize("page", ["create", "edit"])
def test_the_forms_queries_do_not_grow_with_the_employers(login, consultant, fredericia, course, page):
    client = login(consultant)
    url = CREATE_URL if page == "create" else reverse("courses:edit", args=[course.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma {n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma {n}")
    assert count() == few


def test_a_search_without_javascript_shows_the_form_again_with_the_results_and_saves_nothing(
    login, consultant, fredericia, fifty, other_employer
):
    data = course_data(fredericia, [fifty[0]], title="Mit forløb", end_date="")
    data.update(employers__q="nr. 1", employers__search="1")
    response = login(consultant).post(CREATE_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Course.objects.exists()
    assert named(html, fifty) == [fifty[0].name] + [e.name for e in fifty if "1" in e.name]
    assert "Odense" not in html
    assert 'value="Mit forløb"' in html and 'value="nr. 1"' in html  # what was typed is kept
    assert "form-error" not in html and "Der er fejl" not in html  # not checked: a search
    # The employer ticked before is still ticked; the results are not.
    values = form_values(html)
    assert values["employers"] == str(fifty[0].pk)


def test_an_employer_found_and_ticked_is_saved(login, consultant, fredericia, fifty):
    client = login(consultant)
    data = course_data(fredericia, employers__q="nr. 42", employers__search="1")
    html = client.post(CREATE_URL, data).content.decode()
    assert named(html, fifty) == [fifty[42].name]
    data = {**form_values(html), "employers": [str(fifty[42].pk)]}
    data.pop("employers__search", None)
    assert client.post(CREATE_URL, data).status_code == 302
    assert list(Course.objects.get().employers.all()) == [fifty[42]]


def test_another_municipalitys_employer_sent_by_hand_is_refused_in_danish(login, consultant, fredericia, other_employer):
    response = login(consultant).post(CREATE_URL, course_data(fredericia, [other_employer]))
    assert response.status_code == 200
    assert response.context["form"].errors["employers"] == [NOT_OURS]
    assert str(NOT_OURS) in response.content.decode()
    assert "Odense Værft" not in response.content.decode()
    assert not Course.objects.exists()


@pytest.mark.parametrize("sent", ["abc", "-1", str(2**63), "1.5"])
def test_an_employer_that_is_no_id_is_refused_in_danish(login, consultant, fredericia, sent):
    response = login(consultant).post(CREATE_URL, {**course_data(fredericia), "employers": [sent]})
    assert response.status_code == 200
    assert response.context["form"].errors["employers"] == [NOT_OURS]
    assert not Course.objects.exists()


def test_an_employer_unticked_in_the_edit_form_is_removed(login, consultant, course, care_home, employer):
    course.employers.add(employer)
    client = login(consultant)
    data = form_values(client.get(reverse("courses:edit", args=[course.pk])).content.decode())
    data["employers"] = [str(employer.pk)]
    assert client.post(reverse("courses:edit", args=[course.pk]), data).status_code == 302
    assert list(course.employers.all()) == [employer]
