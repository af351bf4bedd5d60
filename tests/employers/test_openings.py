"""Openings (stillingsopslag and task-force pledges): hours range and positions, by form and database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from employers.models import JobTask, Opening
from tests.html import form_values

RANGE_MESSAGE = "Timer om ugen skal være over 0 og højst 37."
ORDER_MESSAGE = "Timetallet 'til' må ikke være mindre end 'fra'."
POSITIONS_MESSAGE = "Antal stillinger skal være mindst 1."


def opening_post(**fields):
    data = {"title": "Køkkenhjælp", "tasks": "Let køkkenarbejde", "hours_min": "4", "hours_max": "8", "positions": "2"}
    data.update(fields)
    return data


@pytest.fixture
def opening(employer):
    return Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)


def test_it_shows_the_opening_form(login, consultant, employer):
    response = login(consultant).get(f"/employers/{employer.pk}/openings/new/")
    assert response.status_code == 200
    assert "Nyt stillingsopslag" in response.content.decode()


def test_it_creates_an_opening(login, consultant, employer):
    response = login(consultant).post(
        f"/employers/{employer.pk}/openings/new/",
        opening_post(hours_min="4.5", hours_max="6", from_task_force="on", is_open="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{employer.pk}/"
    opening = Opening.objects.get()
    assert (opening.employer, opening.hours_min, opening.hours_max, opening.positions) == (
        employer,
        Decimal("4.5"),
        Decimal("6"),
        2,
    )
    assert opening.from_task_force and opening.is_open


def test_it_allows_a_fixed_number_of_hours(login, consultant, employer):
    response = login(consultant).post(
        f"/employers/{employer.pk}/openings/new/", opening_post(hours_min="37", hours_max="37")
    )
    assert response.status_code == 302
    opening = Opening.objects.get(employer=employer)
    assert (opening.hours_min, opening.hours_max) == (Decimal("37"), Decimal("37"))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"hours_min": "0"}, RANGE_MESSAGE),
        ({"hours_min": "-2"}, RANGE_MESSAGE),
        ({"hours_max": "37.5"}, RANGE_MESSAGE),
        ({"hours_min": "38", "hours_max": "40"}, RANGE_MESSAGE),
        ({"hours_min": "10", "hours_max": "6"}, ORDER_MESSAGE),
        ({"positions": "0"}, POSITIONS_MESSAGE),
    ],
)
def test_it_refuses_a_bad_opening_with_a_danish_message(login, consultant, employer, fields, message):
    response = login(consultant).post(f"/employers/{employer.pk}/openings/new/", opening_post(**fields))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in [error for errors in form.errors.values() for error in errors]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Opening.objects.exists()


@pytest.mark.parametrize("missing", ["title", "hours_min", "hours_max", "positions"])
def test_it_requires_the_essential_fields(login, consultant, employer, missing):
    response = login(consultant).post(f"/employers/{employer.pk}/openings/new/", opening_post(**{missing: ""}))
    assert missing in response.context["form"].errors
    assert not Opening.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"hours_min": 0, "hours_max": 8},
        {"hours_min": -1, "hours_max": 8},
        {"hours_min": 4, "hours_max": Decimal("37.5")},
        {"hours_min": 10, "hours_max": 6},
        {"hours_min": 4, "hours_max": 8, "positions": 0},
    ],
)
def test_it_refuses_a_bad_opening_in_the_database(employer, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.create(employer=employer, title="Forkert", **fields)


def edit_data(client, opening, **changes):
    """The edit form as the browser submits it (with the values it was opened with), plus changes."""
    data = form_values(client.get(f"/employers/openings/{opening.pk}/edit/").content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_it_edits_an_opening(login, consultant, employer, opening):
    client = login(consultant)
    assert client.get(f"/employers/openings/{opening.pk}/edit/").status_code == 200
    response = client.post(
        f"/employers/openings/{opening.pk}/edit/",
        edit_data(client, opening, title="Pedel og have", hours_max="10", is_open=None),  # unticked
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert (opening.title, opening.hours_max, opening.is_open) == ("Pedel og have", Decimal("10"), False)
    assert opening.employer == employer


def test_it_keeps_an_opening_unchanged_when_an_edit_is_invalid(login, consultant, opening):
    response = login(consultant).post(
        f"/employers/openings/{opening.pk}/edit/", opening_post(hours_min="9", hours_max="8")
    )
    assert response.status_code == 200
    opening.refresh_from_db()
    assert (opening.hours_min, opening.hours_max) == (4, 8)


def test_it_gives_404_for_openings_of_another_municipality(login, outsider, employer, opening):
    client = login(outsider)
    assert client.get(f"/employers/{employer.pk}/openings/new/").status_code == 404
    assert client.post(f"/employers/{employer.pk}/openings/new/", opening_post()).status_code == 404
    assert client.get(f"/employers/openings/{opening.pk}/edit/").status_code == 404
    assert client.post(f"/employers/openings/{opening.pk}/edit/", opening_post(title="Overtaget")).status_code == 404
    assert Opening.objects.get().title == "Pedel"


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_openings_to_other_roles(login, request, employer, opening, user):
    employer.leaders.add(request.getfixturevalue("leader"))
    client = login(request.getfixturevalue(user))
    assert client.get(f"/employers/{employer.pk}/openings/new/").status_code == 403
    assert client.post(f"/employers/{employer.pk}/openings/new/", opening_post()).status_code == 403
    assert client.post(f"/employers/openings/{opening.pk}/edit/", opening_post(title="Ændret")).status_code == 403
    assert Opening.objects.get().title == "Pedel"


# --- the task catalogue -----------------------------------------------------------------


def catalogue(*names):
    return list(JobTask.objects.filter(name__in=names).order_by("name"))


def test_it_ticks_tasks_from_the_catalogue_on_a_new_opening(login, consultant, employer):
    kitchen, laundry = catalogue("Let køkkenarbejde", "Vasketøj")
    client = login(consultant)
    html = client.get(f"/employers/{employer.pk}/openings/new/").content.decode()
    assert 'name="catalogue_tasks"' in html and 'type="checkbox"' in html
    response = client.post(
        f"/employers/{employer.pk}/openings/new/", opening_post(catalogue_tasks=[kitchen.pk, laundry.pk])
    )
    assert response.status_code == 302
    assert set(Opening.objects.get().catalogue_tasks.all()) == {kitchen, laundry}


def test_it_offers_only_the_active_tasks_and_keeps_a_retired_one_already_ticked(login, consultant, employer, opening):
    kitchen, laundry = catalogue("Let køkkenarbejde", "Vasketøj")
    opening.catalogue_tasks.set([laundry])
    JobTask.objects.filter(pk=laundry.pk).update(active=False)
    client = login(consultant)
    new = client.get(f"/employers/{employer.pk}/openings/new/").context["form"].fields["catalogue_tasks"].queryset
    assert kitchen in new and laundry not in new
    edit = client.get(f"/employers/openings/{opening.pk}/edit/").context["form"].fields["catalogue_tasks"].queryset
    assert kitchen in edit and laundry in edit
    assert client.post(f"/employers/openings/{opening.pk}/edit/", edit_data(client, opening, title="Ny")).status_code == 302
    assert list(opening.catalogue_tasks.all()) == [laundry]


def test_it_changes_the_ticked_tasks(login, consultant, opening):
    kitchen, laundry = catalogue("Let køkkenarbejde", "Vasketøj")
    opening.catalogue_tasks.set([laundry])
    client = login(consultant)
    assert client.post(
        f"/employers/openings/{opening.pk}/edit/", edit_data(client, opening, catalogue_tasks=[kitchen.pk])
    ).status_code == 302
    assert list(opening.catalogue_tasks.all()) == [kitchen]


# --- two people editing at once ---------------------------------------------------------


def test_it_keeps_a_colleagues_change_made_while_the_form_was_open(login, consultant, opening):
    kitchen, laundry = catalogue("Let køkkenarbejde", "Vasketøj")
    client = login(consultant)
    data = edit_data(client, opening, title="Pedel og have")
    Opening.objects.filter(pk=opening.pk).update(positions=5, hours_max=Decimal("6"))
    opening.catalogue_tasks.set([laundry])
    assert client.post(f"/employers/openings/{opening.pk}/edit/", data).status_code == 302
    opening.refresh_from_db()
    assert (opening.title, opening.positions, opening.hours_max) == ("Pedel og have", 5, Decimal("6"))
    assert list(opening.catalogue_tasks.all()) == [laundry]


def test_it_writes_nothing_when_nothing_changed(login, consultant, opening):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(consultant)
    data = edit_data(client, opening)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/employers/openings/{opening.pk}/edit/", data).status_code == 302
    assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
