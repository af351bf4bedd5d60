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
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from core.small_numbers import shown_total, shown_unit, total_hidden
from courses.models import Course

from . import counting
from .chart import Chart, monthly_chart
from .models import Target

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
    employers: list = field(default_factory=list)
    industries: list = field(default_factory=list)
    retention: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    monthly_rows: list = field(default_factory=list)  # none for leaders
    new_flex_jobs: object = None  # the headline count, "under 5" for leaders when small
    total_hidden: bool = False  # the leader's headline is hidden, so is all that reveals it


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


def build_dashboard(municipality, as_of, *, masked, details=True):
    data = Dashboard(municipality=municipality, as_of=as_of, masked=masked)
    data.target = Target.objects.current_for(municipality, as_of)
    if data.target is None:
        return data
    p = data.progress = counting.progress_for(data.target, as_of)
    if not details:
        return data
    data.new_flex_jobs = p.new_flex_jobs
    data.forecast = counting.forecast_for(p)
    counted_periods = counting.periods(data.target, as_of)
    months = counting.monthly_counts(data.target, as_of, counted_periods)
    # Leaders get no monthly counts: no bars, no markers, no table — only the total so far.
    data.chart = monthly_chart(data.target, months, monthly=not masked)
    data.monthly_rows = data.chart.rows
    data.rows, data.hours_rows = figure_rows(p)
    data.employers = counting.by_employer(data.target, as_of)
    data.industries = counting.by_industry(data.target, as_of, data.employers)
    data.retention = [
        {"months": r.months, "eligible": r.eligible, "still_in_job": r.still_in_job, "percent": r.percent}
        for r in counting.retention(data.target, as_of, counted_periods)
    ]
    data.courses = [
        {"title": c.title, "pk": c.pk, "enrolled": c.enrolled, "completed": c.completed, "hired": c.hired or 0}
        for c in Course.objects.filter(municipality=municipality, start_date__lte=as_of).with_funnel(as_of).order_by("-start_date", "title", "pk")
    ]
    if masked:
        aggregate_for_leaders(data)
    return data


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
