import pytest
from django.urls import reverse

from tests.factories import make_cpr




def citizen_form_data(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "cpr": make_cpr(),
        "first_name": "Mette",
        "last_name": "Frederiksen",
        "phone": "",
        "email": "",
        "address": "",
        "unemployed_since": "",
        "flexjob_approved_on": "",
        "weekly_hours": "",
        "competences": "",
        "wishes": "",
        "consultant": "",
        "status": "registered",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_url():
    return reverse("citizens:create")
