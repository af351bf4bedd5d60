"""Demo data for Fredericia's task force (called by seed_demo): a vision adopted at a
workshop, ranked solutions and an action plan with contributions and pledges.

Dated as a task force lives it, relative to the demo's today (`task_force_days`): founded a
month before the first workshop, where the vision is adopted (its draft written the week
before); solutions proposed after it and ranked in a round that closes at the second
workshop; the action plan, its contributions and the café's pledge made after that; the
third workshop ahead. Created rows get those moments (their auto_now_add columns are set
after creation), never a moment after the demo's now.
"""

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Role
from employers.models import Employer, JobTask, Opening
from placements.models import Placement

from .models import (
    Action,
    Attendance,
    Contribution,
    Member,
    Pledge,
    RankingRound,
    Score,
    Solution,
    TaskForce,
    VisionVersion,
    Workshop,
)

VISION = (
    "I Fredericia skal alle, der kan arbejde nogle timer om ugen, have en plads på arbejdsmarkedet. "
    "Virksomheder og jobcenter tager et fælles ansvar, så 164 flere får et fleksjob – også i små og "
    "mellemstore virksomheder."
)
SOLUTIONS = [
    ("Jobdeling i små virksomheder", "Små virksomheder går sammen om at skabe mini-fleksjob på tværs.",
     "Små virksomheder har ikke opgaver nok til et helt job alene.", (4, 2)),
    ("Fast kontaktperson i jobcentret", "Hver virksomhed får én indgang til jobcentret.",
     "Overgangen fra jobcenter til virksomhed er for tung.", (4, 3)),
    ("Mentorordning blandt lederne", "Erfarne ledere hjælper nye virksomheder i gang med fleksjob.",
     "Mange ledere ved ikke, hvordan et fleksjob skrues sammen.", (3, 2)),
    ("Kampagne i lokalavisen", "Historier om gode fleksjob i lokale virksomheder.",
     "Få kender mulighederne.", (2, 4)),
]


def demo_now(today):
    """The demo's now: this moment on `today`, or noon of it when `today` is not the real
    date (a test that fakes only timezone.localdate)."""
    now = timezone.now()
    if timezone.localtime(now).date() == today:
        return now
    return datetime.combine(today, time(12), tzinfo=timezone.get_current_timezone())


def moment(day, hour, now):
    """`hour` o'clock on `day`, local time, but never after `now`."""
    return min(datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone()), now)


class TaskForceDays(NamedTuple):
    """The days of the demo task force's life, relative to the demo's today."""

    founded: date
    kickoff: date  # workshop 1: the vision is adopted
    ranked: date  # workshop 2: the first ranking round closes
    planned: date  # the action plan is made from the ranked solutions
    pledged: date  # the café pledges positions to an action
    next: date  # workshop 3, ahead


def task_force_days(today):
    ranked = today - timedelta(days=20)
    kickoff = today - timedelta(days=60)
    return TaskForceDays(
        founded=kickoff - timedelta(days=30), kickoff=kickoff, ranked=ranked,
        planned=ranked + timedelta(days=1), pledged=ranked + timedelta(days=3), next=today + timedelta(days=21),
    )


def _stamp(model, pk, **moments):
    """Set auto_now_add columns (which a save always fills with now) to when it happened."""
    model.objects.filter(pk=pk).update(**moments)


def _user(username, first, last, joined, municipality=None, role=None):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.dk", "date_joined": joined},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if municipality is not None:
        Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
    return user


