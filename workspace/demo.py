"""Demo data for Fredericia's task force (called by seed_demo): a vision adopted at a
workshop, ranked solutions and an action plan with contributions and pledges."""

from datetime import datetime, time, timedelta

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


def _user(username, first, last, municipality=None, role=None):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.dk"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if municipality is not None:
        Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
    return user


def seed_task_force(*, municipality, leader, consultant, today):
    task_force, _ = TaskForce.objects.get_or_create(
        municipality=municipality,
        name="Task Force Fleksjob Fredericia",
        defaults={"facilitator_organisation": "Code of Care",
                  "description": "Lokale virksomhedsledere og jobcentret – støttet af STAR."},
    )
    employers = list(Employer.objects.filter(municipality=municipality, sector="private").order_by("pk"))
    facilitator_user = _user("facilitator", "Frida", "Falk")
    leader2 = _user("leder-cafe", "Kasper", "Krogh", municipality, Role.LEADER)
    leader3 = _user("leder-vaskeri", "Vibeke", "Vang", municipality, Role.LEADER)
    employers[2].leaders.add(leader2)
    employers[3].leaders.add(leader3)
    members = [
        Member.objects.get_or_create(task_force=task_force, user=leader, defaults={"kind": Member.Kind.LEADER, "employer": employers[0]})[0],
        Member.objects.get_or_create(task_force=task_force, user=leader2, defaults={"kind": Member.Kind.LEADER, "employer": employers[2]})[0],
        Member.objects.get_or_create(task_force=task_force, user=leader3, defaults={"kind": Member.Kind.LEADER, "employer": employers[3]})[0],
        Member.objects.get_or_create(task_force=task_force, user=consultant, defaults={"kind": Member.Kind.STAFF})[0],
        Member.objects.get_or_create(task_force=task_force, user=facilitator_user, defaults={"kind": Member.Kind.FACILITATOR})[0],
    ]
    lead, cafe, laundry, staff, facilitator = members

    tz = timezone.get_current_timezone()

    def at(day, hour):
        return datetime.combine(day, time(hour), tzinfo=tz)

    kickoff_day, second_day, next_day = today - timedelta(days=60), today - timedelta(days=20), today + timedelta(days=21)
    kickoff, _ = Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 1: Fælles vision",
        defaults={"starts_at": at(kickoff_day, 9), "ends_at": at(kickoff_day, 12), "place": "Fredericia Jobcenter",
                  "agenda": "Velkomst\nHvorfor fleksjob?\nVores vision", "minutes": "Visionen blev vedtaget."},
    )
    second, _ = Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 2: Løsninger",
        defaults={"starts_at": at(second_day, 9), "ends_at": at(second_day, 12), "place": "Lillebælt Byg",
                  "agenda": "Idéer til løsninger\nPrioritering", "minutes": "Fire løsninger blev prioriteret."},
    )
    Workshop.objects.get_or_create(
        task_force=task_force, title="Workshop 3: Handlingsplan",
        defaults={"starts_at": at(next_day, 9), "ends_at": at(next_day, 12), "place": "Kanalbyens Café",
                  "agenda": "Status på handlinger\nNye tilsagn"},
    )
    for workshop in (kickoff, second):
        for m in members:
            Attendance.objects.get_or_create(workshop=workshop, member=m, defaults={"registered": True, "attended": True})

    if not task_force.vision_versions.exists():
        VisionVersion.objects.create(task_force=task_force, author=facilitator, text=VISION.split(" Virksomheder")[0])
        VisionVersion.objects.create(task_force=task_force, author=lead, text=VISION, adopted=True,
                                     adopted_at_workshop=kickoff, adopted_on=kickoff_day)

    solutions = []
    for i, (title, description, problem, _scores) in enumerate(SOLUTIONS):
        solution, _ = Solution.objects.get_or_create(
            task_force=task_force, title=title,
            defaults={"description": description, "problem": problem, "proposed_by": members[i % 3]},
        )
        solutions.append(solution)
    closed, created = RankingRound.objects.get_or_create(
        task_force=task_force, title="Runde 1", defaults={"dot_budget": 5, "status": RankingRound.Status.CLOSED,
                                                          "closed_at": timezone.now()},
    )
    if created:
        for m_index, m in enumerate((lead, cafe, laundry, staff)):
            for s_index, (solution, spec) in enumerate(zip(solutions, SOLUTIONS)):
                impact, effort = spec[3]
                Score.objects.create(round=closed, member=m, solution=solution, impact=impact, effort=effort,
                                     dots=[3, 1, 1, 0][s_index] if m_index % 2 == 0 else [2, 2, 1, 0][s_index])

    # An open round, so the demo's leader can score solutions straight away.
    if not task_force.rounds.filter(status=RankingRound.Status.OPEN).exists():
        RankingRound.objects.get_or_create(task_force=task_force, title="Runde 2", defaults={"dot_budget": 5})

    action, _ = Action.objects.get_or_create(
        task_force=task_force, title="Mini-fleksjob i tre små virksomheder",
        defaults={"solution": solutions[0], "owner": cafe, "due_date": today + timedelta(days=45),
                  "status": Action.Status.IN_PROGRESS},
    )
    contact, _ = Action.objects.get_or_create(
        task_force=task_force, title="Én indgang til jobcentret",
        defaults={"solution": solutions[1], "owner": staff, "due_date": today - timedelta(days=5),
                  "status": Action.Status.IN_PROGRESS, "progress": 60},
    )
    Action.objects.get_or_create(
        task_force=task_force, title="Mentornetværk for ledere",
        defaults={"solution": solutions[2], "owner": lead, "due_date": today + timedelta(days=90)},
    )
    Contribution.objects.get_or_create(action=action, member=cafe, kind=Contribution.Kind.POSITIONS,
                                       defaults={"description": "2 mini-fleksjob i vores køkken"})
    Contribution.objects.get_or_create(action=action, member=lead, kind=Contribution.Kind.COMPETENCE,
                                       defaults={"description": "Mentortimer: en time om ugen til nye fleksjobbere"})
    Contribution.objects.get_or_create(action=contact, member=staff, kind=Contribution.Kind.RESOURCE,
                                       defaults={"description": "En fast virksomhedskonsulent pr. virksomhed"})
    if not Pledge.objects.filter(action=action).exists():
        opening = Opening.objects.create(
            employer=employers[2], title="Mini-fleksjob i køkkenet", tasks="", hours_min=4, hours_max=8,
            positions=2, from_task_force=True, is_open=True,
        )
        opening.catalogue_tasks.set(JobTask.objects.filter(name__in=["Let køkkenarbejde", "Let rengøring"]))
        Pledge.objects.create(action=action, member=cafe, opening=opening)
        # One of the café's flex jobs filled the pledged opening.
        filled = Placement.objects.filter(employer=employers[2], kind=Placement.Kind.FLEXJOB).order_by("-start_date").first()
        if filled:
            Placement.objects.filter(pk=filled.pk).update(opening=opening)
    return task_force
