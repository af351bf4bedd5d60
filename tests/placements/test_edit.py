"""Changing a registered placement."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AccessLog
from placements.models import Placement
from tests.conftest import make_citizen, make_employer, make_placement

OVERLAP_MESSAGE = "Borgeren har allerede en ansættelse hos denne virksomhed i den periode."


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, hours_per_week=Decimal("8"), start_date=date(2026, 2, 1))


def test_it_shows_the_edit_form_with_the_employer_choice(login, consultant, placement):
    response = login(consultant).get(f"/placements/{placement.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ret ansættelse" in html
    assert 'name="employer"' in html and 'name="citizen_cpr"' not in html


def test_it_edits_a_placement(login, consultant, placement, employer, placement_post):
    response = login(consultant).post(
        f"/placements/{placement.pk}/edit/",
        placement_post(employer=employer, hours_per_week="12", contracted_hours="15", retention_flexjob="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/placements/{placement.pk}/"
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.contracted_hours, placement.retention_flexjob) == (
        Decimal("12"),
        Decimal("15"),
        True,
    )
    assert Placement.objects.count() == 1


def test_it_logs_an_edit(login, consultant, placement, employer, placement_post):
    login(consultant).post(f"/placements/{placement.pk}/edit/", placement_post(employer=employer, hours_per_week="12"))
    row = AccessLog.objects.get()
    assert (row.action, row.object_id, row.purpose) == (AccessLog.Action.UPDATE, placement.citizen_id, "placement")


def test_it_moves_a_placement_to_another_employer_of_the_municipality(
    login, consultant, fredericia, placement, placement_post
):
    elsewhere = make_employer(fredericia, name="Anden ApS")
    response = login(consultant).post(f"/placements/{placement.pk}/edit/", placement_post(employer=elsewhere))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.employer == elsewhere


def test_it_refuses_to_move_a_placement_to_another_municipalitys_employer(
    login, consultant, placement, employer, other_employer, placement_post
):
    response = login(consultant).post(
        f"/placements/{placement.pk}/edit/", placement_post(employer=other_employer)
    )
    assert response.status_code == 200
    assert "employer" in response.context["form"].errors
    placement.refresh_from_db()
    assert placement.employer == employer


@pytest.mark.parametrize(
    "fields",
    [{"hours_per_week": "0"}, {"hours_per_week": "38"}, {"contracted_hours": "4"}, {"end_date": "2026-01-31"}],
)
def test_it_refuses_a_broken_edit(login, consultant, placement, employer, placement_post, fields):
    response = login(consultant).post(f"/placements/{placement.pk}/edit/", placement_post(employer=employer, **fields))
    assert response.status_code == 200
    assert response.context["form"].errors
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.contracted_hours, placement.end_date) == (Decimal("8"), None, None)


def test_it_refuses_an_edit_that_overlaps_another_placement(
    login, consultant, citizen, employer, placement_post
):
    make_placement(citizen, employer, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31))
    later = make_placement(citizen, employer, start_date=date(2026, 3, 1))
    response = login(consultant).post(
        f"/placements/{later.pk}/edit/", placement_post(employer=employer, start_date="2026-01-15")
    )
    assert response.context["form"].errors["start_date"] == [OVERLAP_MESSAGE]
    later.refresh_from_db()
    assert later.start_date == date(2026, 3, 1)


def test_it_does_not_count_a_placement_as_overlapping_itself(login, consultant, placement, employer, placement_post):
    response = login(consultant).post(
        f"/placements/{placement.pk}/edit/", placement_post(employer=employer, start_date="2026-01-15")
    )
    assert response.status_code == 302


def test_it_recomputes_the_target_group_when_the_start_date_moves(
    login, consultant, fredericia, employer, placement_post
):
    citizen = make_citizen(fredericia, unemployed_since=date(2025, 3, 1))
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    assert placement.in_target_group is False
    login(consultant).post(f"/placements/{placement.pk}/edit/", placement_post(employer=employer, start_date="2026-04-01"))
    placement.refresh_from_db()
    assert placement.in_target_group is True


def test_it_gives_404_when_editing_another_municipalitys_placement(login, outsider, placement, employer, placement_post):
    client = login(outsider)
    assert client.get(f"/placements/{placement.pk}/edit/").status_code == 404
    assert client.post(f"/placements/{placement.pk}/edit/", placement_post(employer=employer, hours_per_week="20")).status_code == 404
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("8")


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_edits_to_other_roles(login, request, placement, employer, placement_post, user):
    client = login(request.getfixturevalue(user))
    assert client.get(f"/placements/{placement.pk}/edit/").status_code == 403
    assert client.post(f"/placements/{placement.pk}/edit/", placement_post(employer=employer, hours_per_week="20")).status_code == 403
