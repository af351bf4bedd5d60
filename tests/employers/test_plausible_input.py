"""An opening's number of positions has an upper bound (100), in the form and in the model, and
an employer's last contact lies within a plausible window."""

import pytest
from django.core.exceptions import ValidationError

from employers.models import Employer, Opening

POSITIONS_MESSAGE = "Der kan højst være 100 stillinger i ét opslag."


def opening_post(**fields):
    data = {"title": "Køkkenhjælp", "tasks": "", "hours_min": "4", "hours_max": "8", "positions": "2"}
    data.update(fields)
    return data


@pytest.mark.parametrize("positions, ok", [("100", True), ("101", False), ("32767", False), ("99999999999", False)])
def test_it_takes_at_most_100_positions_in_an_opening(login, consultant, employer, positions, ok):
    response = login(consultant).post(f"/employers/{employer.pk}/openings/new/", opening_post(positions=positions))
    if ok:
        assert response.status_code == 302 and Opening.objects.get().positions == 100
    else:
        assert response.status_code == 200
        assert "positions" in response.context["form"].errors
        assert not Opening.objects.exists()


def test_it_says_how_many_positions_an_opening_may_have(login, consultant, employer):
    response = login(consultant).post(f"/employers/{employer.pk}/openings/new/", opening_post(positions="101"))
    assert response.context["form"].errors["positions"] == [POSITIONS_MESSAGE]


def test_the_model_refuses_more_than_100_positions(employer):
    opening = Opening(employer=employer, title="Pedel", hours_min=4, hours_max=8, positions=101)
    with pytest.raises(ValidationError) as error:
        opening.full_clean()
    assert error.value.message_dict["positions"] == [POSITIONS_MESSAGE]


def test_it_refuses_a_last_contact_in_year_9999(login, consultant, fredericia, employer_post):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, last_contact="9999-12-31"))
    assert response.status_code == 200
    assert response.context["form"].errors["last_contact"][0].startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Employer.objects.exists()


def test_it_refuses_a_posted_count_of_contact_persons_above_25_without_building_them(
    login, consultant, fredericia, employer_post
):
    data = employer_post(fredericia, contacts=[{"name": "Lise"}])
    data["contacts-TOTAL_FORMS"] = "99999"
    response = login(consultant).post("/employers/new/", data)
    assert response.status_code == 200
    assert len(response.context["contacts"].forms) == 25
    assert "Indsend venligst højst 25 formularer." in response.content.decode()
    assert not Employer.objects.exists()
