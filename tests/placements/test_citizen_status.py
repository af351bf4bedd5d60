"""A citizen's status follows their placements: "Ansat" while one runs (from its start day),
job-seeking again ("Klar til job") when it ends unless the consultant chooses otherwise; the
nightly job catches up with start and end dates that pass."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from citizens.models import Citizen
from placements import services, tasks
from placements.models import Placement
from tests.factories import make_citizen, make_employer, make_placement

PLACED, READY, ENDED, IN_COURSE, REGISTERED = (
    Citizen.Status.PLACED, Citizen.Status.READY, Citizen.Status.ENDED, Citizen.Status.IN_COURSE,
    Citizen.Status.REGISTERED,
)


def days(n):
    return timezone.localdate() + timedelta(days=n)


def create(consultant, citizen, employer, **fields):
    defaults = {"kind": Placement.Kind.FLEXJOB, "hours_per_week": Decimal("6"), "start_date": days(-100)}
    defaults.update(fields)
    return services.placement_create(user=consultant, citizen=citizen, employer=employer, **defaults)


def status(citizen):
    citizen.refresh_from_db()
    return citizen.status


def test_a_running_placement_makes_the_citizen_placed(consultant, citizen, employer):
    assert citizen.status == REGISTERED
    create(consultant, citizen, employer)
    assert status(citizen) == PLACED


def test_a_placement_starting_today_makes_the_citizen_placed(consultant, citizen, employer):
    create(consultant, citizen, employer, start_date=days(0))
    assert status(citizen) == PLACED


def test_a_placement_registered_from_the_employers_page_makes_the_citizen_placed(
    login, consultant, citizen, employer, placement_post
):
    response = login(consultant).post(
        f"/placements/new/employer/{employer.pk}/",
        placement_post(citizen_cpr=citizen.reveal_cpr(), start_date=str(days(-3))),
    )
    assert response.status_code == 302
    assert status(citizen) == PLACED


def test_a_future_placement_makes_the_citizen_placed_on_its_start_day(consultant, citizen, employer):
    citizen.status = READY
    citizen.save(update_fields=["status"])
    create(consultant, citizen, employer, start_date=days(10))
    assert status(citizen) == READY
    assert services.citizens_status_refresh(on=days(9)) == 0
    assert status(citizen) == READY
    assert services.citizens_status_refresh(on=days(10)) == 1
    assert status(citizen) == PLACED
    assert services.citizens_status_refresh(on=days(10)) == 0  # a second run changes none


def test_a_placement_registered_as_ended_leaves_the_status_alone(consultant, citizen, employer):
    create(consultant, citizen, employer, start_date=days(-200), end_date=days(-20))
    assert status(citizen) == REGISTERED


def test_ending_a_placement_makes_the_citizen_job_seeking_by_default(login, consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/", {"end_date": str(days(-1)), "end_reason": "resigned"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == (READY, None)


@pytest.mark.parametrize("chosen, closed", [(ENDED, True), (IN_COURSE, False), (REGISTERED, False)])
def test_ending_a_placement_gives_the_status_the_consultant_chose(login, consultant, citizen, employer, chosen, closed):
    placement = create(consultant, citizen, employer)
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/",
        {"end_date": str(days(-1)), "end_reason": "health", "citizen_status": chosen},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.status == chosen
    assert citizen.case_closed_on == (timezone.localdate() if closed else None)
    placement.refresh_from_db()
    assert placement.citizen_status_after == chosen


def test_it_refuses_placed_as_the_status_after_the_end(login, consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    response = login(consultant).post(
        f"/placements/{placement.pk}/end/", {"end_date": str(days(-1)), "end_reason": "health", "citizen_status": "placed"}
    )
    assert response.status_code == 400
    assert "citizen_status" in response.context["end_form"].errors
    placement.refresh_from_db()
    assert placement.end_date is None


def test_the_end_form_offers_job_seeking_first(login, consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    form = login(consultant).get(f"/placements/{placement.pk}/").context["end_form"]
    assert [value for value, _ in form.fields["citizen_status"].choices] == ["ready", "in_course", "registered", "ended"]
    assert form["citizen_status"].value() == "ready"


def test_a_citizen_stays_placed_until_the_end_date_has_passed(consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    services.placement_end(user=consultant, placement=placement, end_date=days(5), end_reason="period_ended",
                           citizen_status=IN_COURSE)
    assert status(citizen) == PLACED
    assert services.citizens_status_refresh(on=days(5)) == 0  # a job ending that day still runs that day
    assert services.citizens_status_refresh(on=days(6)) == 1
    assert status(citizen) == IN_COURSE


def test_a_placement_ending_today_keeps_the_citizen_placed_today(consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    services.placement_end(user=consultant, placement=placement, end_date=days(0), end_reason="other")
    assert status(citizen) == PLACED
    services.citizens_status_refresh(on=days(1))
    assert status(citizen) == READY


def test_with_two_placements_the_citizen_stays_placed_until_both_have_ended(consultant, citizen, employer, fredericia):
    other_employer = make_employer(fredericia, name="Kanalbyens Café")
    first = create(consultant, citizen, employer)
    second = create(consultant, citizen, other_employer, start_date=days(-50))
    services.placement_end(user=consultant, placement=first, end_date=days(-1), end_reason="other", citizen_status=ENDED)
    assert status(citizen) == PLACED
    services.placement_end(user=consultant, placement=second, end_date=days(-1), end_reason="other")
    assert status(citizen) == READY


def test_the_choice_on_the_last_placement_to_end_decides(consultant, citizen, employer, fredericia):
    other_employer = make_employer(fredericia, name="Kanalbyens Café")
    first = create(consultant, citizen, employer)
    second = create(consultant, citizen, other_employer, start_date=days(-50))
    services.placement_end(user=consultant, placement=first, end_date=days(2), end_reason="other", citizen_status=ENDED)
    services.placement_end(user=consultant, placement=second, end_date=days(4), end_reason="other", citizen_status=IN_COURSE)
    services.citizens_status_refresh(on=days(3))
    assert status(citizen) == PLACED
    services.citizens_status_refresh(on=days(5))
    assert status(citizen) == IN_COURSE


def test_moving_the_start_into_the_future_makes_the_citizen_job_seeking_until_then(
    login, consultant, citizen, employer, placement_post
):
    placement = create(consultant, citizen, employer)
    assert status(citizen) == PLACED
    response = login(consultant).post(
        f"/placements/{placement.pk}/edit/", placement_post(employer=employer, start_date=str(days(7)), hours_per_week="6")
    )
    assert response.status_code == 302
    assert status(citizen) == READY


def test_the_nightly_job_refreshes_every_citizen(consultant, citizen, employer, fredericia):
    starting = make_citizen(fredericia, first_name="Starter", status=READY)
    make_placement(starting, employer, start_date=days(0))  # registered without the service
    ended = make_citizen(fredericia, first_name="Sluttet", status=PLACED)
    make_placement(ended, employer, start_date=days(-300), end_date=days(-1))
    closed = make_citizen(fredericia, first_name="Lukket", status=ENDED)
    still = make_citizen(fredericia, first_name="Stadig", status=PLACED)
    make_placement(still, employer, start_date=days(-30))
    assert tasks.statuses_refresh.delay().get() == 2
    assert (status(starting), status(ended), status(closed), status(still)) == (PLACED, READY, ENDED, PLACED)
    assert tasks.statuses_refresh.delay().get() == 0


def test_the_refresh_reopens_a_closed_case_of_a_citizen_in_a_job(citizen, employer):
    Citizen.objects.filter(pk=citizen.pk).update(status=ENDED, case_closed_on=days(-10))
    make_placement(citizen, employer, start_date=days(-2))
    assert services.citizens_status_refresh(citizen_ids=[citizen.pk]) == 1
    citizen.refresh_from_db()
    assert (citizen.status, citizen.case_closed_on) == (PLACED, None)


def test_the_refresh_of_some_citizens_leaves_the_others(citizen, employer, fredericia):
    other = make_citizen(fredericia, first_name="Anden")
    make_placement(citizen, employer, start_date=days(-2))
    make_placement(other, employer, start_date=days(-2))
    assert services.citizens_status_refresh(citizen_ids=[citizen.pk]) == 1
    assert (status(citizen), status(other)) == (PLACED, REGISTERED)


def test_the_refresh_leaves_anonymised_citizens_alone(citizen, employer):
    Citizen.objects.filter(pk=citizen.pk).update(anonymised_at=timezone.now())
    make_placement(citizen, employer, start_date=days(-2))
    assert services.citizens_status_refresh() == 0
    assert status(citizen) == REGISTERED
