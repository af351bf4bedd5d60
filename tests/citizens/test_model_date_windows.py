"""A citizen's dates hold to their plausible window on the model itself, so the admin and
every other form refuse an unemployment or a flex-job approval in year 9999."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizens.models import Citizen
from tests.factories import make_cpr_with_modulus11

WINDOW = "Datoen skal ligge mellem 01.01.1900 og "


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


def admin_data(municipality, **fields):
    data = {
        "municipality": municipality.pk, "first_name": "Admin", "last_name": "Oprettet", "status": "registered",
        "cpr": make_cpr_with_modulus11(), "notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "field, value",
    [("unemployed_since", "9999-12-31"), ("unemployed_since", "1899-12-31"), ("flexjob_approved_on", "9999-12-31")],
)
def test_the_admin_refuses_a_citizen_date_outside_the_window(admin_client, fredericia, field, value):
    response = admin_client.post(reverse("admin:citizens_citizen_add"), admin_data(fredericia, **{field: value}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(WINDOW)
    assert not Citizen.objects.exists()


def test_the_admin_saves_a_citizen_with_dates_within_the_window(admin_client, fredericia):
    data = admin_data(fredericia, unemployed_since="2024-03-01", flexjob_approved_on="2025-06-01")
    assert admin_client.post(reverse("admin:citizens_citizen_add"), data).status_code == 302
    citizen = Citizen.objects.get()
    assert (citizen.unemployed_since, citizen.flexjob_approved_on) == (date(2024, 3, 1), date(2025, 6, 1))


def test_the_model_refuses_a_date_outside_the_window_whoever_validates_it(fredericia):
    citizen = Citizen(municipality=fredericia, first_name="A", last_name="B", unemployed_since=date(9999, 12, 31))
    citizen.set_cpr(make_cpr_with_modulus11())
    with pytest.raises(ValidationError) as error:
        citizen.full_clean()
    assert error.value.message_dict["unemployed_since"][0].startswith(WINDOW)
