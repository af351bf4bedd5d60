"""CVR numbers: 8 digits with a modulus-11 check, Danish messages, unique within a municipality."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from employers.cvr import cvr_normalize
from employers.models import Employer
from tests.factories import make_cvr, make_employer


def _with_bad_checksum(number):
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_it_accepts_a_valid_cvr_number():
    assert cvr_normalize("13585628") == "13585628"


def test_it_accepts_a_cvr_number_with_spaces():
    assert cvr_normalize("1358 5628") == "13585628"


def test_it_rejects_a_cvr_number_with_a_bad_checksum():
    with pytest.raises(ValidationError) as error:
        cvr_normalize(_with_bad_checksum("13585628"))
    assert error.value.messages == ["CVR-nummeret er ikke gyldigt (modulus 11-kontrollen fejler)."]


@pytest.mark.parametrize("value", ["1358562A", "ABCDEFGH", "1358-628"])
def test_it_rejects_a_cvr_number_with_letters_or_signs(value):
    with pytest.raises(ValidationError) as error:
        cvr_normalize(value)
    assert error.value.messages == ["CVR-nummeret skal have 8 cifre."]


@pytest.mark.parametrize("value", ["", "1358562", "135856280", "1"])
def test_it_rejects_a_cvr_number_of_the_wrong_length(value):
    with pytest.raises(ValidationError) as error:
        cvr_normalize(value)
    assert error.value.messages == ["CVR-nummeret skal have 8 cifre."]


def test_it_shows_the_checksum_message_on_the_form(login, consultant, fredericia, employer_post):
    response = login(consultant).post(
        "/employers/new/", employer_post(fredericia, cvr=_with_bad_checksum(make_cvr()))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cvr"] == [
        "CVR-nummeret er ikke gyldigt (modulus 11-kontrollen fejler)."
    ]
    assert "modulus 11-kontrollen fejler" in response.content.decode()
    assert not Employer.objects.exists()


@pytest.mark.parametrize("value", ["1234567", "12345678901", "1234567X"])
def test_it_shows_the_format_message_on_the_form(login, consultant, fredericia, employer_post, value):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, cvr=value))
    assert response.context["form"].errors["cvr"] == ["CVR-nummeret skal have 8 cifre."]
    assert not Employer.objects.exists()


def test_it_refuses_a_cvr_number_twice_in_one_municipality(login, consultant, fredericia, employer, employer_post):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, cvr=employer.cvr))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Der findes allerede en virksomhed med dette CVR-nummer i kommunen."
    ]
    assert Employer.objects.filter(cvr=employer.cvr).count() == 1


def test_it_allows_the_same_cvr_number_in_another_municipality(
    login, consultant, fredericia, other_employer, employer_post
):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, cvr=other_employer.cvr))
    assert response.status_code == 302
    assert set(Employer.objects.filter(cvr=other_employer.cvr).values_list("municipality__code", flat=True)) == {
        607,
        461,
    }


def test_it_refuses_a_duplicate_cvr_number_in_the_database(fredericia, employer):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_employer(fredericia, name="Kopi ApS", cvr=employer.cvr)


def test_it_allows_the_same_cvr_number_in_two_municipalities_in_the_database(fredericia, odense):
    number = make_cvr()
    make_employer(fredericia, cvr=number)
    make_employer(odense, cvr=number)
    assert Employer.objects.filter(cvr=number).count() == 2


def test_it_refuses_an_unknown_sector_in_the_database(fredericia):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_employer(fredericia, sector="foreign")


@pytest.mark.parametrize("typed", ["1358 5628", "DK13585628", " 13585628 "])
def test_it_saves_a_cvr_number_typed_with_spaces_or_prefix_as_8_digits(
    login, consultant, fredericia, employer_post, typed
):
    response = login(consultant).post("/employers/new/", employer_post(fredericia, cvr=typed))
    assert response.status_code == 302
    assert Employer.objects.get().cvr == "13585628"
