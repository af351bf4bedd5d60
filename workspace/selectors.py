"""Reads that build the workspace's pages: the ranking of solutions, the pledge path and
the action plan's progress, the task force's own figures, workshops with their attendance,
open requests to meet a candidate, and anonymised candidate profiles. Each costs a fixed
number of queries however many records there are; writes are in services.py."""

import hashlib
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.small_numbers import HIDDEN, shown_total, shown_unit
from progress.counting import counted_placements
from progress.dashboard import build_dashboard

from .access import candidate_token, candidate_token_for_pk
from .models import Contribution, MeetingRequest, Pledge, Score, pledge_path_shown_exactly, pledge_totals


# --- Solutions and their ranking ----------------------------------------------------------

def solutions_with_comment_counts(task_force):
    return (
        task_force.solutions.select_related("proposed_by__user", "target")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-pk")
    )


# Lazy: labels are translated into the language of each request, not of the import.
QUADRANTS = {
    (True, False): ("quick_wins", gettext_lazy("Hurtige gevinster")),
    (True, True): ("big_bets", gettext_lazy("Store satsninger")),
    (False, False): ("fill_ins", gettext_lazy("Småopgaver")),
    (False, True): ("time_sinks", gettext_lazy("Tidsrøvere")),
}


@dataclass
class RankedSolution:
    solution: object
    dots: int
    impact: float | None
    effort: float | None
    votes: int

    @property
    def quadrant(self):
        if self.impact is None:
            return None
        return QUADRANTS[(self.impact >= 3, self.effort >= 3)][0]


def ranked_solutions(round):
    """The task force's solutions with their vote totals and mean scores in `round`, ranked
    by the database: most dots first, then highest impact (unscored last), then title."""
    in_round = Q(scores__round=round)
    return round.task_force.solutions.annotate(
        dots=Coalesce(Sum("scores__dots", filter=in_round), Value(0)),
        impact=Avg("scores__impact", filter=in_round),
        effort=Avg("scores__effort", filter=in_round),
        votes=Count("scores", filter=in_round),
    ).order_by("-dots", F("impact").desc(nulls_last=True), "title", "pk")


def ranking_for(round):
    """Vote totals and mean scores per solution, in the database's order: one query."""
    return [
        RankedSolution(s, s.dots, round_or_none(s.impact), round_or_none(s.effort), s.votes)
        for s in ranked_solutions(round)
    ]


def round_or_none(value):
    return round(float(value), 1) if value is not None else None


def board_for(ranked):
    board = {key: {"label": label, "items": []} for key, label in QUADRANTS.values()}
    for r in ranked:
        if r.quadrant:
            board[r.quadrant]["items"].append(r)
    return board


@dataclass
class RankingRow:
    """One solution on the ranking page: its votes (a RankedSolution, or None to a viewer who
    does not see them yet), and what the member's score form shows: their own score, or what
    they just sent when it came back with an error."""

    solution: object
    ranked: RankedSolution | None
    scored: bool
    impact: str
    effort: str
    dots: str


def ranking_page(task_force, member, round, *, results_shown, attempt=None):
    """The ranking page's data: the solutions of `round` (or none) as rows, the board, the
    dots the member has left, and the rounds. `results_shown`: the viewer sees the round's
    votes (WorkspaceAccess.sees_round_results); otherwise no total, mean, ranking or board is
    even read, and the solutions come in the order of their titles. `attempt`: (solution pk,
    {"impact": …, "effort": …, "dots": …}), a score sent back with an error, shown in that
    solution's form as typed. One query for the solutions, one for the member's scores."""
    if round is None:
        solutions, ranked = [], []
    elif results_shown:
        ranked = ranking_for(round)
        solutions = [r.solution for r in ranked]
    else:
        ranked = []
        solutions = list(task_force.solutions.order_by("title", "pk"))
    ranked_by_pk = {r.solution.pk: r for r in ranked}
    mine = {}
    if round and member:
        mine = {s.solution_id: s for s in Score.objects.filter(round=round, member=member)}
    attempt_pk, typed = attempt or (None, {})
    rows = []
    for solution in solutions:
        score = mine.get(solution.pk)
        saved = {"impact": "3", "effort": "3", "dots": "0"} if score is None else {
            "impact": str(score.impact), "effort": str(score.effort), "dots": str(score.dots)}
        values = {**saved, **typed} if solution.pk == attempt_pk else saved
        rows.append(RankingRow(solution, ranked_by_pk.get(solution.pk), score is not None, **values))
    spent = sum(s.dots for s in mine.values())
    return {
        "round": round,
        "rows": rows,
        "results_shown": results_shown,
        "scoring": bool(member and round and round.is_open),
        "board": board_for(ranked),
        "dots_left": (round.dot_budget - spent) if round else 0,
        "rounds": task_force.rounds.all(),
    }


