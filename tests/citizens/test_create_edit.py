"""Registering and editing a citizen through the consultant's forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from citizens.models import Citizen
from tests.conftest import make_citizen, make_cpr

from .conftest import citizen_form_data, form_values


def test_it_shows_the_create_form_with_the_consultant_preselected(login, consultant, create_url):
    response = login(consultant).get(create_url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["consultant"].value() == consultant.pk
    # One municipality: no need to choose it.
    assert form.fields["municipality"].widget.is_hidden


def test_it_creates_a_citizen_and_logs_it(login, consultant, fredericia, create_url):
    number = make_cpr("150385")
    data = citizen_form_data(
        fredericia, cpr=number[:6] + "-" + number[6:], phone="75 10 20 30", unemployed_since="2024-01-15",
        weekly_hours="6.5", consultant=consultant.pk, consent_to_share_profile="on",
    )
    response = login(consultant).post(create_url, data)
    citizen = Citizen.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("citizens:detail", args=[citizen.pk])
    assert (citizen.municipality, citizen.full_name, citizen.phone) == (fredericia, "Mette Frederiksen", "75 10 20 30")
    assert citizen.unemployed_since == date(2024, 1, 15)
    assert citizen.weekly_hours == Decimal("6.5")
    assert citizen.consultant == consultant
    assert citizen.consent_to_share_profile is True
    assert citizen.birth_date == date(1985, 3, 15)
    assert citizen.reveal_cpr() == number[:6] + "-" + number[6:]
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id, log.municipality) == (
        consultant, AccessLog.Action.CREATE, citizen.pk, fredericia
    )


def test_it_confirms_the_registration_in_danish(login, consultant, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia), follow=True)
    assert "Borgeren er oprettet." in response.content.decode()


@pytest.mark.parametrize("hours", ["0", "38", "-1", "37.5"])
def test_it_rejects_weekly_hours_out_of_range(login, consultant, fredericia, create_url, hours):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, weekly_hours=hours))
    assert response.status_code == 200
    assert "Timer om ugen skal være over 0 og højst 37." in response.content.decode()
    assert not Citizen.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("hours", ["0.5", "37"])
def test_it_accepts_weekly_hours_at_the_limits(login, consultant, fredericia, create_url, hours):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, weekly_hours=hours))
    assert response.status_code == 302
    assert Citizen.objects.get().weekly_hours == Decimal(hours)


def test_it_requires_name_and_cpr_in_danish(login, consultant, fredericia, create_url):
    data = citizen_form_data(fredericia, first_name="", cpr="")
    response = login(consultant).post(create_url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == ["Dette felt er påkrævet."]
    assert response.context["form"].errors["cpr"] == ["Dette felt er påkrævet."]
    assert "Der er fejl i formularen" in response.content.decode()
    assert not Citizen.objects.exists()


def test_it_keeps_the_typed_values_when_the_form_has_errors(login, consultant, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, cpr="320190-1234", first_name="Mette"))
    assert 'value="Mette"' in response.content.decode()
    assert response.context["form"]["cpr"].field.widget.attrs["aria-invalid"] == "true"


def test_it_rejects_a_duplicate_cpr_number_and_saves_nothing(login, consultant, fredericia, citizen, create_url):
    data = citizen_form_data(fredericia, cpr=citizen.reveal_cpr(), first_name="Dublet")
    response = login(consultant).post(create_url, data)
    assert response.context["form"].errors["cpr"] == ["Der findes allerede en borger med dette CPR-nummer i kommunen."]
    assert list(Citizen.objects.all()) == [citizen]


def test_it_rejects_another_municipality_on_create(login, consultant, odense, create_url):
    response = login(consultant).post(create_url, citizen_form_data(odense))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Citizen.objects.exists()


def test_it_rejects_a_consultant_of_another_municipality(login, consultant, outsider, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, consultant=outsider.pk))
    assert "consultant" in response.context["form"].errors
    assert not Citizen.objects.exists()


def test_it_lets_a_user_of_two_municipalities_choose(login, consultant, fredericia, odense, create_url):
    from accounts.models import Membership, Role

    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    client = login(consultant)
    form = client.get(create_url).context["form"]
    assert not form.fields["municipality"].widget.is_hidden
    assert set(form.fields["municipality"].queryset) == {fredericia, odense}
    assert client.post(create_url, citizen_form_data(odense)).status_code == 302
    assert Citizen.objects.get().municipality == odense


# --- edit -------------------------------------------------------------------------------


def edit_url(citizen):
    return reverse("citizens:edit", args=[citizen.pk])


def test_it_shows_the_edit_form_without_the_cpr_field(login, consultant, citizen):
    response = login(consultant).get(edit_url(citizen))
    assert response.status_code == 200
    assert "cpr" not in response.context["form"].fields
    assert 'value="Bente"' in response.content.decode()


def _edit_data(client, citizen, **changes):
    """The edit form as the browser submits it, with the user's changes."""
    data = form_values(client.get(edit_url(citizen)).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def test_it_saves_an_edit_and_logs_it(login, consultant, citizen):
    client = login(consultant)
    response = client.post(edit_url(citizen), _edit_data(client, citizen, phone="20 30 40 50", status="ready"))
    assert response.status_code == 302
    assert response.url == reverse("citizens:detail", args=[citizen.pk])
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.status, citizen.first_name) == ("20 30 40 50", "ready", "Bente")
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (consultant, AccessLog.Action.UPDATE, citizen.pk)


