"""Two managers editing one target at once: a field both changed is refused to the second,
and changes to different fields are both kept (before, the second save overwrote all)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core import edits
from tests.factories import make_user
from tests.html import form_values, opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


@pytest.fixture
def two(login, manager, fredericia):
    second = Client()
    second.force_login(make_user("chef-2", fredericia, Role.MANAGER))
    return login(manager), second


def edit_url(target):
    return reverse("progress:target_edit", args=[target.pk])


def opened(client, target, **changes):
    return opened_form(client, edit_url(target), **changes)


def test_it_refuses_a_stale_change_to_a_targets_field(two, target):
    first, second = two
    data_a = opened(first, target, number="170")
    data_b = opened(second, target, number="180", title="Flere fleksjob")
    assert first.post(edit_url(target), data_a).status_code == 302
    response = second.post(edit_url(target), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [STALE_MESSAGE]
    target.refresh_from_db()
    assert (target.number, target.title) == (170, "164 nye fleksjob i 2026")
    # The field now shows the colleague's value; saving again is a deliberate choice.
    again = form_values(response.content.decode())
    again.pop("csrfmiddlewaretoken", None)
    assert again["number"] == "170"
    assert second.post(edit_url(target), {**again, "number": "180"}).status_code == 302
    target.refresh_from_db()
    assert (target.number, target.title) == (180, "Flere fleksjob")


def test_it_saves_both_managers_changes_to_different_fields(two, target):
    first, second = two
    data_a = opened(first, target, number="170")
    data_b = opened(second, target, title="Fleksjob 2026")
    assert first.post(edit_url(target), data_a).status_code == 302
    assert second.post(edit_url(target), data_b).status_code == 302
    target.refresh_from_db()
    assert (target.number, target.title) == (170, "Fleksjob 2026")
