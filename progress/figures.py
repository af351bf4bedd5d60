"""Kept figures: the counting rules' results per day (FlexJobDay, FlexJobEnd), kept up to date
as placements and employers change, so that the dashboard, its exports, the status report and
the snapshots read a few hundred rows however many placements there are.

progress.counting holds the rules and works the figures out from the placements directly;
this module keeps the same figures and reads them. Both must agree to the unit: tests compare
them on random histories (tests/progress/test_kept_figures.py), and `manage.py figures_rebuild`
counts everything again.

Writers of placements send placements.signals.placements_changed (municipality, start dates),
employers send employers.signals.employer_counting_changed; the receivers here count the days
again from the placements, in the writer's transaction, under a lock on the municipality's
row, so two writers never interleave their counts.
"""

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum

from accounts.models import Municipality
from employers.models import Employer
from placements.models import Placement

from .counting import PRIVATE, PUBLIC, RETENTION_MONTHS, Progress, Retention
from .models import FlexJobDay, FlexJobEnd

# Days counted again per query (SQLite's limit on parameters stays far off).
DAYS_PER_QUERY = 500
# months_lasted is kept up to this (the longest retention asked about is 12 months).
MONTHS_LASTED_CAP = 120

COUNTERS = (
    "started", "private", "public", "social_economic", "sme", "mini", "first", "retention",
    "hours_1_5", "hours_6_10", "hours_over_10",
)


def _mini_limit():
    return settings.MINI_FLEXJOB_MAX_HOURS


# --- Keeping ---------------------------------------------------------------------------------

def figures_refresh(*, municipality_id, days):
    """Count the municipality's flex jobs that start on `days` again, from the placements as
    this transaction sees them. Locks the municipality's row first: a second writer waits and
    then counts with the first one's placements."""
    days = sorted(set(days))
    if not days:
        return
    with transaction.atomic():
        list(Municipality.objects.select_for_update().filter(pk=municipality_id).values_list("pk"))
        for i in range(0, len(days), DAYS_PER_QUERY):
            _count_days(municipality_id, days[i:i + DAYS_PER_QUERY])


def figures_rebuild(*, municipality_ids=None):
    """Count every day again (after a bulk load, or a change of the mini flex job limit);
    returns the number of municipalities counted."""
    ids = municipality_ids if municipality_ids is not None else list(Municipality.objects.values_list("pk", flat=True))
    for municipality_id in ids:
        with transaction.atomic():
            list(Municipality.objects.select_for_update().filter(pk=municipality_id).values_list("pk"))
            FlexJobDay.objects.filter(municipality_id=municipality_id).delete()
            FlexJobEnd.objects.filter(municipality_id=municipality_id).delete()
            _count_days(municipality_id, None)
    return len(ids)


def _flexjobs(municipality_id, days):
    qs = Placement.objects.filter(municipality_id=municipality_id, kind=Placement.Kind.FLEXJOB)
    return qs if days is None else qs.filter(start_date__in=days)


