"""What a leader is shown cannot be used to work out a count under 5 (SPEC, "Counting rules").

Two kinds of test. A brute force over every mix of placements up to 12 (hours bands,
sectors, running or ended, kinds, retention, course funnels): each unit of figures is
either shown exactly with every cell and every figure a reader works out from it 0 or at
least 5, or hidden ("–") in every cell. And, for concrete data sets, the test plays the
reader: it takes every figure a leader is shown ("under 5" means 1–4, "–" means anything),
writes down every sum a reader knows and searches all whole-number solutions. Every hidden
count from 1 to 4 — shown or only implied, like "the total minus the SMEs" — must be able
to take at least two values.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course, Enrolment
from employers.models import Employer
from progress.counting import Progress
from progress.dashboard import Dashboard, aggregate_for_leaders, build_dashboard, figure_rows
from tests.factories import make_citizen, make_employer

AS_OF = date(2026, 10, 1)
SMALL = 5


# --- The reader ---------------------------------------------------------------------------

class Reader:
    """Cells (what the leader sees, beside the truth from the manager's dashboard) and sums."""

    def __init__(self):
        self.shown, self.truth, self.sums, self.floor = {}, {}, [], {}

    def cell(self, key, shown, truth, floor=0):
        """`floor`: what a reader knows the cell holds at least, even withheld."""
        self.shown[key], self.truth[key], self.floor[key] = shown, truth, floor
        return key

    def implied(self, key, truth):
        return self.cell(key, None, truth)

    def sum(self, total, parts):
        self.sums.append((total, list(parts)))

    def bounds(self, ceiling):
        low, high = {}, {}
        for key, shown in self.shown.items():
            if shown is None or shown == "–":
                low[key], high[key] = self.floor[key], ceiling
            elif str(shown) == "under 5":
                low[key], high[key] = 1, SMALL - 1
            else:
                assert isinstance(shown, int), (key, shown)
                low[key] = high[key] = shown
        return low, high


def _propagate(sums, low, high):
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            sum_low, sum_high = sum(low[p] for p in parts), sum(high[p] for p in parts)
            if sum_low > high[total] or sum_high < low[total]:
                return False
            if sum_low > low[total] or sum_high < high[total]:
                low[total], high[total] = max(low[total], sum_low), min(high[total], sum_high)
                changed = True
            for p in parts:
                new_low = max(low[p], low[total] - (sum_high - high[p]))
                new_high = min(high[p], high[total] - (sum_low - low[p]))
                if new_low > new_high:
                    return False
                if (new_low, new_high) != (low[p], high[p]):
                    sum_low += new_low - low[p]
                    sum_high += new_high - high[p]
                    low[p], high[p] = new_low, new_high
                    changed = True
    return True


def _solvable(sums, low, high):
    """Is there a whole-number solution within the bounds? (Propagate, then branch.)"""
    low, high = dict(low), dict(high)
    if not _propagate(sums, low, high):
        return False
    free = [k for k in low if low[k] < high[k]]
    if not free:
        return True
    key = min(free, key=lambda k: high[k] - low[k])
    for value in range(low[key], high[key] + 1):
        if _solvable(sums, {**low, key: value}, {**high, key: value}):
            return True
    return False


def derivable_small_counts(reader):
    """The hidden cells with a true count from 1 to 4 that a reader can pin down."""
    ceiling = max([v for v in reader.truth.values() if v is not None] + [1])
    low, high = reader.bounds(ceiling)
    # The sums are facts: the truth must be one of the solutions.
    truth_low = {k: reader.truth[k] for k in low}
    assert _solvable(reader.sums, truth_low, truth_low), "the reader's sums do not hold for the real data"
    assert _solvable(reader.sums, low, high)
    pinned = []
    for key, shown in reader.shown.items():
        true = reader.truth[key]
        if isinstance(shown, int) or not 0 < true < SMALL:
            continue
        below = true > low[key] and _solvable(reader.sums, low, {**high, key: true - 1})
        above = true < high[key] and _solvable(reader.sums, {**low, key: true + 1}, high)
        if not (below or above):
            pinned.append((key, true))
    return pinned


def read(fredericia, as_of=AS_OF):
    """The leader's and the manager's dashboard, as cells and the sums a reader knows."""
    leader = build_dashboard(fredericia, as_of, masked=True)
    full = build_dashboard(fredericia, as_of, masked=False)
    r = Reader()
    p = full.progress
    total = r.cell("total", leader.new_flex_jobs, p.new_flex_jobs)
    rows = {row.key: row.value for row in (*leader.rows, *leader.hours_rows)}
    for key, value in rows.items():
        r.cell(key, value, getattr(p, key))
    r.sum(total, ["private", "public"])
    r.sum(total, ["still_running", "ended"])
    r.sum(total, ["mini_flex_jobs", "ordinary_flex_jobs"])
    r.sum(total, ["hours_1_5", "hours_6_10", "hours_over_10"])
    r.sum("mini_flex_jobs", ["hours_1_5", "hours_6_10"])  # the mini limit is 10 hours
    r.sum("private", ["social_economic", r.implied("private_not_social", p.private - p.social_economic)])
    r.sum(total, ["sme", r.implied("not_sme", p.new_flex_jobs - p.sme)])
    r.sum(total, ["first_flex_jobs", r.implied("not_first", p.new_flex_jobs - p.first_flex_jobs)])
    r.sum(total, ["retention_flex_jobs", r.implied("not_retention", p.new_flex_jobs - p.retention_flex_jobs)])

    # No table per employer or per industry, no monthly counts.
    assert leader.employers == [] and leader.industries == [] and leader.monthly_rows == []

    # Retention: pairs, and each period's people among the shorter period's.
    previous = None
    for shown, true in zip(leader.retention, full.retention):
        m = true["months"]
        r.cell(("eligible", m), shown["eligible"], true["eligible"])
        r.cell(("still", m), shown["still_in_job"], true["still_in_job"])
        r.sum(("eligible", m), [("still", m), r.implied(("left", m), true["eligible"] - true["still_in_job"])])
        if previous is None:
            r.sum(total, [("eligible", m), r.implied(("recent", m), p.new_flex_jobs - true["eligible"])])
        else:
            pm, pe, ps = previous
            r.sum(("eligible", pm), [("eligible", m), r.implied(("window", m), pe - true["eligible"])])
            r.sum(("still", pm), [("still", m), r.implied(("still_window", m), ps - true["still_in_job"])])
        previous = (m, true["eligible"], true["still_in_job"])

    for shown, true in zip(leader.courses, full.courses):
        for key in ("enrolled", "completed", "hired"):
            r.cell((key, true["pk"]), shown[key], true[key])
        r.sum(("enrolled", true["pk"]), [("completed", true["pk"]),
                                         r.implied(("not_completed", true["pk"]), true["enrolled"] - true["completed"])])
        r.sum(("enrolled", true["pk"]), [("hired", true["pk"]),
                                         r.implied(("not_hired", true["pk"]), true["enrolled"] - true["hired"])])
    return leader, r


# --- Data sets ----------------------------------------------------------------------------

@pytest.fixture
def employers(fredericia):
    return {
        "byg": make_employer(fredericia, name="Lillebælt Byg ApS", size="small", industry="Byggeri"),
        "cafe": make_employer(fredericia, name="Kanalbyens Café", size="micro", industry="Restauration"),
        "ok": make_employer(fredericia, name="OK-Fonden", social_economic=True, size="medium", industry="Pleje"),
        "stor": make_employer(fredericia, name="Dansk Stål A/S", size="large", industry="Industri"),
        "kommune": make_employer(fredericia, name="Fredericia Kommune, Ældreplejen", sector=Employer.Sector.PUBLIC,
                                 size="large", industry="Pleje"),
        "skole": make_employer(fredericia, name="Fredericia Skoler", sector=Employer.Sector.PUBLIC, size="large",
                               industry="Undervisning"),
    }


def hires(hire, employers, spec):
    """spec: [(employer key, start date, hours, end date or None, first flex job)]."""
    for key, start, hours, end, first in spec:
        hire(start, employer=employers[key], hours_per_week=Decimal(hours), end_date=end, first_flexjob=first)


def assert_nothing_derivable(fredericia):
    leader, reader = read(fredericia)
    assert derivable_small_counts(reader) == []
    return leader


def test_it_hides_a_pair_that_would_give_a_count_under_5_away(target, hire, employers, fredericia):
    """7 new flex jobs, 1 ended: "6 still in the job" would say 1 ended, so both read "–"."""
    hires(hire, employers, [("kommune", date(2026, 2, d), "8", date(2026, 3, 1) if d == 1 else None, True)
                            for d in range(1, 8)])
    leader = assert_nothing_derivable(fredericia)
    rows = {row.key: row.value for row in leader.rows}
    assert (rows["still_running"], rows["ended"]) == ("–", "–")
    assert leader.new_flex_jobs == 7


def test_it_hides_the_whole_sector_unit_and_shows_a_safe_unit_exactly(target, hire, employers, fredericia):
    """4 private and 4 public of 8: every sector cell reads "–"; all 8 run, all over 10 hours."""
    hires(hire, employers, [("byg" if i < 4 else "kommune", date(2026, 3, 1 + i), "12", None, False) for i in range(8)])
    leader = assert_nothing_derivable(fredericia)
    rows = {row.key: row.value for row in leader.rows}
    assert [rows[k] for k in ("private", "public", "social_economic", "sme")] == ["–"] * 4
    assert (rows["still_running"], rows["ended"]) == (8, 0)
    hours = {row.key: row.value for row in leader.hours_rows}
    assert (rows["mini_flex_jobs"], rows["ordinary_flex_jobs"], *hours.values()) == (0, 8, 0, 0, 8)


def test_it_never_leaves_a_known_kind_of_dash_beside_an_under_5(target, hire, employers, fredericia):
    """6 jobs: bands 0 / under 5 / – with mini under 5 and ordinary – would be exact. Now a
    unit is all "–" or all exact, and "–" says nothing about the size of any cell."""
    hires(hire, employers, [("stor", date(2026, 1, 5 + i), "8" if i < 2 else "20", None, False) for i in range(6)])
    leader = assert_nothing_derivable(fredericia)
    hours = {row.key: row.value for row in leader.hours_rows}
    rows = {row.key: row.value for row in leader.rows}
    assert (rows["mini_flex_jobs"], rows["ordinary_flex_jobs"], *hours.values()) == ("–",) * 5
    assert "under 5" not in {str(row.value) for row in (*leader.rows, *leader.hours_rows)}


def test_it_shows_a_leader_no_table_per_employer_or_industry(target, hire, employers, fredericia):
    """A leader knows their own company and its industry: any such table can be subtracted from."""
    spec = [("stor", date(2026, 2, 1 + i), "12", None, False) for i in range(7)]
    spec += [("cafe", date(2026, 3, 1), "6", None, True), ("ok", date(2026, 3, 2), "6", None, True)]
    hires(hire, employers, spec)
    leader = assert_nothing_derivable(fredericia)
    assert leader.employers == [] and leader.industries == []
    full = build_dashboard(fredericia, AS_OF, masked=False)
    assert [row["n"] for row in full.employers] == [7, 1, 1]


def test_it_masks_retention_as_one_unit(target, hire, employers, fredericia):
    """6 started by March, 5 of them still in the job after 6 months: showing 5 says 1 left."""
    spec = [("stor", date(2026, 1, 5 + i), "12", date(2026, 5, 1) if i == 0 else None, False) for i in range(6)]
    spec += [("kommune", date(2026, 9, 1 + i), "12", None, False) for i in range(6)]
    hires(hire, employers, spec)
    leader = assert_nothing_derivable(fredericia)
    assert all(r["eligible"] == "–" and r["still_in_job"] == "–" and r["percent"] is None for r in leader.retention)


def test_it_masks_a_course_funnel_that_would_show_who_dropped_out(target, hire, employers, fredericia):
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=date(2026, 1, 2))
    for i in range(7):
        citizen = make_citizen(fredericia)
        Enrolment.objects.create(course=course, citizen=citizen, status="completed" if i else "dropped")
        if i:
            hire(date(2026, 3, i), employer=employers["ok"], citizen=citizen, hours_per_week=Decimal("5"))
    leader = assert_nothing_derivable(fredericia)
    (funnel,) = leader.courses
    assert (funnel["enrolled"], funnel["completed"], funnel["hired"]) == ("–", "–", "–")


