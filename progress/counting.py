"""The counting rules of SPEC.md, in one place: what counts as a new flex job toward a target.

A placement counts when its kind is flex job (mini flex jobs included), its citizen
belongs to the target's municipality, and its start date lies within the target's period
and on or before the as-of date. Ended placements still count; `still_running` says how
many run on the as-of date. Every figure comes from one aggregate query.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q

from placements.models import Placement

# Counts below this, shown to leaders, could point to a person: shown as "under 5".
SMALL_COUNT = 5


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

    def as_json(self):
        data = asdict(self)
        for key in ("period_start", "period_end", "as_of"):
            data[key] = data[key].isoformat()
        data["percent"] = self.percent
        return data


def counted_placements(target, as_of):
    """The placements that count toward `target` as of `as_of`."""
    qs = Placement.objects.filter(
        kind=Placement.Kind.FLEXJOB,
        citizen__municipality_id=target.municipality_id,
        start_date__gte=target.period_start,
        start_date__lte=min(target.period_end, as_of),
    )
    if target.target_group_only:
        qs = qs.filter(in_target_group=True)
    return qs


def progress_for(target, as_of):
    mini = settings.MINI_FLEXJOB_MAX_HOURS
    running = Q(end_date__isnull=True) | Q(end_date__gte=as_of)
    figures = counted_placements(target, as_of).aggregate(
        new_flex_jobs=Count("pk"),
        private=Count("pk", filter=Q(employer__sector="private")),
        public=Count("pk", filter=Q(employer__sector="public")),
        social_economic=Count("pk", filter=Q(employer__social_economic=True)),
        still_running=Count("pk", filter=running),
        mini_flex_jobs=Count("pk", filter=Q(hours_per_week__lte=mini)),
        first_flex_jobs=Count("pk", filter=Q(first_flexjob=True)),
        retention_flex_jobs=Count("pk", filter=Q(retention_flexjob=True)),
        hours_1_5=Count("pk", filter=Q(hours_per_week__lte=5)),
        hours_6_10=Count("pk", filter=Q(hours_per_week__gt=5, hours_per_week__lte=10)),
        hours_over_10=Count("pk", filter=Q(hours_per_week__gt=10)),
        sme=Count("pk", filter=Q(employer__size__in=["micro", "small", "medium"])),
    )
    return Progress(
        target=target.number,
        period_start=target.period_start,
        period_end=target.period_end,
        as_of=as_of,
        **figures,
    )


def shown_to_leader(count):
    """Aggregated figures for leaders hide small counts that could point to a person."""
    return count if count >= SMALL_COUNT or count == 0 else "under 5"