# --- Action plan and pledges ---------------------------------------------------------------

def pledges_with_path(qs):
    """Each pledge with its opening (positions, open or not) and how many placements filled
    it (`filled`): one query."""
    # An aggregate drops Meta.ordering, so the order is said again: oldest pledge first.
    return (
        qs.select_related("opening", "member__user", "member__employer")
        .annotate(filled=Count("opening__placements"))
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class PledgePath:
    pledged: object
    opened: object
    filled: object


def pledge_path(pledges, *, masked, own_employers=frozenset()):
    """Pledged → opened → filled for some pledges (with `filled` annotated). `masked`: the
    viewer sees figures aggregated (WorkspaceAccess.masked), so the path is one unit of the
    small-number rule (models.pledge_path_shown_exactly): exact, or "–" in every figure.
    `own_employers`: the viewer's own companies (WorkspaceAccess.own_employers), whose
    pledges they see in full."""
    pledges = list(pledges)
    totals = pledge_totals(pledges)
    if masked and not pledge_path_shown_exactly(pledges, own_employers=own_employers):
        return PledgePath(*(HIDDEN,) * 3)
    return PledgePath(*totals)


def actions_with_progress(qs):
    """Actions with their owner, solution, contributions and pledges (with `filled`), so
    `shown_progress` and the contributions cost a fixed number of queries for any list."""
    return qs.select_related("owner__user", "owner__employer", "solution").prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("member__user", "member__employer")),
        Prefetch("pledges", queryset=pledges_with_path(Pledge.objects.all())),
    )


def task_force_actions(task_force):
    return actions_with_progress(task_force.actions.all())


def actions_seen_by(actions, *, masked, own_employers=frozenset()):
    """The actions (from actions_with_progress) as a list, each with `seen_progress`: the
    progress this viewer sees, or None where it would give a hidden figure away
    (Action.progress_seen_by)."""
    actions = list(actions)
    for action in actions:
        action.seen_progress = action.progress_seen_by(masked=masked, own_employers=own_employers)
    return actions


def task_force_pledges(task_force):
    return pledges_with_path(Pledge.objects.filter(action__task_force=task_force))


# --- The task force's own figures -----------------------------------------------------------

@dataclass
class HomeFigures:
    dashboard: object
    path: PledgePath
    own_path: PledgePath | None  # the viewer's own company's pledges, beside others' (else None)
    new_flex_jobs: object  # the municipality's new flex jobs so far (for the aggregated viewer: shown_total)
    contribution: object  # of those, the jobs that filled the task force's pledges


