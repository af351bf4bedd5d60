"""An employer's last contact holds to its plausible window on the model itself, so the admin
refuses what the employer form refuses (a contact in year 9999)."""

from datetime import date

import pytest
from django.urls import reverse

from employers.models import Employer

WINDOW = "Datoen skal ligge mellem 01.01.1900 og "


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


def admin_data(municipality, **fields):
    data = {
        "municipality": municipality.pk, "name": "Lillebælt Byg ApS", "cvr": "12345678", "sector": "private",
        "size": "", "industry": "", "address": "", "last_contact": "", "next_step": "",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
        "openings-TOTAL_FORMS": "0", "openings-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31"])
def test_the_admin_refuses_a_last_contact_outside_the_window(admin_client, fredericia, value):
    response = admin_client.post(reverse("admin:employers_employer_add"), admin_data(fredericia, last_contact=value))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["last_contact"][0].startswith(WINDOW)
    assert not Employer.objects.exists()


def test_the_admin_saves_a_last_contact_within_the_window(admin_client, fredericia):
    response = admin_client.post(reverse("admin:employers_employer_add"), admin_data(fredericia, last_contact="2026-11-02"))
    assert response.status_code == 302
    assert Employer.objects.get().last_contact == date(2026, 11, 2)
