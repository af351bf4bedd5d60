"""A placement's dates within a plausible window (registering one and ending one), and the
citizen's CPR number not sent back into the page after a failed form."""

from datetime import date

import pytest

from placements.models import Placement
from tests.factories import make_placement

RETYPE = "Af hensyn til borgerens data vises CPR-nummeret ikke igen. Skriv det igen."


@pytest.mark.parametrize("field, value", [("start_date", "0001-01-01"), ("end_date", "9999-12-31")])
def test_it_refuses_a_placement_outside_a_plausible_window(login, consultant, citizen, employer, placement_post, field, value):
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=employer, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Placement.objects.exists()


def test_it_refuses_to_end_a_placement_in_year_9999(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/", {"end_date": "9999-12-31", "end_reason": "health"}
    )
    assert response.status_code in (200, 400)
    placement.refresh_from_db()
    assert placement.end_date is None


def test_it_does_not_echo_the_citizens_cpr_number_after_another_error(login, consultant, citizen, employer, placement_post):
    number = citizen.reveal_cpr()
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/", placement_post(citizen_cpr=number, hours_per_week="0")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert number not in html and number.replace("-", "") not in html
    assert 'name="citizen_cpr"' in html and RETYPE in html
    assert not Placement.objects.exists()
