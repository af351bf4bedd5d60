"""The counting rules of SPEC.md, in one place: what counts as a new flex job toward a target.

A placement counts when its kind is flex job (mini flex jobs included), its citizen
belongs to the target's municipality, and its start date lies within the target's period
and on or before the as-of date. Ended placements still count; `still_running` says how
many run on the as-of date. Every figure here comes from a fixed number of aggregate
queries, however many placements there are.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from employers.models import Employer
from placements.models import Placement

RETENTION_MONTHS = (3, 6, 12)

# Social-economic enterprises are private companies (SPEC); the database refuses a public
# one (employer_social_economic_is_private), so sector alone decides.
PRIVATE = Q(employer__sector="private")
PUBLIC = Q(employer__sector="public")


@dataclass(frozen=True)
class Progress:
    target: int
    new_flex_jobs: int
    private: int
    public: int
    social_economic: int
    still_running: int
    mini_flex_jobs: int
    first_flex_jobs: int
    retention_flex_jobs: int
    hours_1_5: int
    hours_6_10: int
    hours_over_10: int
    sme: int
    period_start: date
    period_end: date
    as_of: date

    @property
    def percent(self):
        return round(100 * self.new_flex_jobs / self.target) if self.target else 0

    @property
    def ended(self):
        return self.new_flex_jobs - self.still_running

    @property
    def ordinary_flex_jobs(self):
        """Flex jobs above the mini flex job limit."""
        return self.new_flex_jobs - self.mini_flex_jobs

    @property
    def remaining(self):
        return max(self.target - self.new_flex_jobs, 0)

    def share(self, count):
        return round(100 * count / self.new_flex_jobs) if self.new_flex_jobs else 0

    def as_json(self):
        data = asdict(self)
        for key in DATE_FIELDS:
            data[key] = data[key].isoformat()
        data["percent"] = self.percent
        data["ended"] = self.ended
        return data

    @classmethod
    def from_json(cls, data):
        """The figures back from `as_json` (a snapshot's): the keys it adds are worked out again."""
        values = {f.name: data[f.name] for f in fields(cls)}
        for key in DATE_FIELDS:
            values[key] = date.fromisoformat(values[key])
        return cls(**values)


DATE_FIELDS = ("period_start", "period_end", "as_of")


def counted_placements(target, as_of):
    """The placements that count toward `target` as of `as_of`: the one rule."""
    qs = Placement.objects.filter(
        kind=Placement.Kind.FLEXJOB,
        municipality_id=target.municipality_id,
        start_date__gte=target.period_start,
        start_date__lte=min(target.period_end, as_of),
    )
    if target.target_group_only:
        qs = qs.filter(in_target_group=True)
    return qs


def progress_for(target, as_of):
    figures = counted_placements(target, as_of).aggregate(
        new_flex_jobs=Count("pk"),
        private=Count("pk", filter=PRIVATE),
        public=Count("pk", filter=PUBLIC),
        social_economic=Count("pk", filter=Q(employer__social_economic=True)),
        still_running=Count("pk", filter=Placement.running_q(as_of)),
        mini_flex_jobs=Count("pk", filter=Placement.mini_flexjob_q()),
        first_flex_jobs=Count("pk", filter=Q(first_flexjob=True)),
        retention_flex_jobs=Count("pk", filter=Q(retention_flexjob=True)),
        hours_1_5=Count("pk", filter=Q(hours_per_week__lte=5)),
        hours_6_10=Count("pk", filter=Q(hours_per_week__gt=5, hours_per_week__lte=10)),
        hours_over_10=Count("pk", filter=Q(hours_per_week__gt=10)),
        sme=Count("pk", filter=Q(employer__size__in=Employer.SME_SIZES)),
    )
    return Progress(
        target=target.number,
        period_start=target.period_start,
        period_end=target.period_end,
        as_of=as_of,
        **figures,
    )


def periods(target, as_of):
    """[(start date, end date, n)]: the counted placements per pair of dates, so the rows
    fetched are bounded by the days of the period, not by the number of placements. The
    monthly counts and the retention are both worked out from these (one scan for both)."""
    return list(
        counted_placements(target, as_of).values_list("start_date", "end_date").annotate(n=Count("pk")).order_by()
    )


def monthly_counts(target, as_of, counted_periods=None):
    """New flex jobs per month of the period up to the as-of date: [(first of month, n)].

    Summed per month here rather than with a date function in SQL, which SQLite runs as a
    Python callback on every row.
    """
    found = defaultdict(int)
    for start, _end, n in periods(target, as_of) if counted_periods is None else counted_periods:
        found[start.replace(day=1)] += n
    months = []
    month = target.period_start.replace(day=1)
    last = min(target.period_end, as_of).replace(day=1)
    while month <= last:
        months.append((month, found[month]))
        month += relativedelta(months=1)
    return months


def by_employer(target, as_of, limit=None):
    """[{"employer", "employer__name", …, "n", "running"}], most first; with `limit`, only so many."""
    # Grouped by the employer itself: two companies may share a name.
    rows = (
        counted_placements(target, as_of)
        .values(
            "employer",
            "employer__name",
            "employer__sector",
            "employer__social_economic",
            "employer__size",
            "employer__industry",
        )
        .annotate(n=Count("pk"), running=Count("pk", filter=Placement.running_q(as_of)))
        .order_by("-n", "employer__name", "employer")
    )
    return list(rows if limit is None else rows[:limit])


def top_employers(target, as_of, limit):
    """The `limit` employers with the most counted placements, as by_employer's rows, most
    first (by name among equals): counted per employer from the counting index alone, then
    the few employers read. Two queries, whatever the number of employers."""
    counted = list(
        counted_placements(target, as_of)
        .values("employer")
        .annotate(n=Count("pk"), running=Count("pk", filter=Placement.running_q(as_of)))
        .order_by("-n", "employer")[:limit]
    )
    employers = Employer.objects.in_bulk([row["employer"] for row in counted])
    rows = []
    for row in counted:
        employer = employers[row["employer"]]
        rows.append({
            "employer": employer.pk,
            "employer__name": employer.name,
            "employer__sector": employer.sector,
            "employer__social_economic": employer.social_economic,
            "employer__size": employer.size,
            "employer__industry": employer.industry,
            "n": row["n"],
            "running": row["running"],
        })
    return sorted(rows, key=lambda row: (-row["n"], row["employer__name"], row["employer"]))


def by_industry(target, as_of, employer_rows=None):
    """[{"employer__industry", "n"}], most first; summed from by_employer's rows (one scan less)."""
    totals = defaultdict(int)
    for row in by_employer(target, as_of) if employer_rows is None else employer_rows:
        totals[row["employer__industry"]] += row["n"]
    rows = [{"employer__industry": industry, "n": n} for industry, n in totals.items()]
    return sorted(rows, key=lambda row: (-row["n"], row["employer__industry"]))


@dataclass(frozen=True)
class Retention:
    months: int
    eligible: int  # started at least `months` months before the as-of date
    still_in_job: int

    @property
    def percent(self):
        return round(100 * self.still_in_job / self.eligible) if self.eligible else None


def retention(target, as_of, counted_periods=None):
    """How many were still in their job 3, 6 and 12 months after starting.

    The month arithmetic does not translate portably to SQL, so it is done here, once per
    start date, over the counted periods.
    """
    pairs = periods(target, as_of) if counted_periods is None else counted_periods
    result = []
    for months in RETENTION_MONTHS:
        marks = {}
        eligible = still = 0
        for start, end, n in pairs:
            mark = marks.get(start)
            if mark is None:
                mark = marks[start] = start + relativedelta(months=months)
            if mark > as_of:
                continue
            eligible += n
            if end is None or end >= mark:
                still += n
        result.append(Retention(months, eligible, still))
    return result


@dataclass(frozen=True)
class Forecast:
    pace_per_month: float
    reached_on: date | None  # at the pace so far; None when nothing counted yet
    on_track: bool
    needed_per_month: float | None  # from now to the end of the period; None when past it
    months_left: float
    at_period_end: float = 0.0  # the count the pace so far gives at the end of the period


def forecast_for(progress):
    """At the pace so far, when is the target reached, and what pace is needed from now."""
    start, end, as_of = progress.period_start, progress.period_end, min(progress.as_of, progress.period_end)
    days_elapsed = max((as_of - start).days + 1, 1)
    pace_per_day = progress.new_flex_jobs / days_elapsed
    reached_on = None
    if progress.new_flex_jobs >= progress.target:
        reached_on = as_of
    elif pace_per_day > 0:
        reached_on = start + timedelta(days=round(progress.target / pace_per_day) - 1)
    days_left = (end - as_of).days
    months_left = round(days_left / 30.4375, 1)
    needed = None
    if days_left > 0:
        needed = round(progress.remaining / max(days_left / 30.4375, 1 / 30.4375), 1)
    return Forecast(
        pace_per_month=round(pace_per_day * 30.4375, 1),
        reached_on=reached_on,
        on_track=reached_on is not None and reached_on <= end,
        needed_per_month=needed,
        months_left=months_left,
        at_period_end=round(progress.new_flex_jobs + pace_per_day * max(days_left, 0), 1),
    )

