"""A placement's dates hold to their plausible window on the model itself, so the admin (and
every other ModelForm) refuses what the placement form refuses: a start in year 9999 made the
placement's page fail as it worked out the follow-up date."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from placements.models import Placement

WINDOW = "Datoen skal ligge mellem 01.01.1900 og "


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


def admin_data(citizen, employer, **fields):
    data = {
        "citizen": citizen.pk, "employer": employer.pk, "opening": "", "kind": "flexjob", "hours_per_week": "8",
        "contracted_hours": "", "start_date": "2026-02-01", "end_date": "", "permanent": "on",
        "accommodations": "", "end_reason": "", "created_by": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "field, value", [("start_date", "9999-12-31"), ("start_date", "1899-12-31"), ("end_date", "9999-12-31")]
)
def test_the_admin_refuses_a_placement_date_outside_the_window(admin_client, citizen, employer, field, value):
    response = admin_client.post(reverse("admin:placements_placement_add"), admin_data(citizen, employer, **{field: value}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(WINDOW)
    assert not Placement.objects.exists()


def test_the_admin_saves_a_placement_within_the_window(admin_client, citizen, employer):
    response = admin_client.post(
        reverse("admin:placements_placement_add"), admin_data(citizen, employer, end_date="2030-01-31")
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.start_date, placement.end_date) == (date(2026, 2, 1), date(2030, 1, 31))


def test_the_admin_refuses_to_move_a_placements_start_to_year_9999(admin_client, citizen, employer):
    placement = Placement.objects.create(
        municipality_id=citizen.municipality_id, citizen=citizen, employer=employer, hours_per_week=Decimal("8"),
        start_date=date(2026, 2, 1),
    )
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    response = admin_client.post(url, admin_data(citizen, employer, start_date="9999-12-31"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["start_date"][0].startswith(WINDOW)
    placement.refresh_from_db()
    assert placement.start_date == date(2026, 2, 1)


def test_the_model_refuses_a_date_outside_the_window_whoever_validates_it(citizen, employer):
    placement = Placement(citizen=citizen, employer=employer, hours_per_week=Decimal("8"), start_date=date(9999, 12, 31))
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert error.value.message_dict["start_date"][0].startswith(WINDOW)
