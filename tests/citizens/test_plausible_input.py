"""Input the citizen form used to take or echo: dates such as 9999-12-31, control characters in
a name, a novel in the competences, and a typed CPR number sent back into the page after a
failed submit. Each is refused with a Danish message and saves nothing."""

import pytest

from citizens.models import Citizen
from tests.factories import make_cpr

from .conftest import citizen_form_data

RETYPE = "Af hensyn til borgerens data vises CPR-nummeret ikke igen. Skriv det igen."


@pytest.mark.parametrize("field", ["flexjob_approved_on", "unemployed_since"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_it_refuses_an_implausible_date_with_the_allowed_range(login, consultant, fredericia, create_url, field, value):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, **{field: value}))
    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert message.startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Citizen.objects.exists()


def test_it_offers_the_allowed_range_in_the_date_picker(login, consultant, fredericia, create_url):
    html = login(consultant).get(create_url).content.decode()
    assert 'name="flexjob_approved_on"' in html and 'min="1900-01-01"' in html


@pytest.mark.parametrize("name", ["Ben\x00te", "Ben\x07te", "\x1b[31mBente"])
def test_it_refuses_a_control_character_in_a_name(login, consultant, fredericia, create_url, name):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, first_name=name))
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [
        "Teksten indeholder et ugyldigt kontroltegn (fx et NUL-tegn). Fjern det, fx ved at skrive teksten igen."
    ]
    assert not Citizen.objects.exists()


def test_it_refuses_competences_of_more_than_5000_characters(login, consultant, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, competences="k" * 200_000))
    assert response.context["form"].errors["competences"] == [
        "Teksten er for lang: 200000 tegn. Der er plads til højst 5000 tegn."
    ]
    assert not Citizen.objects.exists()


def test_it_does_not_echo_a_typed_cpr_number_after_a_failed_form(login, consultant, fredericia, create_url):
    number = make_cpr("150385")
    dashed = f"{number[:6]}-{number[6:]}"
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr=dashed, email="ikke en adresse"))
    assert response.status_code == 200 and "email" in response.context["form"].errors
    html = response.content.decode()
    assert number not in html and dashed not in html and number[6:] not in html
    assert 'name="cpr"' in html and RETYPE in html
    assert not Citizen.objects.exists()


def test_it_does_not_echo_a_cpr_number_it_refuses_either(login, consultant, fredericia, create_url, citizen):
    dashed = citizen.reveal_cpr()
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr=dashed, first_name="Dublet"))
    assert response.context["form"].errors["cpr"] == ["Der findes allerede en borger med dette CPR-nummer i kommunen."]
    assert dashed not in response.content.decode()


def test_it_asks_for_nothing_again_on_a_fresh_form(login, consultant, create_url):
    assert RETYPE not in login(consultant).get(create_url).content.decode()
