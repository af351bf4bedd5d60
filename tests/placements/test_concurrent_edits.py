"""Two people editing one placement at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from audit.models import AccessLog
from core import edits
from placements.forms import PlacementForm
from placements.models import Placement
from tests.factories import make_placement, make_user
from tests.html import opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, hours_per_week=Decimal("8"), start_date=date(2026, 2, 1))


@pytest.fixture
def two(login, consultant, fredericia):
    second = Client()
    second.force_login(make_user("kollega", fredericia, Role.CONSULTANT))
    return login(consultant), second


def edit_url(placement):
    return f"/placements/{placement.pk}/edit/"


def opened(client, placement, **changes):
    return opened_form(client, edit_url(placement), **changes)


def test_it_refuses_a_stale_change_to_a_field_a_colleague_changed(two, placement):
    first, second = two
    data_a = opened(first, placement, hours_per_week="10")
    data_b = opened(second, placement, hours_per_week="12")
    assert first.post(edit_url(placement), data_a).status_code == 302
    response = second.post(edit_url(placement), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_week"] == [STALE_MESSAGE]
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("10")


def test_it_saves_both_colleagues_changes_to_different_fields(two, placement):
    first, second = two
    data_a = opened(first, placement, hours_per_week="10")
    data_b = opened(second, placement, accommodations="Hæve-sænkebord")
    assert first.post(edit_url(placement), data_a).status_code == 302
    assert second.post(edit_url(placement), data_b).status_code == 302
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.accommodations) == (Decimal("10"), "Hæve-sænkebord")


def test_it_refuses_a_change_a_colleague_saved_between_the_check_and_the_write(two, placement, monkeypatch):
    first, _ = two
    data = opened(first, placement, hours_per_week="12")
    checked = PlacementForm._post_clean

    def colleague_saves_right_after_the_check(form):
        checked(form)
        Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("10"))

    monkeypatch.setattr(PlacementForm, "_post_clean", colleague_saves_right_after_the_check)
    updates = AccessLog.objects.filter(action=AccessLog.Action.UPDATE).count()
    response = first.post(edit_url(placement), data)
    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_week"] == [STALE_MESSAGE]
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("10")
    assert AccessLog.objects.filter(action=AccessLog.Action.UPDATE).count() == updates


def test_it_derives_the_target_group_from_a_start_date_a_colleague_changed_meanwhile(two, placement, citizen):
    from citizens.models import Citizen

    Citizen.objects.filter(pk=citizen.pk).update(unemployed_since=date(2025, 6, 1))
    first, second = two
    data_a = opened(first, placement, start_date="2026-08-01")  # unemployed over a year by then
    data_b = opened(second, placement, hours_per_week="6")  # opened when it started in February
    assert first.post(edit_url(placement), data_a).status_code == 302
    assert second.post(edit_url(placement), data_b).status_code == 302
    placement.refresh_from_db()
    assert (placement.start_date, placement.hours_per_week) == (date(2026, 8, 1), Decimal("6"))
    assert placement.in_target_group


def test_it_says_so_when_the_placement_was_deleted_while_it_was_edited(two, placement):
    first, _ = two
    data = opened(first, placement, hours_per_week="6")
    Placement.objects.filter(pk=placement.pk).delete()
    assert first.post(edit_url(placement), data).status_code == 404  # gone before the form loads
