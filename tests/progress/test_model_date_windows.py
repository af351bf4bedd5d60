"""A target's period holds to its plausible window on the model itself, so the admin refuses
what the target form refuses: a period in year 9999 made the dashboard fail."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from progress.models import Target

WINDOW = "Datoen skal ligge mellem 01.01.1900 og "


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


def admin_data(municipality, **fields):
    data = {"municipality": municipality.pk, "title": "Mål", "number": "164",
            "period_start": "2027-01-01", "period_end": "2027-12-31"}
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "field, value", [("period_start", "9999-01-01"), ("period_start", "1899-12-31"), ("period_end", "9999-12-31")]
)
def test_the_admin_refuses_a_target_period_outside_the_window(admin_client, fredericia, field, value):
    response = admin_client.post(reverse("admin:progress_target_add"), admin_data(fredericia, **{field: value}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(WINDOW)
    assert not Target.objects.exists()


def test_the_admin_saves_a_target_within_the_window(admin_client, fredericia):
    assert admin_client.post(reverse("admin:progress_target_add"), admin_data(fredericia)).status_code == 302
    target = Target.objects.get()
    assert (target.period_start, target.period_end) == (date(2027, 1, 1), date(2027, 12, 31))


def test_the_model_refuses_a_period_outside_the_window_whoever_validates_it(fredericia):
    target = Target(municipality=fredericia, title="Mål", number=1,
                    period_start=date(9999, 1, 1), period_end=date(9999, 12, 31))
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert set(error.value.message_dict) == {"period_start", "period_end"}