def seed_task_force(*, municipality, leader, consultant, today, now=None):
    now = now or demo_now(today)
    days = task_force_days(today)
    task_force, created = TaskForce.objects.get_or_create(
        municipality=municipality,
        name="Task Force Fleksjob Fredericia",
        defaults={"facilitator_organisation": "Code of Care",
                  "description": "Lokale virksomhedsledere og jobcentret – støttet af STAR."},
    )
    if created:
        _stamp(TaskForce, task_force.pk, created_at=moment(days.founded, 10, now))
    employers = list(Employer.objects.filter(municipality=municipality, sector="private").order_by("pk"))
    # The facilitator and two more leaders came with the task force.
    joined = moment(days.founded, 9, now)
    facilitator_user = _user("facilitator", "Frida", "Falk", joined)
    leader2 = _user("leder-cafe", "Kasper", "Krogh", joined, municipality, Role.LEADER)
    leader3 = _user("leder-vaskeri", "Vibeke", "Vang", joined, municipality, Role.LEADER)
    employers[2].leaders.add(leader2)
    employers[3].leaders.add(leader3)
    members = []
    for user, kind, employer in (
        (leader, Member.Kind.LEADER, employers[0]),
        (leader2, Member.Kind.LEADER, employers[2]),
        (leader3, Member.Kind.LEADER, employers[3]),
        (consultant, Member.Kind.STAFF, None),
        (facilitator_user, Member.Kind.FACILITATOR, None),
    ):
        member, created = Member.objects.get_or_create(
            task_force=task_force, user=user, defaults={"kind": kind, "employer": employer}
        )
        if created:
            _stamp(Member, member.pk, joined_at=moment(days.founded + timedelta(days=1), 10, now))
        members.append(member)
    lead, cafe, laundry, staff, facilitator = members

    def at(day, hour):
        return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())

    kickoff, _ = Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 1: Fælles vision",
        defaults={"starts_at": at(days.kickoff, 9), "ends_at": at(days.kickoff, 12), "place": "Fredericia Jobcenter",
                  "agenda": "Velkomst\nHvorfor fleksjob?\nVores vision", "minutes": "Visionen blev vedtaget."},
    )
    second, _ = Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 2: Løsninger",
        defaults={"starts_at": at(days.ranked, 9), "ends_at": at(days.ranked, 12), "place": "Lillebælt Byg",
                  "agenda": "Idéer til løsninger\nPrioritering", "minutes": "Fire løsninger blev prioriteret."},
    )
    Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 3: Handlingsplan",
        defaults={"starts_at": at(days.next, 9), "ends_at": at(days.next, 12), "place": "Kanalbyens Café",
                  "agenda": "Status på handlinger\nNye tilsagn"},
    )
    for workshop in (kickoff, second):
        for m in members:
            Attendance.objects.get_or_create(workshop=workshop, member=m, defaults={"registered": True, "attended": True})

    if not task_force.vision_versions.exists():
        # The facilitator's draft the week before the first workshop; the version written and
        # adopted at it.
        draft = VisionVersion.objects.create(task_force=task_force, author=facilitator, text=VISION.split(" Virksomheder")[0])
        _stamp(VisionVersion, draft.pk, created_at=moment(days.kickoff - timedelta(days=7), 14, now))
        adopted = VisionVersion.objects.create(task_force=task_force, author=lead, text=VISION, adopted=True,
                                               adopted_at_workshop=kickoff, adopted_on=days.kickoff)
        _stamp(VisionVersion, adopted.pk, created_at=moment(days.kickoff, 11, now))

    # Proposed in the weeks after the first workshop, ranked in a round that closes at the second.
    solutions = []
    for i, (title, description, problem, _scores) in enumerate(SOLUTIONS):
        solution, created = Solution.objects.get_or_create(
            task_force=task_force, title=title,
            defaults={"description": description, "problem": problem, "proposed_by": members[i % 3]},
        )
        if created:
            _stamp(Solution, solution.pk, created_at=moment(days.kickoff + timedelta(days=7 + 5 * i), 10, now))
        solutions.append(solution)
    closed, created = RankingRound.objects.get_or_create(
        task_force=task_force, title="Runde 1", defaults={"dot_budget": 5, "status": RankingRound.Status.CLOSED,
                                                          "closed_at": moment(days.ranked, 12, now)},
    )
    if created:
        _stamp(RankingRound, closed.pk, opened_at=moment(days.ranked - timedelta(days=7), 9, now))
        for m_index, m in enumerate((lead, cafe, laundry, staff)):
            for s_index, (solution, spec) in enumerate(zip(solutions, SOLUTIONS)):
                impact, effort = spec[3]
                Score.objects.create(round=closed, member=m, solution=solution, impact=impact, effort=effort,
                                     dots=[3, 1, 1, 0][s_index] if m_index % 2 == 0 else [2, 2, 1, 0][s_index])

    # An open round, so the demo's leader can score solutions straight away.
    if not task_force.rounds.filter(status=RankingRound.Status.OPEN).exists():
        second_round, created = RankingRound.objects.get_or_create(task_force=task_force, title="Runde 2", defaults={"dot_budget": 5})
        if created:
            _stamp(RankingRound, second_round.pk, opened_at=moment(days.planned, 9, now))

    # The action plan, made from the ranked solutions after the second workshop.
    planned = moment(days.planned, 10, now)
    actions = []
    for title, defaults in (
        ("Mini-fleksjob i tre små virksomheder",
         {"solution": solutions[0], "owner": cafe, "due_date": today + timedelta(days=45),
          "status": Action.Status.IN_PROGRESS}),
        ("Én indgang til jobcentret",
         {"solution": solutions[1], "owner": staff, "due_date": today - timedelta(days=5),
          "status": Action.Status.IN_PROGRESS, "progress": 60}),
        ("Mentornetværk for ledere",
         {"solution": solutions[2], "owner": lead, "due_date": today + timedelta(days=90)}),
    ):
        action, created = Action.objects.get_or_create(task_force=task_force, title=title, defaults=defaults)
        if created:
            _stamp(Action, action.pk, created_at=planned)
        actions.append(action)
    action, contact, _mentors = actions
    for on, member, kind, description in (
        (action, cafe, Contribution.Kind.POSITIONS, "2 mini-fleksjob i vores køkken"),
        (action, lead, Contribution.Kind.COMPETENCE, "Mentortimer: en time om ugen til nye fleksjobbere"),
        (contact, staff, Contribution.Kind.RESOURCE, "En fast virksomhedskonsulent pr. virksomhed"),
    ):
        contribution, created = Contribution.objects.get_or_create(
            action=on, member=member, kind=kind, defaults={"description": description}
        )
        if created:
            _stamp(Contribution, contribution.pk, created_at=moment(days.planned + timedelta(days=1), 10, now))
    if not Pledge.objects.filter(action=action, member=cafe).exists():
        opening = _pledge(action, cafe, employers[2], "Mini-fleksjob i køkkenet", (4, 8),
                          ["Let køkkenarbejde", "Let rengøring"], moment(days.pledged, 10, now))
        # The café's latest flex job that started after the pledge (and so could fill it),
        # linked to the pledged opening when it was registered or since.
        filled = (
            Placement.objects.filter(employer=employers[2], kind=Placement.Kind.FLEXJOB, opening__isnull=True,
                                     start_date__gte=days.pledged, start_date__lte=today)
            .order_by("-start_date", "-pk").first()
        )
        if filled:
            Placement.objects.filter(pk=filled.pk).update(
                opening=opening, updated_at=max(filled.updated_at, moment(days.pledged, 11, now))
            )
    # The demo leader's own company pledges two positions the day after: posted, not yet filled,
    # so the leader sees their own pledge's path in full beside the others' (hidden when small).
    if not Pledge.objects.filter(action=action, member=lead).exists():
        _pledge(action, lead, employers[0], "Mini-fleksjob på lageret", (5, 10),
                ["Lager og varemodtagelse", "Let rengøring"], moment(days.pledged + timedelta(days=1), 10, now))
    return task_force


def _pledge(action, member, employer, title, hours, tasks, pledged):
    """`member` pledges two positions of a new opening at `employer` to `action`, at `pledged`."""
    opening = Opening.objects.create(
        employer=employer, title=title, tasks="", hours_min=hours[0], hours_max=hours[1],
        positions=2, from_task_force=True, is_open=True,
    )
    opening.catalogue_tasks.set(JobTask.objects.filter(name__in=tasks))
    pledge = Pledge.objects.create(action=action, member=member, opening=opening)
    _stamp(Opening, opening.pk, created_at=pledged)
    _stamp(Pledge, pledge.pk, created_at=pledged)
    return opening
