"""The kept figures (progress.figures) agree to the unit with the counting rules worked out
from the placements (progress.counting), whatever happens: placements registered, ended and
corrected through the services, employers changing sector, size or industry, a citizen's
unemployment corrected, the mini flex job limit changed; and reading them takes the same
queries however many placements there are."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from employers.models import Employer
from employers.signals import employer_counting_changed
from placements.models import Placement
from placements.services import placement_create, placement_end
from progress import counting, figures
from progress.dashboard import build_dashboard
from progress.models import FlexJobDay, FlexJobEnd, Target
from tests.factories import make_citizen, make_employer, make_placement

from .conftest import APRIL_1, PERIOD_END, PERIOD_START

DAY_ZERO = date(2025, 6, 1)
AS_OF_DAYS = (date(2026, 1, 1), date(2026, 2, 28), APRIL_1, date(2026, 7, 31), date(2026, 12, 31), date(2027, 3, 1))


def direct(target, as_of):
    """What the counting rules give, from the placements themselves."""
    periods = counting.periods(target, as_of)
    return (
        counting.progress_for(target, as_of),
        counting.monthly_counts(target, as_of, periods),
        counting.retention(target, as_of, periods),
        counting.by_industry(target, as_of),
    )


def assert_agree(municipality):
    """On fixed days, and on the days a few placements end (and the day after)."""
    days = set(AS_OF_DAYS)
    for end in Placement.objects.filter(end_date__isnull=False).values_list("end_date", flat=True)[:4]:
        days |= {end, end + timedelta(days=1)}
    for target_group_only in (False, True):
        target = Target(
            municipality=municipality, title="t", number=100, period_start=PERIOD_START, period_end=PERIOD_END,
            target_group_only=target_group_only,
        )
        for as_of in sorted(days):
            assert figures.kept_figures(target, as_of) == direct(target, as_of), (target_group_only, as_of)


placement_specs = st.lists(
    st.tuples(
        st.integers(0, 700),  # start, days after DAY_ZERO
        st.one_of(st.none(), st.integers(0, 500)),  # end, days after the start
        st.sampled_from([Placement.Kind.FLEXJOB, Placement.Kind.FLEXJOB, Placement.Kind.INTERNSHIP]),
        st.sampled_from([Decimal("3"), Decimal("5"), Decimal("5.5"), Decimal("10"), Decimal("10.5"), Decimal("30")]),
        st.booleans(),  # first flex job
        st.booleans(),  # retention flex job
        st.integers(0, 2),  # which employer
        st.integers(0, 2),  # unemployed since: none, lately, long ago
    ),
    max_size=10,
)


@pytest.mark.django_db
@hsettings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=placement_specs, ends=st.lists(st.integers(0, 400), max_size=4), moved=st.integers(0, 2))
def test_the_kept_figures_agree_with_the_rules_after_any_history(fredericia, consultant, specs, ends, moved):
    # Each example on its own: what one example wrote is rolled back before the next.
    with transaction.atomic():
        _history(fredericia, consultant, specs, ends, moved)
        transaction.set_rollback(True)


def _history(fredericia, consultant, specs, ends, moved):
    employers = [
        make_employer(fredericia, name="Privat", size="small", industry="Byggeri"),
        make_employer(fredericia, name="Offentlig", sector=Employer.Sector.PUBLIC, size="large", industry="Pleje"),
        make_employer(fredericia, name="Socialøkonomisk", social_economic=True, size="medium", industry=""),
    ]
    unemployed = [None, date(2026, 1, 1), date(2019, 1, 1)]
    placements = []
    for start, end, kind, hours, first, retention, employer, since in specs:
        start_date = DAY_ZERO + timedelta(days=start)
        citizen = make_citizen(fredericia, unemployed_since=unemployed[since])
        placements.append(placement_create(
            user=consultant, citizen=citizen, employer=employers[employer], kind=kind, hours_per_week=hours,
            start_date=start_date, end_date=None if end is None else start_date + timedelta(days=end),
            first_flexjob=first, retention_flexjob=retention,
        ))
    running = [p for p in placements if p.end_date is None]
    for placement, after in zip(running, ends):
        placement_end(user=consultant, placement=placement, end_date=placement.start_date + timedelta(days=after),
                      end_reason=Placement.EndReason.RESIGNED)
    assert_agree(fredericia)

    # An employer changes sector and size; a citizen's unemployment is corrected.
    employer = employers[moved]
    employer.sector, employer.social_economic, employer.size, employer.industry = "public", False, "micro", "Handel"
    employer.save()
    employer_counting_changed.send(sender=None, employer=employer)
    if placements:
        citizen = placements[0].citizen
        citizen.unemployed_since = date(2018, 5, 5) if citizen.unemployed_since is None else None
        citizen.save()
        citizen.placements.refresh_in_target_group()
    assert_agree(fredericia)


def test_the_kept_figures_follow_the_services_one_by_one(fredericia, consultant, target, private_employer):
    citizen = make_citizen(fredericia, unemployed_since=date(2020, 1, 1))
    placement = placement_create(
        user=consultant, citizen=citizen, employer=private_employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("6"), start_date=date(2026, 3, 2),
    )
    kept = figures.kept_progress(target, APRIL_1)
    assert (kept.new_flex_jobs, kept.private, kept.mini_flex_jobs, kept.still_running) == (1, 1, 1, 1)
    placement_end(user=consultant, placement=placement, end_date=date(2026, 3, 20), end_reason=Placement.EndReason.HEALTH)
    kept = figures.kept_progress(target, APRIL_1)
    assert (kept.new_flex_jobs, kept.still_running) == (1, 0)
    assert FlexJobEnd.objects.get().months_lasted == 0


def test_a_changed_mini_flexjob_limit_is_counted_again_before_it_is_read(settings, fredericia, target, hire):
    hire(date(2026, 2, 1), hours_per_week=Decimal("8"))
    assert figures.kept_progress(target, APRIL_1).mini_flex_jobs == 1
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("6")
    assert figures.kept_progress(target, APRIL_1).mini_flex_jobs == 0
    assert set(FlexJobDay.objects.values_list("mini_limit", flat=True)) == {Decimal("6")}


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # 31 January + 1 month is 28 February
        (date(2026, 1, 15), date(2026, 4, 14), 2),
        (date(2026, 1, 15), date(2026, 4, 15), 3),
        (date(2026, 1, 1), date(2026, 1, 1), 0),
        (date(2000, 1, 1), date(2026, 1, 1), figures.MONTHS_LASTED_CAP),
    ],
)
def test_months_lasted_follows_the_month_arithmetic_of_the_rules(start, end, months):
    assert figures.months_lasted(start, end) == months


@pytest.mark.parametrize("as_of", [date(2026, 3, 31), date(2026, 2, 28), date(2024, 2, 29), date(2026, 5, 1)])
@pytest.mark.parametrize("months", [3, 6, 12])
def test_eligible_until_is_the_last_start_that_has_run_long_enough(as_of, months):
    from dateutil.relativedelta import relativedelta

    last = figures.eligible_until(as_of, months)
    assert last + relativedelta(months=months) <= as_of
    assert last + timedelta(days=1) + relativedelta(months=months) > as_of


def test_reading_the_kept_figures_takes_the_same_queries_for_few_and_many(fredericia, target, hire, private_employer):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            build_dashboard(fredericia, APRIL_1, masked=False)
        return len(captured)

    hire(date(2026, 2, 1))
    few = queries()
    for i in range(30):
        employer = make_employer(fredericia, name=f"V{i}", industry=f"Branche {i}")
        hire(date(2026, 1, 1) + timedelta(days=i), employer=employer, end_date=date(2026, 3, 1) + timedelta(days=i))
    assert queries() == few


def test_the_dashboard_shows_the_ten_employers_and_industries_with_the_most(fredericia, target, hire):
    for i in range(12):
        employer = make_employer(fredericia, name=f"Virksomhed {i:02d}", industry=f"Branche {i:02d}")
        for _ in range(1 + (i == 11)):
            hire(date(2026, 2, 1), employer=employer)
    data = build_dashboard(fredericia, APRIL_1, masked=False)
    assert len(data.employers) == len(data.industries) == 10
    assert data.more_employers and data.more_industries
    assert data.employers[0]["employer__name"] == "Virksomhed 11" and data.employers[0]["n"] == 2
    assert data.industries[0] == {"employer__industry": "Branche 11", "n": 2}


def test_the_command_counts_again_and_checks(fredericia, target, hire):
    placement = hire(date(2026, 2, 1))
    out = StringIO()
    call_command("figures_rebuild", "--check", stdout=out)
    assert "agree" in out.getvalue()
    # A write that told no one (as a raw SQL fix would): the check finds it, a rebuild mends it.
    Placement.objects.filter(pk=placement.pk).update(hours_per_week=Decimal("20"))
    with pytest.raises(CommandError, match="differ"):
        call_command("figures_rebuild", "--check", stdout=StringIO())
    call_command("figures_rebuild", "--municipality", "607", stdout=StringIO())
    call_command("figures_rebuild", "--check", stdout=StringIO())
    assert figures.kept_progress(target, APRIL_1) == counting.progress_for(target, APRIL_1)


def test_the_migration_counts_what_is_there(fredericia, target, hire):
    """The migration that made the tables counted the placements already there, as the rules do."""
    import importlib

    from django.apps import apps

    hire(date(2026, 2, 1), end_date=date(2026, 5, 1), hours_per_week=Decimal("4"))
    hire(date(2026, 3, 3), retention_flexjob=True)
    FlexJobDay.objects.all().delete()
    FlexJobEnd.objects.all().delete()
    migration = importlib.import_module("progress.migrations.0004_kept_figures")
    migration.count_all(apps, None)
    assert figures.kept_figures(target, date(2026, 6, 1)) == direct(target, date(2026, 6, 1))


def test_a_placement_of_another_municipality_is_not_counted(fredericia, odense, target, hire):
    hire(date(2026, 2, 1))
    other = make_employer(odense, name="Odense ApS")
    make_placement(make_citizen(odense), other, start_date=date(2026, 2, 1))
    assert figures.kept_progress(target, APRIL_1).new_flex_jobs == 1


def test_the_dashboard_shows_the_ten_latest_courses_with_a_link_to_all(login, manager, fredericia, target):
    from courses.models import Course

    for i in range(12):
        Course.objects.create(municipality=fredericia, title=f"Forløb {i:02d}", start_date=date(2026, 1, 1) + timedelta(days=i))
    data = build_dashboard(fredericia, APRIL_1, masked=False)
    assert [c["title"] for c in data.courses] == [f"Forløb {i:02d}" for i in range(11, 1, -1)]
    assert data.more_courses
    html = login(manager).get("/dashboard/?as_of=2026-04-01").content.decode()
    assert "De 10 seneste forløb." in html and 'href="/courses/"' in html
