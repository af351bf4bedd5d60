"""An opening (and so a task force's pledge, which is one) holds 1 to core.limits.MAX_POSITIONS
positions: the forms and the admin say so through the model's validator, and the database
refuses more from any other writer (a script, a queryset update)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.limits import MAX_POSITIONS
from employers.models import Opening
from tests.factories import make_action
from workspace import services as workspace_services

TOO_MANY = "Der kan højst være 100 stillinger i ét opslag."


def make_opening(employer, positions):
    return Opening.objects.create(employer=employer, title="Køkken", hours_min=Decimal("4"), hours_max=Decimal("8"),
                                  positions=positions)


def test_the_database_takes_an_opening_of_the_most_positions_allowed(employer):
    assert MAX_POSITIONS == 100
    assert make_opening(employer, MAX_POSITIONS).positions == 100


@pytest.mark.parametrize("positions", [0, MAX_POSITIONS + 1, 32767])
def test_the_database_refuses_an_opening_outside_the_range(employer, positions):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_opening(employer, positions)
    assert not Opening.objects.exists()


def test_the_database_refuses_an_update_beyond_the_most_positions(employer):
    opening = make_opening(employer, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.filter(pk=opening.pk).update(positions=MAX_POSITIONS + 1)
    opening.refresh_from_db()
    assert opening.positions == 3


def test_the_constraint_says_what_is_allowed_in_danish(employer):
    opening = Opening(employer=employer, title="Køkken", hours_min=Decimal("4"), hours_max=Decimal("8"),
                      positions=MAX_POSITIONS + 1)
    with pytest.raises(ValidationError) as error:
        opening.validate_constraints()
    assert error.value.messages == [TOO_MANY]


def test_the_admin_refuses_an_opening_of_more_positions(login, admin_user, employer):
    data = {"employer": employer.pk, "title": "Køkken", "tasks": "", "hours_min": "4", "hours_max": "8",
            "positions": str(MAX_POSITIONS + 1), "is_open": "on"}
    response = login(admin_user).post(reverse("admin:employers_opening_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["positions"] == [TOO_MANY]
    assert not Opening.objects.exists()


def test_a_pledge_of_more_positions_is_refused_before_the_database(leader_member, task_force):
    action = make_action(task_force, leader_member)
    with pytest.raises(ValidationError) as error:
        workspace_services.pledge_create(action=action, member=leader_member, title="Køkken", tasks="",
                                         hours_min=4, hours_max=8, positions=MAX_POSITIONS + 1)
    assert error.value.message_dict["positions"] == [TOO_MANY]
    assert not Opening.objects.exists()