# --- The brute force ----------------------------------------------------------------------

def compositions(n, parts):
    if parts == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in compositions(n - first, parts - 1):
            yield (first, *rest)


def small(value):
    return 0 < abs(value) < SMALL


def check_unit(shown, truth, derived):
    """The leader's unit is hidden in every cell, or exact in every cell with no cell and no
    figure a reader works out from it (`derived`, written here from what the figures mean)
    from 1 to 4."""
    values = list(shown.values())
    if all(v == "–" for v in values):
        return
    assert all(isinstance(v, int) for v in values), shown
    assert shown == truth, (shown, truth)
    assert not any(small(v) for v in [*truth.values(), *derived]), (truth, derived)


ZERO_FIELDS = ("new_flex_jobs", "private", "public", "social_economic", "still_running", "mini_flex_jobs",
               "first_flex_jobs", "retention_flex_jobs", "hours_1_5", "hours_6_10", "hours_over_10", "sme")


def masked(p, retention=(), courses=()):
    data = Dashboard(municipality=None, as_of=AS_OF, masked=True, progress=p)
    data.rows, data.hours_rows = figure_rows(p)
    data.retention = [{"months": m, "eligible": e, "still_in_job": s, "percent": None} for m, e, s in retention]
    data.courses = [{"title": "", "pk": i, "enrolled": e, "completed": c, "hired": h} for i, (e, c, h) in enumerate(courses)]
    aggregate_for_leaders(data)
    return data, {row.key: row.value for row in (*data.rows, *data.hours_rows)}


