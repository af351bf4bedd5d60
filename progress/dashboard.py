"""Everything the dashboard, the PDF status report and the JSON figures show, built from
the counting rules in counting.py with a fixed number of queries.

Managers, consultants and admins see every figure. Leaders see them aggregated: a count
under 5 reads "under 5" (primary suppression), and where the figures add up — private and
public to the total, an employer's row and the others' to the total, eligible and still in
the job — a second figure is withheld ("–") so the hidden one cannot be worked out by
subtraction (complementary suppression, `Disclosure`). Leaders get no monthly counts.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from courses.models import Course

from . import counting
from .chart import Chart, monthly_chart
from .models import Target

WITHHELD = "–"  # a figure withheld so that a figure under 5 cannot be worked out from it


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


class Disclosure:
    """The figures a leader is shown, as cells tied together by sums a reader knows (the
    rows of a table add up to its total), and which of them can be shown.

    A cell is shown exactly, shown as "under 5" (1–4), withheld ("–"), or not displayed at
    all but known to exist (the private companies that are not social-economic: private
    minus social-economic). After the primary suppression, the bounds a reader can work out
    for every unshown cell are propagated through the sums; while any of them is pinned to
    a single value from 1 to 4, one more cell near it is withheld (`_withhold_near`).
    """

    EXACT, UNDER, WITHHELD, IMPLICIT = "exact", "under", "withheld", "implicit"

    def __init__(self):
        self.values = {}
        self.state = {}
        self.floor = {}
        self.protected = set()
        self.sums = []  # (total, parts)

    def cell(self, key, value=None, *, displayed=True, protected=False, floor=0):
        """`value` may be None for a cell that is not displayed (its size is never needed).
        `floor`: the least a reader knows the cell holds even when it is withheld (an
        employer is only named with 5 or more)."""
        self.values[key] = value
        self.floor[key] = floor
        if not displayed:
            self.state[key] = self.IMPLICIT
        elif 0 < value < counting.SMALL_COUNT:
            self.state[key] = self.UNDER
        else:
            self.state[key] = self.EXACT
        if protected:
            self.protected.add(key)
        return key

    def sums_to(self, total, parts):
        self.sums.append((total, tuple(parts)))

    def solve(self):
        """{key: what to display} for every displayed cell."""
        while True:
            bounds = self._bounds()
            exposed = [
                k for k, state in self.state.items()
                if state != self.EXACT and bounds[k][0] == bounds[k][1] and 0 < bounds[k][0] < counting.SMALL_COUNT
            ]
            if not exposed or not self._withhold_near(exposed[0]):
                break
        shown = {}
        for key, state in self.state.items():
            if state == self.EXACT:
                shown[key] = self.values[key]
            elif state == self.UNDER:
                shown[key] = counting.shown_to_leader(self.values[key])
            elif state == self.WITHHELD:
                shown[key] = WITHHELD
        return shown

    def _bounds(self):
        """The smallest and largest value (None: no limit) a reader can work out for each
        cell from what is shown and the sums."""
        low, high = {}, {}
        for key, state in self.state.items():
            if state == self.EXACT:
                low[key] = high[key] = self.values[key]
            elif state == self.UNDER:
                low[key], high[key] = 1, counting.SMALL_COUNT - 1
            else:
                low[key], high[key] = self.floor[key], None
        for _round in range(50):
            changed = False
            for total, parts in self.sums:
                sum_low = sum(low[p] for p in parts)
                unbounded = sum(1 for p in parts if high[p] is None)
                finite_high = sum(high[p] for p in parts if high[p] is not None)
                changed |= _tighten(low, high, total, sum_low, None if unbounded else finite_high)
                for part in parts:
                    # The other parts' bounds, and from them and the total this part's.
                    old_low, old_high = low[part], high[part]
                    others_low = sum_low - old_low
                    others_high = None if unbounded - (old_high is None) else finite_high - (old_high or 0)
                    part_low = low[total] - others_high if others_high is not None else 0
                    part_high = high[total] - others_low if high[total] is not None else None
                    if _tighten(low, high, part, part_low, part_high):
                        changed = True
                        sum_low += low[part] - old_low
                        if old_high is None and high[part] is not None:
                            unbounded -= 1
                        finite_high += (high[part] or 0) - (old_high or 0)
            if not changed:
                break
        return {key: (low[key], high[key]) for key in self.state}

    def _withhold_near(self, key):
        """Withhold one more cell, as near to `key` through the sums as possible: the nearest
        exact figure above 0 (the smallest of those), else an exact 0, else widen an "under 5"
        to "–". False when nothing is left to withhold."""
        groups = [(total, *parts) for total, parts in self.sums]
        distance, ring, step = {key: 0}, {key}, 0
        while ring:
            step += 1
            nearer = set()
            for members in groups:
                if not ring.isdisjoint(members):
                    nearer.update(c for c in members if c not in distance)
            distance.update((c, step) for c in nearer)
            ring = nearer
        exact = [c for c in distance if self.state[c] == self.EXACT and c not in self.protected]
        if exact:
            choice = min(exact, key=lambda c: (self.values[c] == 0, distance[c], self.values[c]))
        else:
            under = [c for c in distance if self.state[c] == self.UNDER]
            if not under:
                return False
            choice = min(under, key=lambda c: (distance[c], -self.values[c]))
        self.state[choice] = self.WITHHELD
        return True


def _tighten(low, high, key, new_low, new_high):
    changed = False
    if new_low is not None and new_low > low[key]:
        low[key], changed = new_low, True
    if new_high is not None and (high[key] is None or new_high < high[key]):
        high[key], changed = new_high, True
    return changed


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


def build_dashboard(municipality, as_of, *, masked, details=True):
    data = Dashboard(municipality=municipality, as_of=as_of, masked=masked)
    data.target = Target.objects.current_for(municipality, as_of)
    if data.target is None:
        return data
    p = data.progress = counting.progress_for(data.target, as_of)
    if not details:
        return data
    data.new_flex_jobs = p.new_flex_jobs
    # The percentage, the remaining count, the pace and the chart would each give a hidden
    # total away, so a leader sees none of them until there are at least 5.
    data.total_hidden = masked and 0 < p.new_flex_jobs < counting.SMALL_COUNT
    data.forecast = counting.forecast_for(p)
    counted_periods = counting.periods(data.target, as_of)
    months = counting.monthly_counts(data.target, as_of, counted_periods)
    # Leaders get no monthly counts: no bars, no markers, no table — only the total so far.
    data.chart = monthly_chart(data.target, months, monthly=not masked)
    data.monthly_rows = data.chart.rows
    data.rows = [Row(label, getattr(p, key), p.share(getattr(p, key)), key) for key, label in ROW_LABELS]
    data.hours_rows = [
        Row(label, getattr(p, key), p.share(getattr(p, key)), key) for (key, _low, _high), label in zip(HOURS_BANDS, HOURS_LABELS)
    ]
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
        _aggregate_for_leaders(data)
    return data


def _aggregate_for_leaders(data):
    """Replace the figures by what a leader may see: employers and industries under 5 as
    one row of others, no per-employer retention, no percentages of small groups, and every
    figure through the primary and complementary suppression of `Disclosure`."""
    p = data.progress
    d = Disclosure()
    total = d.cell("new_flex_jobs", p.new_flex_jobs, protected=True)
    for row in (*data.rows, *data.hours_rows):
        d.cell(row.key, row.value)
    d.sums_to(total, ["private", "public"])
    d.sums_to(total, ["still_running", "ended"])
    d.sums_to(total, ["mini_flex_jobs", "ordinary_flex_jobs"])
    d.sums_to(total, [key for key, _low, _high in HOURS_BANDS])
    # A figure shown as one row has its complement in the total (or in the private row).
    d.sums_to("private", ["social_economic", d.cell("private_not_social", displayed=False)])
    for key in ("sme", "first_flex_jobs", "retention_flex_jobs"):
        d.sums_to(total, [key, d.cell(f"not_{key}", displayed=False)])
    _tie_mini_to_hours(d)

    named = [row for row in data.employers if row["n"] >= counting.SMALL_COUNT]
    others = sum(row["n"] for row in data.employers if row["n"] < counting.SMALL_COUNT)
    employer_keys = [d.cell(("employer", i), row["n"], floor=counting.SMALL_COUNT) for i, row in enumerate(named)]
    d.cell("employers_other", others)
    d.sums_to(total, [*employer_keys, "employers_other"])
    # The table names each employer's sector (and social-economic ones), so the others'
    # share of each is known too.
    private_keys = [k for k, row in zip(employer_keys, named) if row["employer__sector"] == "private"]
    public_keys = [k for k, row in zip(employer_keys, named) if row["employer__sector"] != "private"]
    social_keys = [k for k, row in zip(employer_keys, named) if row["employer__social_economic"]]
    plain_private_keys = [k for k in private_keys if k not in social_keys]
    for key in ("other_private", "other_public", "other_social", "other_plain_private"):
        d.cell(key, displayed=False)
    d.sums_to("employers_other", ["other_private", "other_public"])
    d.sums_to("other_private", ["other_social", "other_plain_private"])
    d.sums_to("private", [*private_keys, "other_private"])
    d.sums_to("public", [*public_keys, "other_public"])
    d.sums_to("social_economic", [*social_keys, "other_social"])
    d.sums_to("private_not_social", [*plain_private_keys, "other_plain_private"])

    named_industries = [row for row in data.industries if row["n"] >= counting.SMALL_COUNT]
    industry_keys = [d.cell(("industry", i), row["n"], floor=counting.SMALL_COUNT) for i, row in enumerate(named_industries)]
    d.cell("industries_other", sum(row["n"] for row in data.industries if row["n"] < counting.SMALL_COUNT))
    d.sums_to(total, [*industry_keys, "industries_other"])

    # Retention: eligible and still in the job are a pair; each period's eligible are among
    # the shorter period's, and those still in the job too.
    previous = None
    for r in data.retention:
        m = r["months"]
        d.cell(("eligible", m), r["eligible"])
        d.cell(("still", m), r["still_in_job"])
        d.sums_to(("eligible", m), [("still", m), d.cell(("left", m), displayed=False)])
        if previous is None:
            d.sums_to(total, [("eligible", m), d.cell(("not_yet", m), displayed=False)])
        else:
            d.sums_to(("eligible", previous), [("eligible", m), d.cell(("between", m), displayed=False)])
            d.sums_to(("still", previous), [("still", m), d.cell(("still_between", m), displayed=False)])
        previous = m

    for c in data.courses:
        for key in ("enrolled", "completed", "hired"):
            d.cell((key, c["pk"]), c[key])
        d.sums_to(("enrolled", c["pk"]), [("completed", c["pk"]), d.cell(("not_completed", c["pk"]), displayed=False)])
        d.sums_to(("enrolled", c["pk"]), [("hired", c["pk"]), d.cell(("not_hired", c["pk"]), displayed=False)])

    shown = d.solve()
    data.new_flex_jobs = shown[total]
    for row in (*data.rows, *data.hours_rows):
        row.value, row.share = shown[row.key], None
    data.employers = [
        {**row, "n": shown[key], "running": None} for key, row in zip(employer_keys, named)
    ]
    if others or shown["employers_other"] == WITHHELD:
        data.employers.append({"employer": None, "employer__name": _("Andre virksomheder"), "employer__sector": None,
                               "employer__social_economic": False, "n": shown["employers_other"], "running": None,
                               "other": True})
    data.industries = [{**row, "n": shown[key]} for key, row in zip(industry_keys, named_industries)]
    if shown["industries_other"] != 0:
        data.industries.append({"employer__industry": _("Andre brancher"), "n": shown["industries_other"], "other": True})
    data.retention = [
        {"months": r["months"], "eligible": shown[("eligible", r["months"])],
         "still_in_job": shown[("still", r["months"])], "percent": None}
        for r in data.retention
    ]
    data.courses = [
        {**c, **{key: shown[(key, c["pk"])] for key in ("enrolled", "completed", "hired")}} for c in data.courses
    ]


def _tie_mini_to_hours(d):
    """Mini flex jobs are those up to the mini limit, so they are the hours bands below it
    (and a share of the band the limit falls in): a reader can add the bands up."""
    limit = Decimal(settings.MINI_FLEXJOB_MAX_HOURS)
    mini, ordinary = [], []
    for key, low, high in HOURS_BANDS:
        if high is not None and high <= limit:
            mini.append(key)
        elif low >= limit:
            ordinary.append(key)
        else:
            below, above = d.cell(f"{key}_mini", displayed=False), d.cell(f"{key}_ordinary", displayed=False)
            d.sums_to(key, [below, above])
            mini.append(below)
            ordinary.append(above)
    d.sums_to("mini_flex_jobs", mini)
    d.sums_to("ordinary_flex_jobs", ordinary)
