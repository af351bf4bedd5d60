"""A citizen's status by hand, where the facts do not decide: "Ansat" follows a running
placement, so it cannot be chosen without one, and a citizen with one keeps it. "Afsluttet"
closes the case. Registering a citizen and writing a note are contacts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Municipality
from citizens import services
from citizens.forms import CitizenForm
from citizens.models import Citizen
from placements import services as placement_services
from placements.models import Placement
from tests.factories import make_employer, make_placement
from tests.html import form_values

from .conftest import citizen_form_data

NOT_WITHOUT = "Status «Ansat» følger borgerens ansættelser og kan kun vælges, når borgeren har en ansættelse i gang."
NOT_WHILE = "Borgeren har en ansættelse i gang og har derfor status «Ansat»."


def today():
    return timezone.localdate()


def edit_url(citizen):
    return reverse("citizens:edit", args=[citizen.pk])


def edit(client, citizen, **changes):
    """The edit form as the browser sends it, with the user's changes."""
    data = form_values(client.get(edit_url(citizen)).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return client.post(edit_url(citizen), data)


def place(consultant, citizen, employer, **fields):
    defaults = {"kind": Placement.Kind.FLEXJOB, "hours_per_week": Decimal("6"), "start_date": today() - timedelta(days=30)}
    defaults.update(fields)
    return placement_services.placement_create(user=consultant, citizen=citizen, employer=employer, **defaults)


@pytest.mark.parametrize("status", ["registered", "in_course", "ready", "ended"])
def test_it_allows_a_status_by_hand_without_a_running_placement(login, consultant, citizen, status):
    response = edit(login(consultant), citizen, status=status)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.status == status


def test_it_refuses_placed_without_a_running_placement(login, consultant, citizen, employer):
    make_placement(citizen, employer, start_date=today() - timedelta(days=300), end_date=today() - timedelta(days=1))
    make_placement(citizen, make_employer(citizen.municipality, name="Senere ApS"), start_date=today() + timedelta(days=5))
    response = edit(login(consultant), citizen, status="placed")
    assert response.status_code == 200
    assert any(error.startswith(NOT_WITHOUT) for error in response.context["form"].errors["status"])
    assert NOT_WITHOUT in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.status == Citizen.Status.REGISTERED


@pytest.mark.parametrize("status", ["registered", "in_course", "ready", "ended"])
def test_it_refuses_another_status_while_a_placement_runs(login, consultant, citizen, employer, status):
    place(consultant, citizen, employer)
    response = edit(login(consultant), citizen, status=status)
    assert response.status_code == 200
    assert any(error.startswith(NOT_WHILE) for error in response.context["form"].errors["status"])
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == (Citizen.Status.PLACED, None)


def test_it_saves_other_fields_of_a_citizen_in_a_job(login, consultant, citizen, employer):
    place(consultant, citizen, employer)
    response = edit(login(consultant), citizen, phone="20 30 40 50")
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.status) == ("20 30 40 50", Citizen.Status.PLACED)


def test_it_lets_placed_be_chosen_for_a_citizen_in_a_job_the_refresh_has_not_reached(login, consultant, citizen, employer):
    make_placement(citizen, employer, start_date=today())  # registered without the service
    response = edit(login(consultant), citizen, status="placed")
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.status == Citizen.Status.PLACED


def test_the_service_checks_again_under_the_lock(consultant, citizen, employer):
    form = CitizenForm(
        {**citizen_form_data(citizen.municipality, first_name="Bente", last_name="Sørensen"), "status": "ended"},
        instance=citizen, municipalities=Municipality.objects.filter(pk=citizen.municipality_id),
    )
    assert form.is_valid(), form.errors
    # A colleague registers a running placement after the form was checked.
    place(consultant, citizen, employer)
    with pytest.raises(ValidationError) as error:
        services.citizen_update(user=consultant, form=form)
    assert NOT_WHILE in error.value.messages[0]
    citizen.refresh_from_db()
    assert citizen.status == Citizen.Status.PLACED


def test_ended_closes_the_case_and_leaving_it_opens_it_again(login, consultant, citizen):
    client = login(consultant)
    assert edit(client, citizen, status="ended").status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == ("ended", today())
    assert "Sag afsluttet" in client.get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert edit(client, citizen, phone="11 22 33 44").status_code == 302
    citizen.refresh_from_db()
    assert citizen.case_closed_on == today()  # another field changed: the case stays closed
    assert edit(client, citizen, status="in_course").status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == ("in_course", None)


# --- create -------------------------------------------------------------------------------


def test_registering_a_citizen_is_the_first_contact(login, consultant, fredericia, create_url):
    assert login(consultant).post(create_url, citizen_form_data(fredericia)).status_code == 302
    citizen = Citizen.objects.get()
    assert (citizen.last_contact_on, citizen.case_closed_on) == (today(), None)