def progress(**figures):
    return Progress(target=164, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), as_of=AS_OF,
                    **{**dict.fromkeys(ZERO_FIELDS, 0), **figures})


def test_brute_force_hours_sectors_and_running(settings):
    """Every mix up to 10 placements of hours band × sector (plain private, social-economic,
    public) × running: the leader's view depends on the mix only through these counts, and
    every combination of them with the same total is some mix. SMEs ride along as the plain
    private ones."""
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("10")
    for n in range(0, 11):
        for h1, h2, h3 in compositions(n, 3):
            for plain, social, public in compositions(n, 3):
                for running in range(n + 1):
                    p = progress(new_flex_jobs=n, hours_1_5=h1, hours_6_10=h2, hours_over_10=h3,
                                 mini_flex_jobs=h1 + h2, private=plain + social, public=public,
                                 social_economic=social, sme=plain, still_running=running)
                    data, shown = masked(p)
                    assert data.new_flex_jobs == ("under 5" if small(n) else n)
                    assert data.total_hidden == small(n)
                    truth = {k: getattr(p, k) for k in shown}
                    unit = lambda *keys: ({k: shown[k] for k in keys}, {k: truth[k] for k in keys})  # noqa: E731
                    check_unit(*unit("private", "public", "social_economic", "sme"),
                               [n - plain - social, n - public, n - social, plain, n - plain])
                    check_unit(*unit("still_running", "ended"), [])
                    check_unit(*unit("mini_flex_jobs", "ordinary_flex_jobs", "hours_1_5", "hours_6_10", "hours_over_10"),
                               [n - h1, n - h2, n - h3, h1 + h2, h3])


