"""Two people editing one course at once."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core import edits
from tests.factories import make_employer, make_user
from tests.html import opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


@pytest.fixture
def two(login, consultant, fredericia):
    second = Client()
    second.force_login(make_user("kollega", fredericia, Role.CONSULTANT))
    return login(consultant), second


def edit_url(course):
    return reverse("courses:edit", args=[course.pk])


def opened(client, course, **changes):
    return opened_form(client, edit_url(course), **changes)


def test_it_keeps_both_colleagues_employers_added_at_once(two, course, care_home, employer, fredericia):
    bakery = make_employer(fredericia, name="Bageriet")
    first, second = two
    data_a = opened(first, course, employers=[care_home.pk, employer.pk])
    data_b = opened(second, course, employers=[care_home.pk, bakery.pk])
    assert first.post(edit_url(course), data_a).status_code == 302
    assert second.post(edit_url(course), data_b).status_code == 302
    assert set(course.employers.all()) == {care_home, employer, bakery}


def test_it_removes_only_the_employer_this_user_unticked(two, course, care_home, employer):
    first, second = two
    data_a = opened(first, course, employers=[care_home.pk, employer.pk])
    data_b = opened(second, course, employers=[])
    assert first.post(edit_url(course), data_a).status_code == 302
    assert second.post(edit_url(course), data_b).status_code == 302
    assert list(course.employers.all()) == [employer]


def test_it_refuses_a_stale_change_to_a_courses_field(two, course):
    first, second = two
    data_a = opened(first, course, title="Køkkenforløb")
    data_b = opened(second, course, title="Vaskeriforløb", description="Med jobløfte")
    assert first.post(edit_url(course), data_a).status_code == 302
    response = second.post(edit_url(course), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [STALE_MESSAGE]
    course.refresh_from_db()
    assert (course.title, course.description) == ("Køkkenforløb", "")


def test_it_saves_both_colleagues_changes_to_different_fields(two, course):
    first, second = two
    data_a = opened(first, course, title="Køkkenforløb")
    data_b = opened(second, course, description="Med jobløfte")
    assert first.post(edit_url(course), data_a).status_code == 302
    assert second.post(edit_url(course), data_b).status_code == 302
    course.refresh_from_db()
    assert (course.title, course.description) == ("Køkkenforløb", "Med jobløfte")
