"""Changing a registered placement."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLog
from employers.models import Opening
from placements import services
from placements.models import Placement
from tests.html import form_values
from tests.factories import make_citizen, make_employer, make_placement

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
    assert (row.action, row.object_id, row.purpose) == (AccessLog.Action.UPDATE, placement.citizen_id, "ansættelse")


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
    [{"hours_per_week": "0"}, {"hours_per_week": "38"}, {"contracted_hours": "4"}],
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
    placement.refresh_from_db()
    assert placement.start_date == date(2026, 1, 15) and Placement.objects.count() == 1


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


def _edit_data(client, placement, **changes):
    """The edit form as the browser submits it (with the values it was opened with), plus changes."""
    data = form_values(client.get(f"/placements/{placement.pk}/edit/").content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def test_it_keeps_a_colleagues_change_made_while_the_form_was_open(login, consultant, placement):
    client = login(consultant)
    data = _edit_data(client, placement, accommodations="Korte pauser")
    Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("12"), first_flexjob=True)
    assert client.post(f"/placements/{placement.pk}/edit/", data).status_code == 302
    placement.refresh_from_db()
    assert placement.accommodations == "Korte pauser"
    assert (placement.hours_per_week, placement.first_flexjob) == (Decimal("12"), True)


def test_it_checks_the_rules_against_a_colleagues_change(login, consultant, placement):
    client = login(consultant)
    data = _edit_data(client, placement, contracted_hours="10")  # at least the 8 hours seen
    Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("12"))
    response = client.post(f"/placements/{placement.pk}/edit/", data)
    assert response.status_code == 200
    # The hours now, the colleague's, are the ones the contracted hours must reach.
    assert "De aftalte timer skal være mindst de faktiske timer (12)." in response.content.decode()
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.contracted_hours) == (Decimal("12"), None)


def test_it_writes_only_the_changed_fields(login, consultant, placement):
    client = login(consultant)
    data = _edit_data(client, placement, hours_per_week="6")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/placements/{placement.pk}/edit/", data)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "placements_placement"')]
    assert len(updates) == 1
    assigned = updates[0].split(" SET ")[1].split(" WHERE ")[0]
    assert '"hours_per_week"' in assigned
    for untouched in ("accommodations", "employer_id", "start_date", "end_date", "kind", "first_flexjob"):
        assert f'"{untouched}"' not in assigned


def test_it_writes_and_logs_nothing_when_nothing_changed(login, consultant, placement):
    client = login(consultant)
    data = _edit_data(client, placement)
    seen = AccessLog.objects.count()  # the form's own page view (the log is append-only)
    Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("12"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/placements/{placement.pk}/edit/", data)
    assert response.status_code == 302
    assert not [q for q in queries if q["sql"].startswith('UPDATE "placements_placement"')]
    assert AccessLog.objects.count() == seen
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("12")


def test_it_saves_nothing_for_a_form_without_changes(login, consultant, placement):
    from placements.forms import PlacementForm

    data = _edit_data(login(consultant), placement)
    seen = AccessLog.objects.count()  # the form's own page view (the log is append-only)
    stale = Placement.objects.get(pk=placement.pk)
    Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("12"))
    form = PlacementForm(data, instance=stale)
    assert form.is_valid() and form.changed_columns == []
    services.placement_update(user=consultant, form=form)
    placement.refresh_from_db()
    assert placement.hours_per_week == Decimal("12")
    assert AccessLog.objects.count() == seen


def test_it_leaves_ending_to_the_end_form(login, consultant, placement):
    client = login(consultant)
    response = client.get(f"/placements/{placement.pk}/edit/")
    assert "end_date" not in response.context["form"].fields
    assert 'name="end_date"' not in response.content.decode()
    data = _edit_data(client, placement, end_date="2026-06-30", end_reason="health", hours_per_week="6")
    assert client.post(f"/placements/{placement.pk}/edit/", data).status_code == 302
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.end_date, placement.end_reason) == (Decimal("6"), None, "")


def test_it_keeps_the_placements_opening_when_it_has_closed(login, consultant, citizen, employer):
    closed = Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8, is_open=False)
    pledge = Opening.objects.create(employer=employer, title="Tilsagn", hours_min=4, hours_max=8, is_open=False)
    placement = make_placement(citizen, employer, opening=closed)
    client = login(consultant)
    form = client.get(f"/placements/{placement.pk}/edit/").context["form"]
    assert list(form.fields["opening"].queryset) == [closed]
    assert client.post(f"/placements/{placement.pk}/edit/", _edit_data(client, placement, hours_per_week="6")).status_code == 302
    refused = client.post(f"/placements/{placement.pk}/edit/", _edit_data(client, placement, opening=pledge.pk))
    assert "opening" in refused.context["form"].errors
    placement.refresh_from_db()
    assert (placement.opening, placement.hours_per_week) == (closed, Decimal("6"))
