"""The counting rules of SPEC.md on their edges: what counts as a new flex job toward a target."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from placements.models import Placement
from progress.counting import counted_placements, progress_for
from progress.models import Target
from tests.factories import make_citizen, make_employer

from .conftest import APRIL_1, PERIOD_END, PERIOD_START


def counted(target, as_of=APRIL_1):
    return progress_for(target, as_of).new_flex_jobs


def test_it_counts_a_flex_job_starting_on_the_first_day_of_the_period(target, hire):
    hire(PERIOD_START)
    assert counted(target) == 1


def test_it_does_not_count_a_flex_job_starting_the_day_before_the_period(target, hire):
    hire(PERIOD_START - timedelta(days=1))
    assert counted(target) == 0


def test_it_counts_a_flex_job_starting_on_the_last_day_of_the_period(target, hire):
    hire(PERIOD_END)
    assert counted(target, as_of=PERIOD_END) == 1


def test_it_does_not_count_a_flex_job_starting_after_the_period_even_when_the_as_of_date_is_later(target, hire):
    hire(PERIOD_END)
    hire(PERIOD_END + timedelta(days=1))
    assert counted(target, as_of=date(2027, 3, 1)) == 1


def test_it_counts_a_flex_job_starting_on_the_as_of_date(target, hire):
    hire(APRIL_1)
    assert counted(target, as_of=APRIL_1) == 1


def test_it_does_not_count_a_flex_job_starting_the_day_after_the_as_of_date(target, hire):
    hire(APRIL_1 + timedelta(days=1))
    assert counted(target, as_of=APRIL_1) == 0


def test_it_counts_an_ended_flex_job_but_not_as_still_running(target, hire):
    hire(date(2026, 1, 10), end_date=date(2026, 3, 31))
    hire(date(2026, 1, 12))
    progress = progress_for(target, APRIL_1)
    assert (progress.new_flex_jobs, progress.still_running, progress.ended) == (2, 1, 1)


def test_it_counts_a_flex_job_ending_on_the_as_of_date_as_still_running(target, hire):
    hire(date(2026, 1, 10), end_date=APRIL_1)
    assert progress_for(target, APRIL_1).still_running == 1


def test_it_counts_a_flex_job_that_ends_after_the_as_of_date_as_still_running(target, hire):
    hire(date(2026, 1, 10), end_date=date(2026, 6, 30))
    progress = progress_for(target, APRIL_1)
    assert (progress.still_running, progress.ended) == (1, 0)
    assert progress_for(target, date(2026, 7, 1)).still_running == 0


def test_it_does_not_count_internships_or_ordinary_jobs(target, hire):
    hire(kind=Placement.Kind.INTERNSHIP)
    hire(kind=Placement.Kind.ORDINARY_JOB)
    hire(kind=Placement.Kind.FLEXJOB)
    assert counted(target) == 1


def test_it_does_not_count_another_municipalitys_placements(target, hire, other_employer):
    hire(employer=other_employer)
    assert counted(target) == 0


def test_it_counts_toward_the_targets_municipality_only(target, hire, odense, other_employer):
    hire()
    hire(employer=other_employer)
    odense_target = Target.objects.create(
        municipality=odense, title="Odense", number=50, period_start=PERIOD_START, period_end=PERIOD_END
    )
    assert (counted(target), counted(odense_target)) == (1, 1)


def test_it_splits_private_and_public(target, hire, private_employer, public_employer):
    hire(employer=private_employer)
    hire(employer=private_employer)
    hire(employer=public_employer)
    progress = progress_for(target, APRIL_1)
    assert (progress.new_flex_jobs, progress.private, progress.public) == (3, 2, 1)


def test_it_shows_social_economic_enterprises_on_their_own_and_counts_them_as_private(
    target, hire, social_employer, public_employer
):
    hire(employer=social_employer)
    hire(employer=public_employer)
    progress = progress_for(target, APRIL_1)
    assert (progress.private, progress.social_economic, progress.public) == (1, 1, 1)


def test_it_counts_a_social_economic_enterprise_as_private(target, hire, fredericia):
    # SPEC: social-economic enterprises are private companies; private + public stays the total.
    social = make_employer(fredericia, name="Café Klare", sector="private", social_economic=True)
    hire(employer=social)
    progress = progress_for(target, APRIL_1)
    assert (progress.private, progress.public, progress.social_economic) == (1, 0, 1)


def test_it_cannot_hold_a_public_social_economic_enterprise(fredericia):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_employer(fredericia, name="Café Klare", sector="public", social_economic=True)


def test_it_counts_mini_flex_jobs_up_to_the_setting(target, hire, settings):
    limit = settings.MINI_FLEXJOB_MAX_HOURS
    hire(hours_per_week=limit)
    hire(hours_per_week=limit + Decimal("0.5"))
    progress = progress_for(target, APRIL_1)
    assert (progress.mini_flex_jobs, progress.ordinary_flex_jobs) == (1, 1)


def test_it_reads_the_mini_flex_job_limit_from_the_settings(target, hire, settings):
    hire(hours_per_week=Decimal("8"))
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("6")
    assert progress_for(target, APRIL_1).mini_flex_jobs == 0


def test_it_counts_first_flex_jobs(target, hire):
    hire(first_flexjob=True)
    hire(first_flexjob=False)
    assert progress_for(target, APRIL_1).first_flex_jobs == 1


def test_it_counts_fastholdelsesfleksjob(target, hire):
    hire(retention_flexjob=True)
    hire()
    hire()
    assert progress_for(target, APRIL_1).retention_flex_jobs == 1


@pytest.mark.parametrize(
    "hours, band",
    [
        ("1", "hours_1_5"),
        ("5", "hours_1_5"),
        ("5.5", "hours_6_10"),
        ("6", "hours_6_10"),
        ("10", "hours_6_10"),
        ("10.5", "hours_over_10"),
        ("37", "hours_over_10"),
    ],
)
def test_it_puts_hours_in_bands_1_5_6_10_and_over_10(target, hire, hours, band):
    hire(hours_per_week=Decimal(hours))
    progress = progress_for(target, APRIL_1)
    bands = {name: getattr(progress, name) for name in ("hours_1_5", "hours_6_10", "hours_over_10")}
    assert bands == {name: int(name == band) for name in bands}


def test_it_counts_small_and_medium_sized_employers_and_their_share(target, hire, fredericia):
    for size in ("micro", "small", "medium", "large", ""):
        hire(employer=make_employer(fredericia, name=f"Virksomhed {size}", size=size))
    progress = progress_for(target, APRIL_1)
    assert progress.sme == 3
    assert progress.share(progress.sme) == 60


def test_it_counts_only_the_target_group_when_the_target_says_so(target, hire, fredericia):
    start = date(2026, 3, 1)
    a_year_before = start - relativedelta(years=1)
    long_unemployed = make_citizen(fredericia, unemployed_since=a_year_before - timedelta(days=1))
    exactly_a_year = make_citizen(fredericia, unemployed_since=a_year_before)
    recently = make_citizen(fredericia, unemployed_since=date(2025, 10, 1))
    unknown = make_citizen(fredericia)
    for citizen in (long_unemployed, exactly_a_year, recently, unknown):
        hire(start, citizen=citizen)
    assert counted(target) == 4
    target.target_group_only = True
    target.save(update_fields=["target_group_only"])
    assert counted(target) == 1
    assert list(counted_placements(target, APRIL_1).values_list("citizen", flat=True)) == [long_unemployed.pk]


def test_it_judges_the_target_group_on_the_start_date_not_today(target, hire, fredericia):
    # Unemployed 11 months when the job started: not in the target group, however long ago that was.
    citizen = make_citizen(fredericia, unemployed_since=date(2025, 3, 1))
    hire(date(2026, 2, 1), citizen=citizen)
    target.target_group_only = True
    assert counted(target, as_of=date(2026, 12, 31)) == 0


def test_it_reports_the_period_and_the_as_of_date(target):
    progress = progress_for(target, APRIL_1)
    assert (progress.target, progress.period_start, progress.period_end, progress.as_of) == (
        164,
        PERIOD_START,
        PERIOD_END,
        APRIL_1,
    )
    assert progress.new_flex_jobs == progress.percent == 0


def test_it_computes_the_percentage_of_the_target(target, hire):
    for _ in range(50):
        hire()
    assert progress_for(target, APRIL_1).percent == 30  # 50 of 164


@pytest.fixture
def targets(fredericia):
    def make(start, end, number=10):
        return Target.objects.create(
            municipality=fredericia, title=f"{start:%Y}", number=number, period_start=start, period_end=end
        )

    return (
        make(date(2025, 1, 1), date(2025, 12, 31)),
        make(date(2026, 1, 1), date(2026, 6, 30)),
        make(date(2026, 9, 1), date(2026, 12, 31)),
    )


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2025, 1, 1), 0),
        (date(2025, 12, 31), 0),
        (date(2026, 1, 1), 1),
        (date(2026, 6, 30), 1),
        (date(2026, 9, 1), 2),
        (date(2026, 12, 31), 2),
    ],
)
def test_it_picks_the_target_whose_period_holds_the_date(targets, fredericia, on, expected):
    assert Target.objects.current_for(fredericia, on) == targets[expected]


def test_it_picks_the_latest_target_that_started_between_periods(targets, fredericia):
    assert Target.objects.current_for(fredericia, date(2026, 8, 1)) == targets[1]


def test_it_picks_the_first_target_before_any_period_and_none_without_targets(targets, fredericia, odense):
    assert Target.objects.current_for(fredericia, date(2024, 5, 1)) == targets[0]
    assert Target.objects.current_for(odense, date(2026, 5, 1)) is None


def test_it_never_picks_another_municipalitys_target(targets, odense):
    assert Target.objects.current_for(odense, date(2026, 2, 1)) is None
