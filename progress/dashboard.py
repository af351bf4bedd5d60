"""Everything the dashboard, the PDF status report and the JSON figures show, built from
the counting rules in counting.py with a fixed number of queries.

Managers, consultants and admins see every figure. Leaders see them aggregated (SPEC,
"Counting rules"), by the small-number rule of core.small_numbers: figures come in *units*
of cells that add up to each other or to the headline total (sectors; running or ended;
mini, hours bands; kinds; retention; each course's funnel), each shown exactly or hidden
whole, and the headline reads "under 5" from 1 to 4. Leaders get no monthly counts and no
tables per employer or industry (a leader knows their own company, its sector and its
industry).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from core.small_numbers import shown_total, shown_unit, total_hidden
from courses.models import Course

from . import counting, figures
from .chart import Chart, monthly_chart
from .models import Snapshot, Target


@dataclass
class Row:
    label: str
    value: object  # an int, "under 5" or "–" for leaders
    share: int | None = None
    key: str = ""


@dataclass
class Dashboard:
    municipality: Municipality
    as_of: date
    masked: bool
    target: Target | None = None
    progress: counting.Progress | None = None
    forecast: counting.Forecast | None = None
    chart: Chart | None = None
    rows: list = field(default_factory=list)
    hours_rows: list = field(default_factory=list)
    employers: list = field(default_factory=list)  # the TOP_ROWS with the most; all in the XLSX
    industries: list = field(default_factory=list)  # likewise
    more_employers: bool = False
    more_industries: bool = False
    more_courses: bool = False
    retention: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    monthly_rows: list = field(default_factory=list)  # none for leaders
    new_flex_jobs: object = None  # the headline count, "under 5" for leaders when small
    total_hidden: bool = False  # the leader's headline is hidden, so is all that reveals it
    snapshot: object = None  # the Snapshot the figures were drawn from, if any (the status report)
    development: list = field(default_factory=list)  # DevelopmentRow, oldest first; none for leaders

    @property
    def as_of_stored(self):
        """Whether the figures of the as-of day are stored (the status report shows those)."""
        return bool(self.development) and self.development[-1].day == self.as_of


# The tables per employer and per industry show this many rows (the most first); the XLSX has all.
TOP_ROWS = 10

HOURS_BANDS = (("hours_1_5", 0, 5), ("hours_6_10", 5, 10), ("hours_over_10", 10, None))
ROW_LABELS = (
    ("private", _("Private virksomheder")),
    ("social_economic", _("heraf socialøkonomiske virksomheder")),
    ("public", _("Offentlige arbejdspladser")),
    ("sme", _("Små og mellemstore virksomheder (SMV)")),
    ("still_running", _("Stadig i job")),
    ("ended", _("Afsluttet")),
    ("mini_flex_jobs", _("Mini-fleksjob")),
    ("ordinary_flex_jobs", _("Fleksjob over mini-grænsen")),
    ("first_flex_jobs", _("Første fleksjob")),
    ("retention_flex_jobs", _("Fastholdelsesfleksjob")),
)
HOURS_LABELS = (_("1–5 timer"), _("6–10 timer"), _("Over 10 timer"))


def figure_rows(p):
    """The rows of the two tables of figures, from counting.Progress."""
    rows = [Row(label, getattr(p, key), p.share(getattr(p, key)), key) for key, label in ROW_LABELS]
    hours_rows = [
        Row(label, getattr(p, key), p.share(getattr(p, key)), key) for (key, _low, _high), label in zip(HOURS_BANDS, HOURS_LABELS)
    ]
    return rows, hours_rows


def build_dashboard(municipality, as_of, *, masked, details=True, stored=False):
    """The figures of the municipality's current target as of `as_of`. With `stored` (the
    status report), a day with a snapshot is drawn from it as it was stored; every other
    day, and the page and the JSON always, are read from the kept figures (progress.figures),
    which follow the placements as they are."""
    data = Dashboard(municipality=municipality, as_of=as_of, masked=masked)
    target = Target.objects.current_for(municipality, as_of)
    if target is None:
        return data
    snapshot = Snapshot.objects.filter(target=target, day=as_of).first() if stored and details else None
    if snapshot is not None and not STORED_TABLES <= snapshot.tables.keys():
        snapshot = None  # stored without the report's tables: worked out as any other day
    if snapshot is not None:
        data.snapshot = snapshot
        data.target = target_as_stored(target, snapshot)
        p = data.progress = counting.Progress.from_json(snapshot.figures)
        tables = tables_from_json(snapshot.tables)
    else:
        data.target = target
        kept = figures.kept_figures(target, as_of, industries=details)
        p = data.progress = kept[0]
        if not details:
            return data
        tables = figure_tables(target, as_of, kept)
    data.new_flex_jobs = p.new_flex_jobs
    data.forecast = counting.forecast_for(p)
    # Leaders get no monthly counts: no bars, no markers, no table — only the total so far.
    data.chart = monthly_chart(data.target, tables["months"], monthly=not masked, as_of=as_of, forecast=data.forecast)
    data.monthly_rows = data.chart.rows
    data.rows, data.hours_rows = figure_rows(p)
    data.employers, data.more_employers = tables["employers"][:TOP_ROWS], len(tables["employers"]) > TOP_ROWS
    data.industries, data.more_industries = tables["industries"][:TOP_ROWS], len(tables["industries"]) > TOP_ROWS
    data.courses, data.more_courses = tables["courses"][:TOP_ROWS], len(tables["courses"]) > TOP_ROWS
    data.retention = tables["retention"]
    if masked:
        # Figures at month ends would give the months' counts away.
        aggregate_for_leaders(data)
    else:
        data.development = development(target, as_of)
    return data


# What a snapshot's tables hold besides the target's title and rule (figure_tables' keys).
STORED_TABLES = {"months", "retention", "employers", "industries", "courses"}


def figure_tables(target, as_of, kept=None):
    """What the report shows besides the headline figures, from the kept figures (`kept`:
    figures.kept_figures' result, when read already): the months, retention, industries, the
    employers with the most (one row more than shown, to tell there are more), and courses.
    A snapshot stores the same."""
    _progress, months, retention, industries = kept or figures.kept_figures(target, as_of)
    employers = counting.top_employers(target, as_of, TOP_ROWS + 1)
    # The latest courses (one more than shown, to tell there are more): their funnels alone
    # are worked out, however many courses the municipality has run.
    latest = (
        Course.objects.filter(municipality_id=target.municipality_id, start_date__lte=as_of)
        .order_by("-start_date", "title", "pk")
        .values("pk")[: TOP_ROWS + 1]
    )
    courses = Course.objects.filter(pk__in=latest).with_funnel(as_of).order_by("-start_date", "title", "pk")
    return {
        "months": months,
        "retention": [
            {"months": r.months, "eligible": r.eligible, "still_in_job": r.still_in_job, "percent": r.percent}
            for r in retention
        ],
        "employers": employers,
        "industries": industries[:TOP_ROWS + 1],
        "courses": [
            {"title": c.title, "pk": c.pk, "enrolled": c.enrolled, "completed": c.completed, "hired": c.hired or 0}
            for c in courses
        ],
    }


def snapshot_content(target, as_of):
    """(figures, tables) for a snapshot of `target` on `as_of`: the figures as `manage.py
    progress --json` prints them, the tables as figure_tables gives them, with the target's
    title and rule as they are that day."""
    kept = figures.kept_figures(target, as_of)
    stored = {**kept[0].as_json(), "municipality": target.municipality.code}
    tables = {
        "title": target.title,
        "target_group_only": target.target_group_only,
        **figure_tables(target, as_of, kept),
    }
    return stored, tables


def tables_from_json(tables):
    """A snapshot's tables as figure_tables gives them (the months' dates are text in JSON)."""
    return {**tables, "months": [(date.fromisoformat(month), n) for month, n in tables["months"]]}


def target_as_stored(target, snapshot):
    """The target as the snapshot saw it (title, number, period and rule may be edited since),
    for showing only: never saved."""
    p = snapshot.figures
    return Target(
        pk=target.pk,
        municipality_id=target.municipality_id,
        title=snapshot.tables.get("title", target.title),
        number=p["target"],
        period_start=date.fromisoformat(p["period_start"]),
        period_end=date.fromisoformat(p["period_end"]),
        target_group_only=snapshot.tables.get("target_group_only", target.target_group_only),
    )


# The development table: the stored figures at up to this many month ends, and the latest.
DEVELOPMENT_MONTHS = 13


@dataclass
class DevelopmentRow:
    day: date
    new_flex_jobs: int
    percent: int
    private: int
    still_running: int
    month_end: bool


def development(target, as_of):
    """How the figures developed: the snapshots of the last DEVELOPMENT_MONTHS month ends up
    to `as_of` and the latest one, oldest first. One query, at most 14 rows, however many
    snapshots there are."""
    first_of_month = as_of.replace(day=1)
    month_ends = []
    for back in range(DEVELOPMENT_MONTHS + 1):  # this month's end counts once the day has come
        try:
            end = first_of_month - relativedelta(months=back - 1) - timedelta(days=1)
        except (OverflowError, ValueError):  # beyond the years Python holds: nothing stored there
            continue
        if end <= as_of:
            month_ends.append(end)
    month_ends = month_ends[:DEVELOPMENT_MONTHS]
    stored = Snapshot.objects.filter(target=target, day__lte=as_of)
    latest = stored.order_by("-day").values("day")[:1]
    rows = stored.filter(Q(day__in=month_ends) | Q(day=Subquery(latest))).order_by("day").values_list("day", "figures")
    return [
        DevelopmentRow(
            day=day,
            new_flex_jobs=figures["new_flex_jobs"],
            percent=figures["percent"],
            private=figures["private"],
            still_running=figures["still_running"],
            month_end=day in month_ends,
        )
        for day, figures in rows
    ]


# The leader's units: cells that add up to each other or to the headline total.
UNITS = (
    ("private", "public", "social_economic", "sme"),
    ("still_running", "ended"),
    ("mini_flex_jobs", "ordinary_flex_jobs", "hours_1_5", "hours_6_10", "hours_over_10"),
    ("first_flex_jobs", "retention_flex_jobs"),
)


def aggregate_for_leaders(data):
    """Replace the figures by what a leader may see (see the module's docstring)."""
    total = data.progress.new_flex_jobs
    # The percentage, the remaining count, the pace and the chart would each give a hidden
    # total away, so a leader sees none of them until there are at least 5.
    data.total_hidden = total_hidden(total)
    data.new_flex_jobs = shown_total(total)
    data.employers, data.industries, data.monthly_rows = [], [], []
    if data.total_hidden:
        data.chart = None
    figures = {row.key: row.value for row in (*data.rows, *data.hours_rows)}
    shown = {}
    for keys in UNITS:
        cells = {key: figures[key] for key in keys}
        derived = [total - value for value in cells.values()]
        if "social_economic" in cells:  # social-economic enterprises are among the private
            derived.append(cells["private"] - cells["social_economic"])
        if "hours_1_5" in cells:
            derived += _split_hours_bands(cells)
        shown.update(shown_unit(cells, derived))
    for row in (*data.rows, *data.hours_rows):
        row.value, row.share = shown[row.key], None

    # Retention: every period's eligible and still in the job, one unit. They nest (still in
    # the job after 6 months are among those after 3, and among the eligible), so every
    # difference between two of them is checked too.
    cells = {}
    for r in data.retention:
        cells[("eligible", r["months"])] = r["eligible"]
        cells[("still", r["months"])] = r["still_in_job"]
    values = list(cells.values())
    derived = [total - value for value in values] + [a - b for i, a in enumerate(values) for b in values[i + 1:]]
    shown = shown_unit(cells, derived)
    data.retention = [
        {"months": r["months"], "eligible": shown[("eligible", r["months"])],
         "still_in_job": shown[("still", r["months"])], "percent": None}
        for r in data.retention
    ]

    # A course's funnel: enrolled, completed, hired and the differences between them.
    courses = []
    for c in data.courses:
        cells = {key: c[key] for key in ("enrolled", "completed", "hired")}
        derived = [c["enrolled"] - c["completed"], c["enrolled"] - c["hired"], c["completed"] - c["hired"]]
        courses.append({**c, **shown_unit(cells, derived)})
    data.courses = courses


def _split_hours_bands(cells):
    """Mini flex jobs are those up to the mini limit, so a reader can split the hours band
    the limit falls in: its part below the limit (mini minus the bands below) and above."""
    limit = Decimal(settings.MINI_FLEXJOB_MAX_HOURS)
    below = sum(cells[key] for key, _low, high in HOURS_BANDS if high is not None and high <= limit)
    derived = []
    for key, low, high in HOURS_BANDS:
        if low < limit and (high is None or high > limit):
            part_below = cells["mini_flex_jobs"] - below
            derived += [part_below, cells[key] - part_below]
    return derived
