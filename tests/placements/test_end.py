"""Ending a placement with a reason: a conditional update that never ends one twice."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AccessLog
from placements import services
from placements.models import Placement
from tests.factories import make_placement

ALREADY_ENDED = "Ansættelsen er allerede afsluttet."
END_MESSAGE = "Slutdatoen må ikke ligge før startdatoen."


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, start_date=date(2026, 2, 1))


def test_it_ends_a_placement_with_a_reason(login, consultant, placement):
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/placements/{placement.pk}/"
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (date(2026, 6, 30), Placement.EndReason.HEALTH)


def test_it_shows_the_reason_after_ending(login, consultant, placement):
    client = login(consultant)
    client.post(f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"})
    html = client.get(f"/placements/{placement.pk}/").content.decode()
    assert "Helbred" in html and "30. juni 2026" in html
    assert "Afslut ansættelse" not in html


def test_it_logs_ending_a_placement(login, consultant, placement):
    login(consultant).post(f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"})
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.model, row.object_id, row.purpose) == (
        consultant,
        AccessLog.Action.UPDATE,
        "citizens.Citizen",
        placement.citizen_id,
        "afslutning af ansættelse",
    )


def test_it_allows_ending_on_the_start_date(login, consultant, placement):
    response = login(consultant).post(f"/placements/{placement.pk}/end/", {"end_date": "2026-02-01", "end_reason": "other"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.start_date, placement.end_date, placement.end_reason) == (date(2026, 2, 1), date(2026, 2, 1), "other")


def test_it_refuses_an_end_before_the_start(login, consultant, placement):
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/", {"end_date": "2026-01-31", "end_reason": "resigned"}
    )
    assert response.status_code == 400
    assert response.context["end_form"].errors["end_date"] == [END_MESSAGE]
    assert END_MESSAGE in response.content.decode()
    placement.refresh_from_db()
    assert placement.end_date is None
    # The placement's page, sent back with the error, is a page view: one row, no end.
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.object_id, row.purpose) == (
        consultant, AccessLog.Action.VIEW, placement.citizen_id, "ansættelse"
    )


@pytest.mark.parametrize("data", [{"end_date": "", "end_reason": "health"}, {"end_date": "2026-06-30", "end_reason": ""}, {"end_date": "2026-06-30", "end_reason": "bored"}])
def test_it_requires_a_date_and_a_known_reason(login, consultant, placement, data):
    response = login(consultant).post(f"/placements/{placement.pk}/end/", data)
    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.end_date is None


def test_it_says_in_danish_when_the_placement_is_already_ended(login, consultant, placement):
    client = login(consultant)
    client.post(f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"})
    response = client.post(f"/placements/{placement.pk}/end/", {"end_date": "2026-09-30", "end_reason": "resigned"})
    assert response.status_code == 400
    assert ALREADY_ENDED in response.content.decode()
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (date(2026, 6, 30), "health")
    # One end, and the page sent back with the refusal.
    assert sorted(AccessLog.objects.values_list("action", flat=True)) == [AccessLog.Action.UPDATE, AccessLog.Action.VIEW]


def test_it_refuses_to_end_a_placement_someone_else_ended_meanwhile(consultant, placement):
    stale = Placement.objects.get(pk=placement.pk)
    services.placement_end(user=consultant, placement=placement, end_date=date(2026, 6, 30), end_reason="health")
    with pytest.raises(ValidationError) as error:
        services.placement_end(user=consultant, placement=stale, end_date=date(2026, 9, 30), end_reason="resigned")
    assert error.value.messages == [ALREADY_ENDED]
    placement.refresh_from_db()
    assert placement.end_date == date(2026, 6, 30)


def test_it_refuses_an_end_before_the_start_in_the_service(consultant, placement):
    with pytest.raises(ValidationError) as error:
        services.placement_end(user=consultant, placement=placement, end_date=date(2026, 1, 1), end_reason="other")
    assert error.value.messages == [END_MESSAGE]
    placement.refresh_from_db()
    assert placement.end_date is None


def test_it_only_accepts_post_for_ending(login, consultant, placement):
    assert login(consultant).get(f"/placements/{placement.pk}/end/").status_code == 405


def test_it_gives_404_when_ending_another_municipalitys_placement(login, outsider, placement):
    response = login(outsider).post(f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.end_date is None


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_ending_to_other_roles(login, request, placement, user):
    response = login(request.getfixturevalue(user)).post(
        f"/placements/{placement.pk}/end/", {"end_date": "2026-06-30", "end_reason": "health"}
    )
    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.end_date is None
