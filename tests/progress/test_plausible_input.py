"""A target's period and the dashboard's date within a plausible window: a target running from
year 1 to year 9999 made the dashboard's monthly chart step past the last date Python holds."""

import pytest
from django.urls import reverse

from progress.models import Target


def target_data(municipality, **overrides):
    data = {"municipality": municipality.pk, "title": "Mål", "number": "164",
            "period_start": "2027-01-01", "period_end": "2027-12-31"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, value", [("period_start", "0001-01-01"), ("period_end", "9999-12-31")])
def test_it_refuses_a_target_period_outside_a_plausible_window(login, manager, fredericia, field, value):
    response = login(manager).post(reverse("progress:target_create"), target_data(fredericia, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith("Datoen skal ligge mellem 01.01.1900 og ")
    assert not Target.objects.exists()


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_it_shows_todays_figures_for_an_implausible_date(login, manager, fredericia, as_of):
    response = login(manager).get(reverse("progress:dashboard"), {"as_of": as_of})
    assert response.status_code == 200
    assert "Datoen skal ligge mellem" in response.content.decode()
