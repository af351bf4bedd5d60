"""The placement's page: kind (mini flex job), period, follow-up and status dates."""

from datetime import date
from decimal import Decimal

import pytest

from placements import services
from placements.models import FollowUp, Placement, follow_ups_planned
from tests.factories import make_citizen, make_placement


def legal_deadlines(placement):
    """(the 2½-year follow-up, the 4½-year re-assessment) as planned for the placement, or None."""
    planned = {kind: due_on for kind, _months, due_on in follow_ups_planned(
        start_date=placement.start_date, kind=placement.kind,
        first_flexjob=placement.first_flexjob, permanent=placement.permanent,
    )}
    return planned.get(FollowUp.Kind.LEGAL_FOLLOW_UP), planned.get(FollowUp.Kind.REASSESSMENT)


def page(login, consultant, placement):
    response = login(consultant).get(f"/placements/{placement.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("hours", ["4", "10"])
def test_it_shows_a_flex_job_of_few_hours_as_a_mini_flex_job(login, consultant, citizen, employer, hours):
    placement = make_placement(citizen, employer, hours_per_week=Decimal(hours))
    assert placement.is_mini_flexjob
    assert "Mini-fleksjob hos Lillebælt Byg ApS" in page(login, consultant, placement)


def test_it_shows_a_flex_job_over_the_limit_as_a_flex_job(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("10.5"))
    assert not placement.is_mini_flexjob
    html = page(login, consultant, placement)
    assert "Fleksjob hos Lillebælt Byg ApS" in html
    assert "Mini-fleksjob" not in html


def test_it_never_shows_an_internship_as_a_mini_flex_job(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, kind=Placement.Kind.INTERNSHIP, hours_per_week=Decimal("6"))
    assert not placement.is_mini_flexjob
    html = page(login, consultant, placement)
    assert "Praktik hos Lillebælt Byg ApS" in html
    assert "Mini-fleksjob" not in html


def test_it_takes_the_mini_flex_job_limit_from_the_settings(login, consultant, citizen, employer, settings):
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("12")
    placement = make_placement(citizen, employer, hours_per_week=Decimal("12"))
    assert placement.is_mini_flexjob
    assert "Mini-fleksjob" in page(login, consultant, placement)
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("5")
    assert not placement.is_mini_flexjob


def test_it_counts_mini_flex_jobs_in_the_query_too(citizen, employer, fredericia, settings):
    mini = make_placement(citizen, employer, hours_per_week=Decimal("10"))
    make_placement(make_citizen(fredericia), employer, hours_per_week=Decimal("11"))
    make_placement(make_citizen(fredericia), employer, hours_per_week=Decimal("5"), kind=Placement.Kind.INTERNSHIP)
    assert list(Placement.objects.filter(Placement.mini_flexjob_q())) == [mini]
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("12")
    assert Placement.objects.filter(Placement.mini_flexjob_q()).count() == 2


def test_it_shows_the_law_s_deadlines_of_a_flex_job_as_follow_ups(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1), first_flexjob=True, permanent=False)
    assert legal_deadlines(placement) == (date(2028, 8, 1), date(2030, 8, 1))
    services.followups_schedule(placement=placement)
    html = page(login, consultant, placement)
    assert "Lovpligtig opfølgning efter 2½ år" in html and "1. august 2028" in html
    assert "Revurdering før 4½ år" in html and "1. august 2030" in html
    # The old bare dates are gone.
    assert "Opfølgning (2½ år)" not in html and "Status (4½ år)" not in html


def test_it_keeps_the_follow_up_dates_at_month_ends(citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 8, 31), first_flexjob=True, permanent=False)
    assert legal_deadlines(placement) == (date(2029, 2, 28), date(2031, 2, 28))


def test_it_shows_no_legal_deadlines_for_other_kinds(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, kind=Placement.Kind.ORDINARY_JOB, hours_per_week=Decimal("30"))
    assert legal_deadlines(placement) == (None, None)
    services.followups_schedule(placement=placement)
    html = page(login, consultant, placement)
    assert "2½ år" not in html and "4½ år" not in html
    assert "Efter 1 måned" in html  # the regular follow-ups, as for every placement


def test_it_shows_no_legal_deadlines_after_the_placement_ended(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1), first_flexjob=True, permanent=False)
    services.followups_schedule(placement=placement)
    services.placement_end(user=consultant, placement=placement, end_date=date(2026, 6, 30), end_reason="health")
    html = page(login, consultant, placement)
    assert "2½ år" not in html and "4½ år" not in html
    assert "1. august 2028" not in html


def test_it_shows_when_a_time_limited_flex_job_grant_expires(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, permanent=False, start_date=date(2026, 2, 1))
    assert placement.grant_expires_on == date(2031, 2, 1)
    assert "1. februar 2031" in page(login, consultant, placement)


def test_it_shows_no_grant_expiry_for_a_permanent_flex_job(citizen, employer):
    assert make_placement(citizen, employer, permanent=True).grant_expires_on is None


def test_it_shows_the_citizen_employer_and_hours(login, consultant, citizen, employer):
    placement = make_placement(
        citizen, employer, hours_per_week=Decimal("6"), contracted_hours=Decimal("8"), accommodations="Korte pauser"
    )
    html = page(login, consultant, placement)
    assert "Bente Sørensen" in html
    assert f'href="/employers/{employer.pk}/"' in html
    assert "aftalt" in html and "Korte pauser" in html
    assert "i gang" in html
    assert "Afslut ansættelse" in html


def test_it_gives_404_for_another_municipalitys_placement(login, outsider, citizen, employer):
    placement = make_placement(citizen, employer)
    assert login(outsider).get(f"/placements/{placement.pk}/").status_code == 404


def test_it_gives_404_for_an_unknown_placement(login, consultant):
    assert login(consultant).get("/placements/999999/").status_code == 404


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_the_page_to_other_roles(login, request, citizen, employer, user):
    placement = make_placement(citizen, employer)
    assert login(request.getfixturevalue(user)).get(f"/placements/{placement.pk}/").status_code == 403


def test_it_lets_an_admin_see_any_placement(login, admin_user, other_citizen, other_employer):
    placement = make_placement(other_citizen, other_employer)
    assert login(admin_user).get(f"/placements/{placement.pk}/").status_code == 200


def test_it_logs_that_the_page_was_seen(login, consultant, citizen, employer):
    from audit.models import AccessLog

    placement = make_placement(citizen, employer, accommodations="Skal kunne sidde ned")
    page(login, consultant, placement)
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.model, row.object_id, row.municipality_id, row.purpose) == (
        consultant,
        AccessLog.Action.VIEW,
        "citizens.Citizen",
        citizen.pk,
        citizen.municipality_id,
        "ansættelse",
    )


def test_it_logs_nothing_for_an_outsider_who_gets_404(login, outsider, citizen, employer):
    from audit.models import AccessLog

    placement = make_placement(citizen, employer)
    assert login(outsider).get(f"/placements/{placement.pk}/").status_code == 404
    assert not AccessLog.objects.exists()
