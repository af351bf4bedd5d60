"""What a leader is shown cannot be used to work out a count under 5 (SPEC, "Counting rules").

For a few concrete data sets, the test plays the reader: it takes every figure a leader is
shown ("under 5" means 1–4, "–" means anything), writes down every sum a reader knows
(private and public make the total, the rows of the employer table make the total, a named
employer's sector tells which row it adds to, eligible and still in the job are a pair …),
and searches all whole-number solutions. Every hidden count from 1 to 4 — shown or only
implied, like "the total minus the SMEs" — must be able to take at least two values.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course, Enrolment
from employers.models import Employer
from progress.dashboard import build_dashboard
from tests.conftest import make_citizen, make_employer

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

    # The employer table: named employers (their sector and badge shown) and the others.
    by_pk = {row["employer"]: row for row in full.employers}
    named = [row for row in leader.employers if not row.get("other")]
    assert all(by_pk[row["employer"]]["n"] >= SMALL for row in named), "an employer under 5 is named"
    named_pks = {row["employer"] for row in named}
    rest = [row for row in full.employers if row["employer"] not in named_pks]
    shown_other = next((row["n"] for row in leader.employers if row.get("other")), 0)
    r.cell("employers_other", shown_other, sum(row["n"] for row in rest))
    # Only employers with 5 or more are named, so a reader knows a withheld one has 5 or more.
    keys = [r.cell(("employer", row["employer"]), row["n"], by_pk[row["employer"]]["n"], floor=SMALL) for row in named]
    r.sum(total, [*keys, "employers_other"])
    private = [("employer", row["employer"]) for row in named if row["employer__sector"] == "private"]
    public = [("employer", row["employer"]) for row in named if row["employer__sector"] != "private"]
    social = [("employer", row["employer"]) for row in named if row["employer__social_economic"]]
    rest_private = sum(row["n"] for row in rest if row["employer__sector"] == "private")
    rest_social = sum(row["n"] for row in rest if row["employer__social_economic"])
    r.sum("private", [*private, r.implied("rest_private", rest_private)])
    r.sum("public", [*public, r.implied("rest_public", sum(row["n"] for row in rest) - rest_private)])
    r.sum("employers_other", ["rest_private", "rest_public"])
    r.sum("social_economic", [*social, r.implied("rest_social", rest_social)])
    r.sum("rest_private", ["rest_social", r.implied("rest_plain_private", rest_private - rest_social)])

    # The industry table.
    industries = {row["employer__industry"]: row["n"] for row in full.industries}
    named_industries = [row for row in leader.industries if not row.get("other")]
    shown_other = next((row["n"] for row in leader.industries if row.get("other")), 0)
    other_truth = sum(n for name, n in industries.items() if name not in {row["employer__industry"] for row in named_industries})
    keys = [r.cell(("industry", row["employer__industry"]), row["n"], industries[row["employer__industry"]], floor=SMALL)
            for row in named_industries]
    r.sum(total, [*keys, r.cell("industries_other", shown_other, other_truth)])

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


def test_it_hides_one_of_a_pair_that_would_give_the_other_away(target, hire, employers, fredericia):
    """7 new flex jobs, 1 ended: "6 still in the job" would say 1 ended."""
    hires(hire, employers, [("kommune", date(2026, 2, d), "8", date(2026, 3, 1) if d == 1 else None, True)
                            for d in range(1, 8)])
    leader = assert_nothing_derivable(fredericia)
    rows = {row.key: row.value for row in leader.rows}
    assert (rows["still_running"], rows["ended"]) == ("–", "under 5")
    assert leader.new_flex_jobs == 7


def test_it_hides_two_counts_under_5_that_add_up_to_a_known_total(target, hire, employers, fredericia):
    """4 private and 4 public of 8: both "under 5" would still say 4 and 4."""
    hires(hire, employers, [("byg" if i < 4 else "kommune", date(2026, 3, 1 + i), "12", None, False) for i in range(8)])
    leader = assert_nothing_derivable(fredericia)
    rows = {row.key: row.value for row in leader.rows}
    assert {rows["private"], rows["public"]} == {"–", "under 5"}


def test_it_hides_the_next_hours_band_and_the_mini_row_it_adds_up_to(target, hire, employers, fredericia):
    """9 jobs: 3 of 1–5 hours, 6 of over 10. The bands, the mini row (the bands up to 10
    hours) and the row above the limit would each give the 3 away."""
    hires(hire, employers, [("stor", date(2026, 1, 5 + i), "4" if i < 3 else "20", None, i % 2 == 0) for i in range(9)])
    leader = assert_nothing_derivable(fredericia)
    hours = {row.key: row.value for row in leader.hours_rows}
    rows = {row.key: row.value for row in leader.rows}
    assert hours["hours_1_5"] == "under 5"
    assert "–" in (hours["hours_6_10"], hours["hours_over_10"]) or hours["hours_6_10"] == 0
    assert rows["mini_flex_jobs"] in ("–", "under 5") and rows["ordinary_flex_jobs"] in ("–", "under 5")


def test_it_hides_an_employer_beside_the_other_employers_row(target, hire, employers, fredericia):
    """Dansk Stål 7 and three others with 1 each: the row of others (3) would follow from
    the total (10) minus Dansk Stål."""
    spec = [("stor", date(2026, 2, 1 + i), "12", None, False) for i in range(7)]
    spec += [("cafe", date(2026, 3, 1), "6", None, True), ("ok", date(2026, 3, 2), "6", None, True),
             ("skole", date(2026, 3, 3), "6", None, True)]
    hires(hire, employers, spec)
    leader = assert_nothing_derivable(fredericia)
    shown = [(str(row["employer__name"]), row["n"]) for row in leader.employers]
    assert shown == [("Dansk Stål A/S", "–"), ("Andre virksomheder", "under 5")]
    assert [(str(row["employer__industry"]), row["n"]) for row in leader.industries] == [
        ("Industri", "–"), ("Andre brancher", "under 5")
    ]


def test_it_groups_employers_and_industries_under_5_into_one_row(target, hire, employers, fredericia):
    spec = [("stor", date(2026, 2, 1 + i), "12", None, False) for i in range(6)]
    spec += [("kommune", date(2026, 3, 1 + i), "8", None, False) for i in range(6)]
    spec += [("cafe", date(2026, 4, 1), "6", None, True), ("ok", date(2026, 4, 2), "6", None, True),
             ("skole", date(2026, 4, 3), "6", None, True), ("byg", date(2026, 4, 4), "6", None, True),
             ("byg", date(2026, 4, 5), "6", None, True)]
    hires(hire, employers, spec)
    leader = assert_nothing_derivable(fredericia)
    names = [str(row["employer__name"]) for row in leader.employers]
    # Five jobs at four small employers: one row. (It holds 4 private and 1 public job, and
    # the private and public totals are shown, so the figures beside it are withheld.)
    assert names == ["Dansk Stål A/S", "Fredericia Kommune, Ældreplejen", "Andre virksomheder"]
    assert all(row["running"] is None for row in leader.employers)  # no per-employer retention for leaders
    industries = [str(row["employer__industry"]) for row in leader.industries]
    assert industries == ["Pleje", "Industri", "Andre brancher"]


def test_it_masks_retention_as_pairs(target, hire, employers, fredericia):
    """6 started by March, 5 of them still in the job after 6 months: showing 5 says 1 left."""
    spec = [("stor", date(2026, 1, 5 + i), "12", date(2026, 5, 1) if i == 0 else None, False) for i in range(6)]
    spec += [("kommune", date(2026, 9, 1 + i), "12", None, False) for i in range(6)]
    hires(hire, employers, spec)
    leader = assert_nothing_derivable(fredericia)
    six_months = next(r for r in leader.retention if r["months"] == 6)
    assert six_months["eligible"] == 6 and six_months["still_in_job"] == "–"
    assert all(r["percent"] is None for r in leader.retention)


def test_it_masks_a_course_funnel_that_would_show_who_dropped_out(target, hire, employers, fredericia):
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=date(2026, 1, 2))
    for i in range(7):
        citizen = make_citizen(fredericia)
        Enrolment.objects.create(course=course, citizen=citizen, status="completed" if i else "dropped")
        if i:
            hire(date(2026, 3, i), employer=employers["ok"], citizen=citizen, hours_per_week=Decimal("5"))
    leader = assert_nothing_derivable(fredericia)
    (funnel,) = leader.courses
    assert (funnel["enrolled"], funnel["completed"], funnel["hired"]) == (7, "–", "–")


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
