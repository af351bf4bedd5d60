"""Input that used to break the workspace's pages: a workshop in year 1 (stored by PostgreSQL
as a time no page could read back), comments and visions of hundreds of thousands of
characters, a pledge of any number of positions and a tampered status of an action. Each is
refused with a form error and saves nothing."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from employers.models import Opening
from workspace.models import Action, Comment, VisionVersion, Workshop

from tests.factories import make_action, make_solution, make_workshop

RANGE_ERROR = "Datoen skal ligge mellem 01.01.2000 og"


def workshops_url(task_force):
    return f"/taskforce/{task_force.pk}/workshops/"


def workshop_data(**overrides):
    day = timezone.localdate() + timedelta(days=14)
    data = {"title": "Workshop 2", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00",
            "place": "Jobcentret", "agenda": "", "minutes": ""}
    data.update(overrides)
    return data


# --- A workshop in year 1 ---------------------------------------------------------------------

@pytest.mark.parametrize("starts_at, ends_at", [
    ("0001-01-01T00:10", "0001-01-01T01:00"),
    ("1999-12-31T09:00", "1999-12-31T12:00"),
    ("9999-12-31T09:00", "9999-12-31T12:00"),
])
def test_it_refuses_a_workshop_outside_a_sane_window_and_saves_nothing(
    login, facilitator_member, leader_member, task_force, starts_at, ends_at
):
    client = login(facilitator_member.user)
    response = client.post(workshops_url(task_force), workshop_data(starts_at=starts_at, ends_at=ends_at))
    assert response.status_code == 200
    assert RANGE_ERROR in response.content.decode()
    assert not Workshop.objects.exists()
    for url in (f"/taskforce/{task_force.pk}/", workshops_url(task_force)):
        assert login(leader_member.user).get(url).status_code == 200


def test_it_offers_only_the_window_in_the_date_picker(login, facilitator_member, task_force):
    html = login(facilitator_member.user).get(workshops_url(task_force)).content.decode()
    assert 'min="2000-01-01T00:00"' in html


def test_it_refuses_a_workshop_in_year_1_when_editing_too(login, facilitator_member, task_force):
    workshop = make_workshop(task_force)
    starts_at = workshop.starts_at
    response = login(facilitator_member.user).post(
        f"{workshops_url(task_force)}{workshop.pk}/", workshop_data(starts_at="0001-01-01T00:10")
    )
    assert response.status_code == 200 and RANGE_ERROR in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.starts_at == starts_at


def test_it_refuses_a_workshop_in_year_1_in_the_model_as_the_admin_saves_it(task_force):
    from django.core.exceptions import ValidationError

    workshop = make_workshop(task_force)
    workshop.starts_at = workshop.starts_at.replace(year=1)
    with pytest.raises(ValidationError) as error:
        workshop.full_clean()
    assert "starts_at" in error.value.message_dict


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL stored a time before year 1")
def test_it_makes_a_workshop_stored_before_year_1_readable_again(login, leader_member, admin_user, task_force):
    """A workshop saved before the form refused year 1: PostgreSQL holds it as a time BC."""
    workshop = make_workshop(task_force)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workspace_workshop SET starts_at = '0001-12-31 23:19:40+00 BC', "
            "ends_at = '0001-01-01 00:00:00+00' WHERE id = %s", [workshop.pk]
        )
    migration = importlib.import_module("workspace.migrations.0003_plausible_workshop_times_and_text_lengths")

    class Editor:
        connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.make_workshop_times_readable(None, Editor())
    workshop.refresh_from_db()
    assert workshop.starts_at.year == 1 and workshop.ends_at > workshop.starts_at
    client = login(leader_member.user)
    for url in (workshops_url(task_force), f"{workshops_url(task_force)}{workshop.pk}/",
                f"{workshops_url(task_force)}{workshop.pk}/workshop.ics"):
        assert client.get(url).status_code == 200, url
    assert login(admin_user).get("/admin/workspace/workshop/").status_code == 200


# --- Free text of a bounded length ------------------------------------------------------------

def test_it_refuses_a_comment_of_more_than_2000_characters_with_the_count(login, leader_member, co_leader_member):
    solution = make_solution(leader_member.task_force, leader_member)
    url = f"/taskforce/{leader_member.task_force_id}/solutions/{solution.pk}/"
    response = login(co_leader_member.user).post(url, {"text": "x" * 300_000})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "Teksten er for lang: 300000 tegn. Der er plads til højst 2000 tegn." in html
    assert not Comment.objects.exists()
    assert login(co_leader_member.user).post(url, {"text": "x" * 2000}).status_code == 302
    assert 'maxlength="2000"' in login(co_leader_member.user).get(url).content.decode()


def test_it_refuses_a_vision_of_more_than_5000_characters(login, leader_member, task_force):
    url = f"/taskforce/{task_force.pk}/vision/"
    response = login(leader_member.user).post(url, {"text": "Alle kan arbejde. " * 20_000})
    assert "Der er plads til højst 5000 tegn." in response.content.decode()
    assert not VisionVersion.objects.exists()


# --- Positions of a pledge, the status of an action --------------------------------------------

def test_it_refuses_a_pledge_of_more_than_100_positions(login, leader_member):
    action = make_action(leader_member.task_force, leader_member)
    response = login(leader_member.user).post(
        f"/taskforce/{action.task_force_id}/actions/{action.pk}/pledges/",
        {"title": "Køkken", "positions": "100000", "hours_min": "4", "hours_max": "8", "tasks": ""},
    )
    assert response.status_code in (200, 400)
    assert not Opening.objects.exists()


@pytest.mark.parametrize("expected", ["bogus", "planned\x00", "x" * 10_000])
def test_it_refuses_a_tampered_expected_status_of_an_action(login, leader_member, expected):
    action = make_action(leader_member.task_force, leader_member)
    response = login(leader_member.user).post(
        f"/taskforce/{action.task_force_id}/actions/{action.pk}/status/",
        {"status": "done", "progress": 100, "expected_status": expected},
    )
    assert response.status_code == 400
    assert "Genindlæs siden og prøv igen." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.PLANNED


def test_the_models_refuse_an_implausible_due_date_and_adoption_date(task_force, leader_member):
    """On the models, so the admin refuses them too (the forms read the same window)."""
    from datetime import date

    from django.core.exceptions import ValidationError

    from workspace.models import VisionVersion
    from tests.factories import make_action

    action = make_action(task_force, leader_member)
    action.due_date = date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert "due_date" in refused.value.message_dict
    version = VisionVersion(task_force=task_force, author=leader_member, text="Vision", adopted_on=date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        version.full_clean()
    assert "adopted_on" in refused.value.message_dict
