"""Registering and editing a citizen through the consultant's forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from citizens.models import Citizen
from tests.factories import make_citizen, make_cpr

from .conftest import citizen_form_data
from tests.html import form_values


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
    log = AccessLog.objects.get(action=AccessLog.Action.UPDATE)  # beside the form's page view
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
    assert not AccessLog.objects.filter(action=AccessLog.Action.UPDATE).exists()


def test_it_keeps_a_citizen_in_their_municipality_on_edit(login, consultant, citizen, odense):
    client = login(consultant)
    client.post(edit_url(citizen), _edit_data(client, citizen, municipality=odense.pk))
    citizen.refresh_from_db()
    assert citizen.municipality.code == 607


def test_it_cannot_move_a_citizen_onto_a_twin_in_another_municipality(login, consultant, citizen, fredericia, odense):
    from accounts.models import Membership, Role

    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    twin = make_citizen(odense, cpr=citizen.reveal_cpr().replace("-", ""))
    client = login(consultant)
    client.post(edit_url(twin), _edit_data(client, twin, municipality=fredericia.pk))
    twin.refresh_from_db()
    assert twin.municipality == odense


def test_it_keeps_the_municipality_on_edit_for_a_user_of_two_municipalities(
    login, consultant, citizen, odense, outsider
):
    from accounts.models import Membership, Role

    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    client = login(consultant)
    form = client.get(edit_url(citizen)).context["form"]
    assert form.fields["municipality"].disabled
    response = client.post(
        edit_url(citizen), _edit_data(client, citizen, municipality=odense.pk, consultant=outsider.pk, phone="12345678")
    )
    citizen.refresh_from_db()
    assert citizen.municipality.code == 607
    assert citizen.consultant == consultant
    assert "consultant" in response.context["form"].errors


def test_it_rejects_a_consultant_who_is_one_only_in_another_of_the_users_municipalities(
    login, consultant, outsider, fredericia, odense, create_url
):
    from accounts.models import Membership, Role

    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    response = login(consultant).post(create_url, citizen_form_data(fredericia, consultant=outsider.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["consultant"] == [
        "Den ansvarlige konsulent skal være konsulent i borgerens kommune."
    ]
    assert not Citizen.objects.exists()


def test_it_rejects_a_responsible_consultant_who_is_not_a_consultant_in_the_municipality(
    login, consultant, manager, fredericia, odense, create_url
):
    from accounts.models import Membership, Role

    # A manager here who is a consultant elsewhere is offered, but not for this municipality.
    Membership.objects.create(user=manager, municipality=odense, role=Role.CONSULTANT)
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    response = login(consultant).post(create_url, citizen_form_data(fredericia, consultant=manager.pk))
    assert "consultant" in response.context["form"].errors
    assert login(consultant).post(create_url, citizen_form_data(odense, consultant=manager.pk)).status_code == 302
    assert Citizen.objects.get().municipality == odense and Citizen.objects.get().consultant == manager


def test_it_logs_that_the_edit_form_showed_the_citizen(login, consultant, citizen):
    assert login(consultant).get(edit_url(citizen)).status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.model, log.object_id, log.purpose) == (
        consultant,
        AccessLog.Action.VIEW,
        "citizens.Citizen",
        citizen.pk,
        "rettelse af borger",
    )


def test_it_writes_and_logs_nothing_when_nothing_changed(login, consultant, citizen):
    client = login(consultant)
    data = _edit_data(client, citizen)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(edit_url(citizen), data).status_code == 302
    assert not [q for q in queries if q["sql"].startswith('UPDATE "citizens_citizen"')]
    assert not AccessLog.objects.filter(action=AccessLog.Action.UPDATE).exists()


# --- the placements' target group follows a corrected unemployment date --------------------


def test_it_recomputes_the_placements_target_group_when_unemployed_since_changes(login, consultant, citizen):
    from employers.models import Employer
    from placements.models import Placement
    from tests.factories import make_employer, make_placement

    employer = make_employer(citizen.municipality, sector=Employer.Sector.PRIVATE)
    early = make_placement(citizen, employer, start_date=date(2025, 3, 1), end_date=date(2025, 6, 30))
    later = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    assert not early.in_target_group and not later.in_target_group
    client = login(consultant)
    data = _edit_data(client, citizen, unemployed_since="2024-06-01")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(edit_url(citizen), data).status_code == 302
    # Unemployed since June 2024: over a year by February 2026, not by March 2025.
    assert dict(Placement.objects.values_list("pk", "in_target_group")) == {early.pk: False, later.pk: True}
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "placements_placement"')]
    assert len(updates) == 1  # one per new value, for the placements whose value changes (the later one)
    # In the transaction that saves the citizen.
    sql = [q["sql"] for q in queries]
    saved = next(i for i, q in enumerate(sql) if q.startswith('UPDATE "citizens_citizen"'))
    begin = max(i for i, q in enumerate(sql[:saved]) if q.startswith("SAVEPOINT"))
    end = next(i for i, q in enumerate(sql) if i > saved and q.startswith("RELEASE SAVEPOINT"))
    assert all(begin < sql.index(update) < end for update in updates)

    data = _edit_data(client, citizen, unemployed_since="")
    client.post(edit_url(citizen), data)
    assert not Placement.objects.filter(in_target_group=True).exists()


def test_it_leaves_the_target_group_alone_when_unemployed_since_is_unchanged(login, consultant, citizen):
    from placements.models import Placement
    from tests.factories import make_employer, make_placement

    make_placement(citizen, make_employer(citizen.municipality), start_date=date(2026, 2, 1))
    client = login(consultant)
    data = _edit_data(client, citizen, phone="20 30 40 50")
    with CaptureQueriesContext(connection) as queries:
        client.post(edit_url(citizen), data)
    assert not [q for q in queries if q["sql"].startswith('UPDATE "placements_placement"')]
    assert Placement.objects.get().in_target_group is False