def _count_days(municipality_id, days):
    if days is not None:
        FlexJobDay.objects.filter(municipality_id=municipality_id, day__in=days).delete()
        FlexJobEnd.objects.filter(municipality_id=municipality_id, start_date__in=days).delete()
    limit = _mini_limit()
    rows = (
        _flexjobs(municipality_id, days)
        .values("start_date", "in_target_group", "employer__industry")
        .annotate(
            started=Count("pk"),
            private=Count("pk", filter=PRIVATE),
            public=Count("pk", filter=PUBLIC),
            social_economic=Count("pk", filter=Q(employer__social_economic=True)),
            sme=Count("pk", filter=Q(employer__size__in=Employer.SME_SIZES)),
            mini=Count("pk", filter=Q(hours_per_week__lte=limit)),
            first=Count("pk", filter=Q(first_flexjob=True)),
            retention=Count("pk", filter=Q(retention_flexjob=True)),
            hours_1_5=Count("pk", filter=Q(hours_per_week__lte=5)),
            hours_6_10=Count("pk", filter=Q(hours_per_week__gt=5, hours_per_week__lte=10)),
            hours_over_10=Count("pk", filter=Q(hours_per_week__gt=10)),
        )
        .order_by()
    )
    FlexJobDay.objects.bulk_create(
        (
            FlexJobDay(
                municipality_id=municipality_id,
                day=row["start_date"],
                in_target_group=row["in_target_group"],
                industry=row["employer__industry"],
                mini_limit=limit,
                **{key: row[key] for key in COUNTERS},
            )
            for row in rows.iterator(chunk_size=5000)
        ),
        batch_size=2000,
    )
    ends = (
        _flexjobs(municipality_id, days)
        .filter(end_date__isnull=False)
        .values("start_date", "end_date", "in_target_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    FlexJobEnd.objects.bulk_create(
        (
            FlexJobEnd(
                municipality_id=municipality_id,
                start_date=row["start_date"],
                end_date=row["end_date"],
                in_target_group=row["in_target_group"],
                months_lasted=months_lasted(row["start_date"], row["end_date"]),
                n=row["n"],
            )
            for row in ends.iterator(chunk_size=5000)
        ),
        batch_size=2000,
    )


def months_lasted(start, end):
    """The most whole months k (up to the cap) with start + k months <= end."""
    k = (end.year - start.year) * 12 + end.month - start.month
    k = max(min(k, MONTHS_LASTED_CAP), 0)
    while k > 0 and start + relativedelta(months=k) > end:
        k -= 1
    return k


def on_placements_changed(sender, *, municipality_id, days, **kwargs):
    figures_refresh(municipality_id=municipality_id, days=days)


def on_employer_counting_changed(sender, *, employer, **kwargs):
    days = (
        Placement.objects.filter(employer=employer, kind=Placement.Kind.FLEXJOB)
        .values_list("start_date", flat=True)
        .distinct()
        .order_by()
    )
    figures_refresh(municipality_id=employer.municipality_id, days=list(days))


# --- Reading ---------------------------------------------------------------------------------

def _scope(model, target, as_of, day_field):
    last = min(target.period_end, as_of)
    q = Q(municipality_id=target.municipality_id, **{f"{day_field}__gte": target.period_start, f"{day_field}__lte": last})
    if target.target_group_only:
        q &= Q(in_target_group=True)
    return model.objects.filter(q)


def eligible_until(as_of, months):
    """The last start date s with s + `months` months <= as_of: a job started on or before it
    has run long enough to ask whether it lasted (counting.retention's rule)."""
    day = as_of - relativedelta(months=months)
    while day + timedelta(days=1) + relativedelta(months=months) <= as_of:
        day += timedelta(days=1)
    return day


def kept_figures(target, as_of, *, industries=True):
    """(Progress, months, retention, industries) from the kept rows: three small queries (two
    without `industries`). Rows counted with another mini flex job limit than the setting's
    are counted again first.

    `months` is [(first of month, n)] as counting.monthly_counts gives it, `retention` a list
    of counting.Retention, `industries` [{"employer__industry", "n"}] most first."""
    days = _scope(FlexJobDay, target, as_of, "day")
    marks = {m: eligible_until(as_of, m) for m in RETENTION_MONTHS}
    per_day = list(
        days.values("day")
        .annotate(**{key: Sum(key) for key in COUNTERS}, low=Min("mini_limit"), high=Max("mini_limit"))
        .order_by("day")
    )
    limit = _mini_limit()
    if any(row["low"] != limit or row["high"] != limit for row in per_day):
        figures_rebuild(municipality_ids=[target.municipality_id])
        return kept_figures(target, as_of, industries=industries)
    totals = dict.fromkeys(COUNTERS, 0)
    eligible = dict.fromkeys(RETENTION_MONTHS, 0)
    by_month = defaultdict(int)
    for row in per_day:
        for key in COUNTERS:
            totals[key] += row[key]
        for m, mark in marks.items():
            if row["day"] <= mark:
                eligible[m] += row["started"]
        by_month[row["day"].replace(day=1)] += row["started"]

    ends = _scope(FlexJobEnd, target, as_of, "start_date").aggregate(
        ended=Sum("n", filter=Q(end_date__lt=as_of)),
        **{f"left_{m}": Sum("n", filter=Q(start_date__lte=mark, months_lasted__lt=m)) for m, mark in marks.items()},
    )
    progress = Progress(
        target=target.number,
        new_flex_jobs=totals["started"],
        private=totals["private"],
        public=totals["public"],
        social_economic=totals["social_economic"],
        still_running=totals["started"] - (ends["ended"] or 0),
        mini_flex_jobs=totals["mini"],
        first_flex_jobs=totals["first"],
        retention_flex_jobs=totals["retention"],
        hours_1_5=totals["hours_1_5"],
        hours_6_10=totals["hours_6_10"],
        hours_over_10=totals["hours_over_10"],
        sme=totals["sme"],
        period_start=target.period_start,
        period_end=target.period_end,
        as_of=as_of,
    )
    months = []
    month = target.period_start.replace(day=1)
    last = min(target.period_end, as_of).replace(day=1)
    while month <= last:
        months.append((month, by_month[month]))
        month += relativedelta(months=1)
    retention = [Retention(m, eligible[m], eligible[m] - (ends[f"left_{m}"] or 0)) for m in RETENTION_MONTHS]
    if not industries:
        return progress, months, retention, []
    industry_rows = [
        {"employer__industry": row["industry"], "n": row["n"]}
        for row in days.values("industry").annotate(n=Sum("started")).filter(n__gt=0).order_by("-n", "industry")
    ]
    return progress, months, retention, industry_rows


def kept_progress(target, as_of):
    """The headline figures alone (the task force's home, the JSON, the command): two small queries."""
    return kept_figures(target, as_of, industries=False)[0]