def test_it_writes_only_the_changed_fields(login, consultant, citizen):
    client = login(consultant)
    data = _edit_data(client, citizen, phone="20 30 40 50")
    with CaptureQueriesContext(connection) as queries:
        client.post(edit_url(citizen), data)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "citizens_citizen"')]
    assert len(updates) == 1
    assigned = updates[0].split(" SET ")[1].split(" WHERE ")[0]
    assert '"phone"' in assigned and '"updated_at"' in assigned
    for untouched in ("first_name", "cpr_encrypted", "status", "wishes", "municipality_id"):
        assert f'"{untouched}"' not in assigned


def test_it_keeps_a_colleagues_concurrent_change_to_another_field(login, consultant, citizen):
    client = login(consultant)
    data = _edit_data(client, citizen, phone="20 30 40 50")  # form opened before the colleague saved
    Citizen.objects.filter(pk=citizen.pk).update(wishes="Køkkenarbejde")
    client.post(edit_url(citizen), data)
    citizen.refresh_from_db()
    assert citizen.phone == "20 30 40 50"
    assert citizen.wishes == "Køkkenarbejde"


def test_it_keeps_the_cpr_number_on_edit(login, consultant, citizen):
    before = citizen.reveal_cpr()
    client = login(consultant)
    client.post(edit_url(citizen), _edit_data(client, citizen, cpr="010101-0101", first_name="Berit"))
    citizen.refresh_from_db()
    assert citizen.first_name == "Berit"
    assert citizen.reveal_cpr() == before


@pytest.mark.parametrize("hours", ["0", "38"])
def test_it_rejects_an_edit_with_weekly_hours_out_of_range(login, consultant, citizen, hours):
    client = login(consultant)
    response = client.post(edit_url(citizen), _edit_data(client, citizen, weekly_hours=hours))
    assert response.status_code == 200
    assert "Timer om ugen skal være over 0 og højst 37." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.weekly_hours is None
    assert not AccessLog.objects.exists()


def test_it_rejects_moving_a_citizen_to_another_municipality(login, consultant, citizen, odense):
    client = login(consultant)
    response = client.post(edit_url(citizen), _edit_data(client, citizen, municipality=odense.pk))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    citizen.refresh_from_db()
    assert citizen.municipality.code == 607


def test_it_rejects_an_edit_that_would_duplicate_a_cpr_number(login, consultant, citizen, fredericia, odense):
    from accounts.models import Membership, Role

    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    twin = make_citizen(odense, cpr=citizen.reveal_cpr().replace("-", ""))
    client = login(consultant)
    response = client.post(edit_url(twin), _edit_data(client, twin, municipality=fredericia.pk))
    assert response.status_code == 200
    twin.refresh_from_db()
    assert twin.municipality == odense
