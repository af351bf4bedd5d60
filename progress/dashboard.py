"""Everything the dashboard, the PDF status report and the JSON figures show, built from
the counting rules in counting.py with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from courses.models import Course

from . import counting
from .chart import Chart, monthly_chart
from .models import Target


@dataclass
class Row:
    label: str
    value: object  # an int, or "under 5" for leaders
    share: int | None = None


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
    monthly_rows: list = field(default_factory=list)
    new_flex_jobs: object = None  # the headline count, "under 5" for leaders when small
    total_hidden: bool = False  # the leader's headline is hidden, so is all that reveals it


def build_dashboard(municipality, as_of, *, masked, details=True):
    data = Dashboard(municipality=municipality, as_of=as_of, masked=masked)
    data.target = Target.objects.current_for(municipality, as_of)
    if data.target is None:
        return data
    p = data.progress = counting.progress_for(data.target, as_of)
    if not details:
        return data
    show = counting.shown_to_leader if masked else (lambda n: n)
    data.new_flex_jobs = show(p.new_flex_jobs)
    # The percentage, the remaining count, the pace and the chart would each give a hidden
    # total away, so a leader sees none of them until there are at least 5.
    data.total_hidden = masked and 0 < p.new_flex_jobs < counting.SMALL_COUNT
    data.forecast = counting.forecast_for(p)
    counted_periods = counting.periods(data.target, as_of)
    months = counting.monthly_counts(data.target, as_of, counted_periods)
    # Leaders get no bars: a bar per month would show the small monthly counts the table hides.
    data.chart = monthly_chart(data.target, months, bars=not masked)
    data.monthly_rows = [(m, show(n), show(c), e) for m, n, c, e in data.chart.rows]
    data.rows = [
        Row(_("Private virksomheder"), show(p.private), p.share(p.private)),
        Row(_("heraf socialøkonomiske virksomheder"), show(p.social_economic), p.share(p.social_economic)),
        Row(_("Offentlige arbejdspladser"), show(p.public), p.share(p.public)),
        Row(_("Små og mellemstore virksomheder (SMV)"), show(p.sme), p.share(p.sme)),
        Row(_("Stadig i job"), show(p.still_running), p.share(p.still_running)),
        Row(_("Afsluttet"), show(p.ended), p.share(p.ended)),
        Row(_("Mini-fleksjob"), show(p.mini_flex_jobs), p.share(p.mini_flex_jobs)),
        Row(_("Fleksjob over mini-grænsen"), show(p.ordinary_flex_jobs), p.share(p.ordinary_flex_jobs)),
        Row(_("Første fleksjob"), show(p.first_flex_jobs), p.share(p.first_flex_jobs)),
        Row(_("Fastholdelsesfleksjob"), show(p.retention_flex_jobs), p.share(p.retention_flex_jobs)),
    ]
    data.hours_rows = [
        Row(_("1–5 timer"), show(p.hours_1_5), p.share(p.hours_1_5)),
        Row(_("6–10 timer"), show(p.hours_6_10), p.share(p.hours_6_10)),
        Row(_("Over 10 timer"), show(p.hours_over_10), p.share(p.hours_over_10)),
    ]
    employers = counting.by_employer(data.target, as_of)
    data.employers = [{**row, "n": show(row["n"]), "running": show(row["running"])} for row in employers]
    data.industries = [{**row, "n": show(row["n"])} for row in counting.by_industry(data.target, as_of, employers)]
    data.retention = [
        {"months": r.months, "eligible": show(r.eligible), "still_in_job": show(r.still_in_job), "percent": r.percent}
        for r in counting.retention(data.target, as_of, counted_periods)
    ]
    data.courses = [
        {"title": c.title, "pk": c.pk, "enrolled": show(c.enrolled), "completed": show(c.completed),
         "hired": show(c.hired or 0)}
        for c in Course.objects.filter(municipality=municipality, start_date__lte=as_of).with_funnel(as_of)
    ]
    return data