def test_it_refuses_to_register_a_citizen_as_placed(login, consultant, fredericia, create_url):
    response = login(consultant).post(create_url, citizen_form_data(fredericia, status="placed"))
    assert response.status_code == 200
    assert any(error.startswith(NOT_WITHOUT) for error in response.context["form"].errors["status"])
    assert not Citizen.objects.exists()


def test_the_create_service_refuses_placed_too(consultant, fredericia):
    from tests.factories import make_cpr

    with pytest.raises(ValidationError) as error:
        services.citizen_create(user=consultant, cpr=make_cpr(), municipality=fredericia, first_name="A",
                                last_name="B", status="placed")
    assert NOT_WITHOUT in error.value.messages[0]
    assert not Citizen.objects.exists()


def test_registering_a_closed_case_sets_when_it_closed(login, consultant, fredericia, create_url):
    assert login(consultant).post(create_url, citizen_form_data(fredericia, status="ended")).status_code == 302
    assert Citizen.objects.get().case_closed_on == today()


# --- contact -----------------------------------------------------------------------------


def test_a_case_note_is_a_contact_today(login, consultant, citizen):
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_on=today() - timedelta(days=120))
    response = login(consultant).post(reverse("citizens:add_note", args=[citizen.pk]), {"text": "Ringede"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.last_contact_on == today()


def test_a_refused_case_note_is_no_contact(login, consultant, citizen):
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_on=today() - timedelta(days=120))
    login(consultant).post(reverse("citizens:add_note", args=[citizen.pk]), {"text": " "})
    citizen.refresh_from_db()
    assert citizen.last_contact_on == today() - timedelta(days=120)


# --- the record ----------------------------------------------------------------------------


def test_the_record_shows_each_placements_next_follow_up(login, consultant, citizen, employer):
    placement = place(consultant, citizen, employer, start_date=today() - timedelta(days=45))
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert "Næste opfølgning" in html
    assert "Over fristen" in html  # the 1-month follow-up, due two weeks ago
    assert "Seneste kontakt" in html
    assert placement.follow_ups.filter(done_on__isnull=True).exists()


def test_the_record_costs_the_same_with_one_or_many_placements(login, consultant, citizen, employer, fredericia):
    place(consultant, citizen, employer, start_date=today() - timedelta(days=400), end_date=today() - timedelta(days=300))
    client = login(consultant)
    url = reverse("citizens:detail", args=[citizen.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    for i in range(4):
        place(consultant, citizen, make_employer(fredericia, name=f"Virksomhed {i}"), start_date=today() - timedelta(days=200 - i))
    assert citizen.placements.count() == 5
    assert count() == one


# --- the admin -----------------------------------------------------------------------------
# The admin's form follows the same rules as the consultant's: a status chosen there is checked
# against the placements, "Afsluttet" closes the case, and a corrected unemployment date
# reaches the placements' target group.


def admin_edit(client, citizen, **changes):
    from tests.html import opened_form

    url = reverse("admin:citizens_citizen_change", args=[citizen.pk])
    return client.post(url, opened_form(client, url, "citizen_form", **changes))


def test_the_admin_refuses_another_status_while_a_placement_runs(login, admin_user, consultant, citizen, employer):
    place(consultant, citizen, employer)
    response = admin_edit(login(admin_user), citizen, status="ended")
    assert response.status_code == 200
    assert any(error.startswith(NOT_WHILE) for error in response.context["adminform"].form.errors["status"])
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == (Citizen.Status.PLACED, None)


def test_the_admin_refuses_placed_without_a_running_placement(login, admin_user, citizen):
    response = admin_edit(login(admin_user), citizen, status="placed")
    assert response.status_code == 200
    assert any(error.startswith(NOT_WITHOUT) for error in response.context["adminform"].form.errors["status"])
    citizen.refresh_from_db()
    assert citizen.status == Citizen.Status.REGISTERED


def test_the_admin_closes_the_case_and_opens_it_again(login, admin_user, citizen):
    client = login(admin_user)
    assert admin_edit(client, citizen, status="ended").status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == ("ended", today())
    assert admin_edit(client, citizen, status="ready").status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == ("ready", None)


def test_a_date_the_admin_types_for_the_closing_is_kept(login, admin_user, citizen):
    closed = today() - timedelta(days=10)
    assert admin_edit(login(admin_user), citizen, status="ended", case_closed_on=closed.isoformat()).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == ("ended", closed)


def test_the_admins_unemployment_date_reaches_the_placements(login, admin_user, consultant, citizen, employer):
    placement = place(consultant, citizen, employer)
    assert placement.in_target_group is False
    since = today() - timedelta(days=800)
    assert admin_edit(login(admin_user), citizen, unemployed_since=since.isoformat()).status_code == 302
    placement.refresh_from_db()
    assert placement.in_target_group is True
