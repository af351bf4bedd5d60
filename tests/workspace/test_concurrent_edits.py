"""Two facilitators editing one workshop at once: a field both changed is refused to the
second, and changes to different fields (the minutes, the place) are both kept (before, the
second save overwrote the first's minutes)."""

import pytest
from django.test import Client

from core import edits
from tests.factories import make_workshop
from tests.html import opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


@pytest.fixture
def two(login, facilitator_member, staff_member):
    second = Client()
    second.force_login(staff_member.user)
    return login(facilitator_member.user), second


@pytest.fixture
def workshop(task_force):
    return make_workshop(task_force, days_from_now=-1)


def url(workshop):
    return f"/taskforce/{workshop.task_force_id}/workshops/{workshop.pk}/"


def opened(client, workshop, **changes):
    return opened_form(client, url(workshop), "workshop-form", **changes)


def test_it_keeps_the_minutes_when_a_colleague_changes_the_place_meanwhile(two, workshop):
    first, second = two
    data_a = opened(first, workshop, minutes="Vi valgte tre løsninger.")
    data_b = opened(second, workshop, place="Rådhuset")
    assert first.post(url(workshop), data_a).status_code == 302
    assert second.post(url(workshop), data_b).status_code == 302
    workshop.refresh_from_db()
    assert (workshop.minutes, workshop.place) == ("Vi valgte tre løsninger.", "Rådhuset")


def test_it_refuses_a_stale_change_to_the_minutes(two, workshop):
    first, second = two
    data_a = opened(first, workshop, minutes="Første referat")
    data_b = opened(second, workshop, minutes="Andet referat")
    assert first.post(url(workshop), data_a).status_code == 302
    response = second.post(url(workshop), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["minutes"] == [STALE_MESSAGE]
    workshop.refresh_from_db()
    assert workshop.minutes == "Første referat"