def test_brute_force_a_mini_limit_inside_an_hours_band(settings):
    """With the mini limit at 6 hours, mini minus the 1–5 band is the part of the 6–10 band
    up to 6 hours, and the band minus that the part above."""
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("6")
    for n in range(0, 11):
        for h1, h2a, h2b, h3 in compositions(n, 4):
            p = progress(new_flex_jobs=n, hours_1_5=h1, hours_6_10=h2a + h2b, hours_over_10=h3,
                         mini_flex_jobs=h1 + h2a)
            _data, shown = masked(p)
            keys = ("mini_flex_jobs", "ordinary_flex_jobs", "hours_1_5", "hours_6_10", "hours_over_10")
            check_unit({k: shown[k] for k in keys}, {k: getattr(p, k) for k in keys},
                       [h2a, h2b, n - h1, n - h3, n - h2a - h2b])


def test_brute_force_kinds():
    for n in range(0, 13):
        for first in range(n + 1):
            for retention in range(n + 1):
                _data, shown = masked(progress(new_flex_jobs=n, first_flex_jobs=first, retention_flex_jobs=retention))
                check_unit({k: shown[k] for k in ("first_flex_jobs", "retention_flex_jobs")},
                           {"first_flex_jobs": first, "retention_flex_jobs": retention}, [n - first, n - retention])


