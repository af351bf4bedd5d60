"""The placement services: the one way placements are registered, changed and ended."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from audit.models import AccessLog
from placements import services
from placements.access import get_placement_for_user, placements_for_user
from placements.models import Placement
from tests.factories import make_citizen, make_placement

OVERLAP_MESSAGE = "Borgeren har allerede en ansættelse hos denne virksomhed i den periode."


def create(consultant, citizen, employer, **fields):
    defaults = {"kind": Placement.Kind.FLEXJOB, "hours_per_week": Decimal("6"), "start_date": date(2026, 2, 1)}
    defaults.update(fields)
    return services.placement_create(user=consultant, citizen=citizen, employer=employer, **defaults)


def test_it_registers_a_placement_and_logs_it(consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    assert placement.pk and placement.created_by == consultant
    row = AccessLog.objects.get()
    assert (row.action, row.model, row.object_id, row.purpose, row.municipality_id) == (
        AccessLog.Action.CREATE,
        "citizens.Citizen",
        citizen.pk,
        "ansættelse",
        citizen.municipality_id,
    )


@pytest.mark.parametrize(
    "unemployed_since, expected",
    [
        (date(2024, 6, 1), True),
        (date(2025, 1, 31), True),
        (date(2025, 2, 1), False),
        (date(2025, 9, 1), False),
        (None, False),
    ],
)
def test_it_snapshots_the_target_group_on_the_start_date(consultant, fredericia, employer, unemployed_since, expected):
    citizen = make_citizen(fredericia, unemployed_since=unemployed_since)
    placement = create(consultant, citizen, employer, start_date=date(2026, 2, 1))
    placement.refresh_from_db()
    assert placement.in_target_group is expected


def test_it_keeps_the_snapshot_when_the_citizen_changes_later(consultant, fredericia, employer):
    citizen = make_citizen(fredericia, unemployed_since=date(2024, 6, 1))
    placement = create(consultant, citizen, employer)
    citizen.unemployed_since = date(2026, 1, 1)
    citizen.save(update_fields=["unemployed_since"])
    placement.refresh_from_db()
    assert placement.in_target_group is True


def test_it_refuses_a_citizen_and_employer_of_different_municipalities(consultant, citizen, other_employer):
    with pytest.raises(ValidationError) as error:
        create(consultant, citizen, other_employer)
    assert error.value.messages == ["Borger og virksomhed skal høre til samme kommune."]
    assert not Placement.objects.exists() and not AccessLog.objects.exists()


def test_it_refuses_an_overlapping_placement_without_the_form(consultant, citizen, employer):
    create(consultant, citizen, employer, start_date=date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        create(consultant, citizen, employer, start_date=date(2027, 1, 1))
    assert error.value.message_dict == {"start_date": [OVERLAP_MESSAGE]}
    assert Placement.objects.count() == 1
    assert AccessLog.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"hours_per_week": Decimal("0")},
        {"hours_per_week": Decimal("38")},
        {"contracted_hours": Decimal("5")},
        {"end_date": date(2026, 1, 1)},
    ],
)
def test_it_refuses_broken_placements_without_the_form(consultant, citizen, employer, fields):
    with pytest.raises(ValidationError):
        create(consultant, citizen, employer, **fields)
    assert not Placement.objects.exists() and not AccessLog.objects.exists()


def test_it_stamps_the_change_time_when_ending(consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    before = Placement.objects.get().updated_at
    services.placement_end(user=consultant, placement=placement, end_date=date(2026, 5, 1), end_reason="new_job")
    assert Placement.objects.get().updated_at > before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
def test_it_turns_the_databases_overlap_refusal_into_a_danish_message(consultant, citizen, employer, monkeypatch):
    """Two registrations racing past the service's check: the database has the last word."""
    create(consultant, citizen, employer, start_date=date(2026, 1, 1))
    monkeypatch.setattr(Placement, "validate_no_overlap", lambda placement: None)
    with pytest.raises(ValidationError) as error:
        create(consultant, citizen, employer, start_date=date(2026, 6, 1))
    assert error.value.message_dict == {"start_date": [OVERLAP_MESSAGE]}
    assert Placement.objects.count() == 1


# Access helpers


def test_it_gives_a_consultant_the_placements_of_their_municipality(consultant, citizen, employer, other_citizen, other_employer):
    mine = make_placement(citizen, employer)
    make_placement(other_citizen, other_employer)
    assert list(placements_for_user(consultant)) == [mine]
    assert get_placement_for_user(consultant, mine.pk) == mine


def test_it_gives_404_for_another_municipalitys_placement(outsider, citizen, employer):
    placement = make_placement(citizen, employer)
    with pytest.raises(Http404):
        get_placement_for_user(outsider, placement.pk)


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_gives_other_roles_no_placements(request, citizen, employer, user):
    placement = make_placement(citizen, employer)
    user = request.getfixturevalue(user)
    assert not placements_for_user(user).exists()
    with pytest.raises(Http404):
        get_placement_for_user(user, placement.pk)


def test_it_knows_whether_a_placement_is_running(citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1), end_date=date(2026, 2, 28))

    def running(on):
        return Placement.objects.filter(Placement.running_q(on)).exists()

    assert running(date(2026, 2, 1)) and running(date(2026, 2, 15)) and running(date(2026, 2, 28))
    assert not running(date(2026, 1, 31)) and not running(date(2026, 3, 1) + timedelta(days=1))
    Placement.objects.filter(pk=placement.pk).update(end_date=None)
    assert running(date(2030, 1, 1))


def test_it_shows_the_overlap_message_in_the_language_of_the_request():
    from django.utils import translation

    with translation.override("en"):
        assert str(services.OVERLAP_MESSAGE) == "The citizen already has a placement with this employer in that period."
    with translation.override("da"):
        assert str(services.OVERLAP_MESSAGE) == OVERLAP_MESSAGE