def home_figures(task_force, today, *, masked, own_employers=frozenset()):
    """The municipality's progress, the task force's pledge path (and, when others have
    pledged too, the path of the viewer's own company's pledges, which they see in full) and
    its contribution to the new flex jobs. `masked`: the viewer sees aggregated figures
    (core.small_numbers); `own_employers`: their own companies (WorkspaceAccess.own_employers)."""
    dashboard = build_dashboard(task_force.municipality, today, masked=True, details=False)
    pledges = list(task_force_pledges(task_force))
    path = pledge_path(pledges, masked=masked, own_employers=own_employers)
    own = [p for p in pledges if p.opening.employer_id in own_employers]
    own_totals = pledge_totals(own)
    own_path = PledgePath(*own_totals) if own and len(own) < len(pledges) else None
    new_flex_jobs = contribution = None
    if dashboard.target is not None:
        total = dashboard.progress.new_flex_jobs
        counts = {"filled": Count("pk")}
        if own_employers:
            counts["own"] = Count("pk", filter=Q(opening__employer_id__in=own_employers))
        # From the task force's few pledged openings (their placements by the opening's index),
        # not from every counted placement of the municipality.
        pledged = Pledge.objects.filter(action__task_force=task_force).values("opening_id")
        counted = counted_placements(dashboard.target, today).filter(opening_id__in=pledged).aggregate(**counts)
        filled, own_filled = counted["filled"], counted.get("own", 0)
        new_flex_jobs, contribution = total, filled
        if masked:
            new_flex_jobs = shown_total(total)
            # The contribution and the rest of the municipality's new flex jobs are one unit;
            # beside an exact pledge path, the jobs filled outside the count are one more figure.
            # A viewer knows their own company's share of each, so the others' shares are what
            # they work out.
            others_filled = filled - own_filled
            derived = [total - filled, others_filled]
            if path.filled != HIDDEN:
                derived.append((path.filled - own_totals[2]) - others_filled)
            contribution = shown_unit({"contribution": filled}, derived)["contribution"]
    return HomeFigures(dashboard, path, own_path, new_flex_jobs, contribution)


# --- Workshops ----------------------------------------------------------------------------

def workshops_by_time(task_force):
    """(upcoming, past) workshops with how many registered and attended: one query."""
    now = timezone.now()
    workshops = task_force.workshops.annotate(
        registered=Count("attendances", filter=Q(attendances__registered=True)),
        attended=Count("attendances", filter=Q(attendances__attended=True)),
    ).order_by("starts_at", "pk")
    upcoming = [w for w in workshops if w.ends_at >= now]
    past = sorted((w for w in workshops if w.ends_at < now), key=lambda w: w.starts_at, reverse=True)
    return upcoming, past


# --- Candidates and requests to meet them ---------------------------------------------------

AGE_BANDS = (
    (30, gettext_lazy("under 30 år")),
    (40, gettext_lazy("30–39 år")),
    (50, gettext_lazy("40–49 år")),
    (60, gettext_lazy("50–59 år")),
    (200, gettext_lazy("60 år og derover")),
)


@dataclass
class CandidateProfile:
    token: str
    code: str
    weekly_hours: object
    competences: str
    wishes: str
    age_band: str
    distance_band: str


def candidate_code(token):
    """The short code a candidate goes by on screen (derived from the token, not the id)."""
    return hashlib.sha256(token.encode()).hexdigest()[:6].upper()


# The purpose the access log gives a view of one candidate's profile.
CANDIDATE_PURPOSE = "anonym kandidatprofil i task force"


def candidate_profile(citizen, today):
    """What fits a job and nothing more: never name, CPR, contact, exact age or notes."""
    token = candidate_token(citizen)
    age = citizen.age_on(today)
    age_band = next(label for limit, label in AGE_BANDS if age < limit)
    return CandidateProfile(
        token=token,
        code=candidate_code(token),
        weekly_hours=citizen.weekly_hours,
        competences=citizen.competences,
        wishes=citizen.wishes,
        age_band=age_band,
        distance_band=citizen.get_travel_distance_display() if citizen.travel_distance else _("Ikke oplyst"),
    )


def open_meeting_requests(task_force):
    """[(request, candidate code)]: the requests the jobcenter has yet to follow up, oldest
    first; the candidate goes by their code, never their name."""
    requests = (
        MeetingRequest.objects.filter(member__task_force=task_force, handled_at__isnull=True)
        .select_related("member__user", "member__employer")
        .order_by("created_at", "pk")
    )
    return [(r, candidate_code(candidate_token_for_pk(r.citizen_id))) for r in requests]