def test_brute_force_retention():
    """Nested: still after 12 months ⊆ after 6 ⊆ after 3, each ⊆ its eligible, and eligible
    for 12 ⊆ for 6 ⊆ for 3 ⊆ the total."""
    for n in range(0, 9):
        for e3 in range(n + 1):
            for e6 in range(e3 + 1):
                for e12 in range(e6 + 1):
                    for s12 in range(e12 + 1):
                        for s6 in range(s12, e6 + 1):
                            for s3 in range(s6, e3 + 1):
                                rows = [(3, e3, s3), (6, e6, s6), (12, e12, s12)]
                                data, _shown = masked(progress(new_flex_jobs=n), retention=rows)
                                shown = {(r["months"], k): r[k] for r in data.retention for k in ("eligible", "still_in_job")}
                                truth = {(m, k): v for m, e, s in rows for k, v in (("eligible", e), ("still_in_job", s))}
                                values = [e3, e6, e12, s3, s6, s12]
                                derived = [n - v for v in values] + [e3 - e6, e6 - e12, s3 - s6, s6 - s12, e3 - s3,
                                                                      e6 - s6, e12 - s12, e3 - s6, e3 - s12, e6 - s12]
                                check_unit(shown, truth, derived)


def test_brute_force_course_funnels():
    for enrolled in range(13):
        for completed in range(enrolled + 1):
            for hired in range(enrolled + 1):
                data, _shown = masked(progress(), courses=[(enrolled, completed, hired)])
                (c,) = data.courses
                keys = ("enrolled", "completed", "hired")
                check_unit({k: c[k] for k in keys}, dict(zip(keys, (enrolled, completed, hired))),
                           [enrolled - completed, enrolled - hired, completed - hired])


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_it_leaves_nothing_derivable_in_a_mixed_data_set(target, hire, employers, fredericia, seed):
    rng = random.Random(seed)
    keys = list(employers)
    spec = []
    for _ in range(rng.randint(5, 24)):
        start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 260))
        end = start + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.3 else None
        spec.append((rng.choice(keys[: rng.randint(2, len(keys))]), start, rng.choice(["3", "5", "7", "10", "15", "25"]),
                     end if end and end <= AS_OF else None, rng.random() < 0.6))
    hires(hire, employers, spec)
    assert_nothing_derivable(fredericia)


def test_it_shows_a_manager_every_figure_exactly(target, hire, employers, fredericia):
    hires(hire, employers, [("kommune", date(2026, 2, d), "8", date(2026, 3, 1) if d == 1 else None, True)
                            for d in range(1, 8)])
    full = build_dashboard(fredericia, AS_OF, masked=False)
    rows = {row.key: row.value for row in full.rows}
    assert (rows["still_running"], rows["ended"]) == (6, 1)
    assert [(row["n"], row["running"]) for row in full.employers] == [(7, 6)]
    assert len(full.monthly_rows) == 10 and len(full.chart.actual_markers) == 10


# --- The page -----------------------------------------------------------------------------

def test_it_draws_the_leader_no_monthly_counts(login, leader, manager, target, hire, employers, fredericia):
    hires(hire, employers, [("stor", date(2026, m, 3), "12", None, False) for m in (1, 1, 2, 4, 4, 4, 7)])
    url = reverse("progress:dashboard") + "?municipality=607&as_of=2026-10-01"
    html = login(leader).get(url).content.decode()
    svg = re.search(r'<svg[^>]*class="chart-svg".*?</svg>', html, re.S).group(0)
    actual = re.findall(r'<polyline points="([^"]+)"[^>]*stroke="#0059b3"', svg)
    assert len(actual) == 1 and len(actual[0].split()) == 2  # from 0 straight to the total so far
    assert "<circle" not in svg and "<rect" not in svg
    assert "<caption>Nye fleksjob pr. måned</caption>" not in html  # the monthly table
    assert "Nye fleksjob indtil nu mod målet" in svg
    assert "under 5" in html and "“–”" in html
    # The manager's chart is unchanged: a point per month and the table.
    manager_html = login(manager).get(url).content.decode()
    assert manager_html.count("<circle") == 10 and "<caption>Nye fleksjob pr. måned</caption>" in manager_html


def test_it_shows_a_leader_only_todays_figures(login, leader, manager, target, hire, employers, fredericia):
    # Two as-of dates side by side would give exact counts for the days between them.
    hires(hire, employers, [("stor", date(2026, m, 3), "12", None, False) for m in (1, 2, 3, 4, 5, 6, 7)])
    url = reverse("progress:dashboard") + "?municipality=607&as_of=2026-02-10"
    leader_html = login(leader).get(url).content.decode()
    assert 'name="as_of"' not in leader_html
    assert "pr. 10. februar 2026" not in leader_html
    assert "pr. 10. februar 2026" in login(manager).get(url).content.decode()
