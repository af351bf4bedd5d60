"""`manage.py seed_demo`: the demo users and data that reproduce SPEC.md's two real cases.

Fredericia (607): target 164 new flex jobs in the demo's year (`demo_year`: the latest
calendar year whose 1 April has passed, so 1 April's figures are there on every day of the
year); 50 by 1 April, 39 of them private; more after, up to today. Odense (461): 23 citizens in
mini flex jobs of 4–6 hours at OK-Fonden's care homes Gurli-Vibeke and Dyruphus, after a
course with a job promise (25 enrolled → 23 completed → 23 hired). Fredericia's task force
gets a vision, ranked solutions and an action plan (workspace.demo). Each demo consultant's
worklist holds follow-ups done, a few overdue and one due this week, a placement ending soon,
citizens with no contact for long, and (in Fredericia) a leader's wish to meet a candidate.
Everything is keyed on natural keys, so running it twice changes nothing.

The data follows the time line of real use: the jobcenter took the system into use the
autumn before the demo's year (`launch`), when its users and employers were registered; a
citizen is registered before their placements, unemployed before and approved for flex job
before they are hired; a placement is registered the week before it starts, its follow-ups
with it, and done after they fall due; a course's participants enrol before it starts; the
nightly snapshots are stored in the night after their day. Rows get those moments (their
auto_now_add columns set after creation), never one after the demo's now.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr

from accounts.models import Membership, Municipality, Role
from citizens.models import Citizen
from courses.models import Course, Enrolment
from employers.models import Employer, Opening
from placements.models import FollowUp, Placement
from placements.signals import placements_changed_send
from placements.services import citizens_status_refresh, followups_schedule
from progress.models import Snapshot, Target
from progress.services import snapshots_take
from workspace.access import candidates_for_task_force
from workspace.demo import demo_now, moment, seed_task_force, task_force_days
from worklist.services import reminders_send
from workspace.models import MeetingRequest, Member

# Fredericia's flex jobs after 1 April, up to today (fewer while there are fewer days since).
LATER_FLEX_JOBS = 24

PASSWORD = "taskforce-demo"

FIRST_NAMES = [
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise", "Charlotte", "Maria",
    "Peter", "Michael", "Lars", "Thomas", "Henrik", "Søren", "Jens", "Martin", "Jesper", "Niels",
    "Kirsten", "Pia", "Tina", "Helle", "Karen", "Rasmus", "Anders", "Morten", "Jan", "Ole",
]
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen",
]

FREDERICIA_EMPLOYERS = [
    # name, sector, social-economic, size, industry
    ("Lillebælt Byg ApS", "private", False, "small", "Byggeri"),
    ("Fredericia Maskinfabrik A/S", "private", False, "medium", "Industri"),
    ("Kanalbyens Café", "private", False, "micro", "Restauration"),
    ("Vestervold Vaskeri ApS", "private", False, "small", "Service"),
    ("Trekantens Logistik A/S", "private", False, "large", "Transport"),
    ("Madsens Købmandsgård", "private", False, "micro", "Detailhandel"),
    ("Det Grønne Værksted", "private", True, "small", "Genbrug"),
    ("Fredericia Kommune, Ældreplejen", "public", False, "large", "Pleje"),
    ("Fredericia Kommune, Teknik og Miljø", "public", False, "large", "Offentlig administration"),
]
ODENSE_EMPLOYERS = [
    ("OK-Fonden, plejehjemmet Gurli-Vibeke", "private", True, "medium", "Pleje"),
    ("OK-Fonden, plejehjemmet Dyruphus", "private", True, "medium", "Pleje"),
]
FLEXJOB_HOURS = [4, 6, 8, 10, 12, 15, 20, 25]
MINI_TASKS = [
    "Let køkkenarbejde", "Vasketøj", "Let rengøring", "Pedelopgaver", "Administration",
    "Aktiviteter med beboerne",
]


def demo_year(today):
    """The year of the demo's targets: the latest calendar year whose 1 April has passed (on
    1 April itself, that year), so its figures as of 1 April are always there to show."""
    return today.year if today >= date(today.year, 4, 1) else today.year - 1


def valid_cvr(seed):
    """The first modulus-11-valid 8-digit CVR number at or after 7 digits of `seed`."""
    base = 30000000 + seed * 1009
    while stdnum_cvr.checksum(str(base)) != 0:
        base += 1
    return str(base)


def demo_cpr(rng, used):
    while True:
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
        sequence = rng.randrange(1000, 3999)  # 7th digit 1–3: born 1900–1999
        number = f"{birth:%d%m%y}{sequence:04d}"
        if number not in used and birth.year < 2000:
            used.add(number)
            return number


class Command(BaseCommand):
    help = "Create the demo users and data (idempotent). For DEBUG/demo use only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with a known password: DEBUG only (or --force).")
        with transaction.atomic():
            self.seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def seed(self):
        today = timezone.localdate()
        self.today = today
        self.now = now = demo_now(today)
        year = demo_year(today)
        # The jobcenter took the system into use the autumn before: its users and employers
        # were registered then, its citizens then or when they were approved for a flex job.
        self.launch = launch = date(year - 1, 10, 1)
        fredericia, _ = Municipality.objects.get_or_create(code=607, defaults={"name": "Fredericia"})
        odense, _ = Municipality.objects.get_or_create(code=461, defaults={"name": "Odense"})

        konsulent = self.user("konsulent", "Karin", "Holm", [(fredericia, Role.CONSULTANT)])
        konsulent_odense = self.user("konsulent-odense", "Ole", "Bach", [(odense, Role.CONSULTANT)])
        leder = self.user("leder", "Lise", "Lund", [(fredericia, Role.LEADER)])
        self.user("chef", "Charlotte", "Friis", [(fredericia, Role.MANAGER)])
        self.user("admin", "Ada", "Admin", [(fredericia, Role.ADMIN), (odense, Role.ADMIN)], superuser=True)

        Target.objects.get_or_create(
            municipality=fredericia,
            title=f"Nye fleksjob {year}",
            defaults={"number": 164, "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)},
        )
        Target.objects.get_or_create(
            municipality=odense,
            title=f"Nye fleksjob {year}",
            defaults={"number": 120, "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)},
        )

        rng = random.Random(607)
        used_cpr = set()
        f_employers = [self.employer(fredericia, i, *spec) for i, spec in enumerate(FREDERICIA_EMPLOYERS)]
        f_employers[0].leaders.add(leder)
        self.opening(
            f_employers[2], "Køkkenhjælp", launch + timedelta(days=30),
            tasks="Let køkkenarbejde", hours_min=5, hours_max=12, positions=1,
        )
        private = [e for e in f_employers if e.sector == "private"]
        public = [e for e in f_employers if e.sector == "public"]
        cafe = f_employers[2]

        april_1 = date(year, 4, 1)
        # 50 new flex jobs from 1 January to 1 April: 39 private, 11 public. The first and
        # last fall on the period's first day and on 1 April itself.
        spring = [date(year, 1, 1) + timedelta(days=round(i * 90 / 49)) for i in range(50)]
        spring[-1] = april_1
        employers_spring = [private[i % len(private)] for i in range(39)] + [public[i % len(public)] for i in range(11)]
        rng.shuffle(employers_spring)
        # More after 1 April, up to today: the latest LATER_FLEX_JOBS slots, spread over the days
        # since (all of them from the 24th day on). The latest is at the café, after its pledge
        # (workspace.demo), which it fills. Every slot draws its citizen, placed or not, so a
        # run on a later day draws the same citizens and only adds the slots it now has days for.
        later_days = (today - april_1).days
        placed_later = min(LATER_FLEX_JOBS, later_days)
        later = [None] * (LATER_FLEX_JOBS - placed_later) + [
            april_1 + timedelta(days=1 + (k * later_days) // placed_later) for k in range(placed_later)
        ]

        for i, start in enumerate(spring + later):
            if start is None:
                self.draw_citizen(rng, used_cpr)
                rng.choice(FLEXJOB_HOURS)
                continue
            citizen = self.citizen(fredericia, rng, used_cpr, konsulent, start, i)
            if i < 50:
                employer = employers_spring[i]
            elif i == 50 + LATER_FLEX_JOBS - 1:
                employer = cafe
            else:
                employer = f_employers[i % len(f_employers)]
            hours = Decimal(rng.choice(FLEXJOB_HOURS))
            ended = start + timedelta(days=120) if i % 9 == 0 and start + timedelta(days=120) < today else None
            self.placement(
                konsulent, citizen, employer, Placement.Kind.FLEXJOB, hours, start, ended,
                first_flexjob=i % 3 == 0, retention_flexjob=i % 10 == 4,
            )
            if citizen.status != Citizen.Status.PLACED and ended is None:
                Citizen.objects.filter(pk=citizen.pk).update(status=Citizen.Status.PLACED)
        # Not counted: internships and ordinary jobs in the year, a flex job the year before.
        for j in range(6):
            kind = Placement.Kind.INTERNSHIP if j % 2 else Placement.Kind.ORDINARY_JOB
            start = date(year, 2, 1 + j)
            citizen = self.citizen(fredericia, rng, used_cpr, konsulent, start, 100 + j)
            # One internship's period ends in three weeks: the worklist's "ending soon".
            end = today + timedelta(days=20) if j == 1 else None
            self.placement(konsulent, citizen, private[j % len(private)], kind, Decimal(15), start, end,
                           end_reason=Placement.EndReason.PERIOD_ENDED)
        start = date(year - 1, 11, 3)
        citizen = self.citizen(fredericia, rng, used_cpr, konsulent, start, 200)
        self.placement(konsulent, citizen, private[0], Placement.Kind.FLEXJOB, Decimal(12), start, None)
        # Citizens still looking: the consultant's open caseload.
        caseload = [self.citizen(fredericia, rng, used_cpr, konsulent, today, 300 + k) for k in range(12)]

        # Odense: 25 on OK-Fonden's course, 23 completed and hired in mini flex jobs of 4–6 hours
        # on 1 March of the demo's year, the course the ten weeks before, enrolled two weeks
        # before it began.
        hired_on = date(year, 3, 1)
        course_start = hired_on - timedelta(weeks=10)
        enrolled_on = course_start - timedelta(days=14)
        planned_on = enrolled_on - timedelta(days=14)
        o_employers = [self.employer(odense, 20 + i, *spec) for i, spec in enumerate(ODENSE_EMPLOYERS)]
        for employer in o_employers:
            self.opening(
                employer, "Mini-fleksjob i plejehjemmets drift", planned_on,
                tasks="\n".join(MINI_TASKS), hours_min=4, hours_max=6, positions=12,
            )
        course, created = Course.objects.get_or_create(
            municipality=odense,
            title="Jobforløb med jobløfte hos OK-Fonden",
            defaults={
                "description": "Oplæring i køkken, vaskeri, rengøring, pedelopgaver, administration og aktiviteter med beboerne.",
                "start_date": course_start,
                "end_date": hired_on - timedelta(days=1),
                "job_promise": True,
            },
        )
        if created:
            Course.objects.filter(pk=course.pk).update(created_at=moment(planned_on, 10, now))
        course.employers.add(*o_employers)
        dropped, enrolled = [], []
        for n in range(25):
            citizen = self.citizen(odense, rng, used_cpr, konsulent_odense, hired_on, 400 + n, long_term=True)
            if n >= 23:
                dropped.append(citizen)
            enrolment, created = Enrolment.objects.get_or_create(
                course=course,
                citizen=citizen,
                defaults={"status": Enrolment.Status.COMPLETED if n < 23 else Enrolment.Status.DROPPED},
            )
            if created:
                enrolled.append(enrolment.pk)
            if n < 23:
                self.placement(
                    konsulent_odense, citizen, o_employers[n % 2], Placement.Kind.FLEXJOB,
                    Decimal(4 + n % 3), hired_on, None, first_flexjob=True,
                )
                Citizen.objects.filter(pk=citizen.pk).update(status=Citizen.Status.PLACED)
        Enrolment.objects.filter(pk__in=enrolled).update(enrolled_on=enrolled_on)

        seed_task_force(municipality=fredericia, leader=leder, consultant=konsulent, today=today, now=now)
        # The leader's pledge of positions, made once the task force had begun.
        self.opening(
            f_employers[0], "Mini-fleksjob som pedelmedhjælper", task_force_days(today).kickoff + timedelta(days=1),
            tasks="Pedelopgaver\nLet rengøring", hours_min=4, hours_max=8, positions=2, from_task_force=True,
        )

        # The daily loop: statuses from the placements, then each consultant's worklist.
        citizens_status_refresh(on=today)
        for municipality, consultant, employer, newcomer in (
            (fredericia, konsulent, private[1], caseload[-1]),
            (odense, konsulent_odense, o_employers[0], dropped[-1]),
        ):
            self.worklist(municipality, consultant, employer, newcomer, today)
        self.meeting_request(fredericia, leder, today)
        # This morning's reminders, so the bell shows what is due (once a day, as at night).
        reminders_send(as_of=today)
        # The nightly snapshots of the demo's year so far (each month's last day, and yesterday),
        # so the dashboard shows how the figures developed; each stored in the night after its day.
        days = []
        month_end = date(year, 1, 31)
        while month_end < today and month_end.year == year:
            days.append(month_end)
            month_end = (month_end + timedelta(days=1) + relativedelta(months=1)) - timedelta(days=1)
        yesterday = today - timedelta(days=1)
        if yesterday.year == year and yesterday not in days:
            days.append(yesterday)
        for day in days:
            snapshots_take(as_of=day)
            night = moment(day + timedelta(days=1), 1, now)
            Snapshot.objects.filter(day=day, created_at__gt=night).update(created_at=night)

    def user(self, username, first, last, memberships, superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.dk",
                      "is_staff": superuser, "is_superuser": superuser,
                      "date_joined": moment(self.launch, 8, self.now)},
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        for municipality, role in memberships:
            Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        return user

    def employer(self, municipality, seed, name, sector, social_economic, size, industry):
        employer, created = Employer.objects.get_or_create(
            municipality=municipality,
            cvr=valid_cvr(seed + municipality.code),
            defaults={"name": name, "sector": sector, "social_economic": social_economic, "size": size,
                      "industry": industry, "address": f"{municipality.name}"},
        )
        if created:
            registered = moment(self.launch, 9, self.now)
            Employer.objects.filter(pk=employer.pk).update(created_at=registered, updated_at=registered)
        return employer

    def opening(self, employer, title, on, **fields):
        opening, created = Opening.objects.get_or_create(employer=employer, title=title, defaults=fields)
        if created:
            Opening.objects.filter(pk=opening.pk).update(created_at=moment(on, 10, self.now))
        return opening

    @staticmethod
    def draw_citizen(rng, used_cpr, long_term=None):
        """A citizen's random draws: CPR number, months unemployed, weekly hours."""
        number = demo_cpr(rng, used_cpr)
        months = rng.choice([6, 14, 18, 26, 40, 60, 96]) if long_term is None else rng.choice([14, 26, 60, 96])
        weekly_hours = Decimal(rng.choice([4, 6, 8, 10, 15, 20]))
        return number, months, weekly_hours

    def citizen(self, municipality, rng, used_cpr, consultant, unemployed_on, index, long_term=None):
        """A citizen unemployed for some months on `unemployed_on` (the day they are hired, or
        today for those still looking), approved for flex job three months after becoming
        unemployed, and registered then (or when the system was taken into use)."""
        # Every random draw happens before the existence check, so a second run draws the same.
        number, months, weekly_hours = self.draw_citizen(rng, used_cpr, long_term)
        existing = Citizen.objects.filter(municipality=municipality).with_cpr(number).first()
        if existing:
            return existing
        approved_on = unemployed_on - timedelta(days=30 * max(months - 3, 1))
        citizen = Citizen(
            municipality=municipality,
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(index * 7 + municipality.code) % len(LAST_NAMES)],
            phone=f"20{index:06d}"[:8],
            unemployed_since=unemployed_on - timedelta(days=30 * months),
            flexjob_approved_on=approved_on,
            weekly_hours=weekly_hours,
            competences="Omhyggelig, god til praktiske opgaver",
            wishes="Arbejde med mennesker, faste rammer",
            consent_to_share_profile=index % 2 == 0,
            consultant=consultant,
            # In touch lately (registration sets it, as citizens.services does); worklist() makes
            # two of them long silent.
            last_contact_on=self.today - timedelta(days=12),
        )
        citizen.set_cpr(number)
        citizen.save()
        citizen.created_at = citizen.updated_at = moment(max(approved_on, self.launch), 9, self.now)
        Citizen.objects.filter(pk=citizen.pk).update(created_at=citizen.created_at, updated_at=citizen.updated_at)
        return citizen

    def placement(self, user, citizen, employer, kind, hours, start, end, end_reason=Placement.EndReason.RESIGNED, **flags):
        """A placement registered the week before it starts (its follow-ups planned with it),
        and its end, if it has ended, on the day it ended."""
        # Keyed on the citizen and the kind (a demo citizen has one placement of a kind), not on
        # the start date: dates after 1 April depend on today, and a second run on a later day
        # must not add an overlapping placement for the same citizen.
        if Placement.objects.filter(citizen=citizen, kind=kind).exists():
            return
        placement = Placement(
            municipality_id=citizen.municipality_id, citizen=citizen, employer=employer, kind=kind, hours_per_week=hours, start_date=start,
            end_date=end, end_reason=end_reason if end else "", created_by=user, **flags,
        )
        placement.in_target_group = citizen.is_in_target_group(start)
        placement.save()
        placements_changed_send(municipality_id=placement.municipality_id, days={start}, employer_ids={employer.pk})
        followups_schedule(placement=placement)
        registered = max(moment(start - timedelta(days=7), 10, self.now), citizen.created_at)
        changed = moment(end, 10, self.now) if end and end <= self.today else registered
        Placement.objects.filter(pk=placement.pk).update(created_at=registered, updated_at=max(registered, changed))
        FollowUp.objects.filter(placement=placement).update(created_at=registered)

    def worklist(self, municipality, consultant, employer, newcomer, today):
        """A consultant's day: the follow-ups already due are done (two days after their due
        date, the citizen still employed), except the three latest, which are overdue (one at
        least is done); an internship that started a month before a day of this week (today
        up to Sunday) has its first follow-up due then; two citizens in the target group have
        had no contact for long."""
        due_this_week = today + timedelta(days=min(3, 6 - today.weekday()))
        start = due_this_week - relativedelta(months=1)
        self.placement(consultant, newcomer, employer, Placement.Kind.INTERNSHIP, Decimal(10), start, None)
        citizens_status_refresh(on=today, citizen_ids=[newcomer.pk])

        past_due = FollowUp.objects.filter(
            placement__citizen__consultant=consultant, placement__citizen__municipality=municipality,
            due_on__lt=today,
        ).order_by("-due_on", "-pk")
        keys = list(past_due.values_list("pk", flat=True))
        left_open = keys[:min(3, len(keys) - 1)]
        for follow_up in past_due.filter(done_on__isnull=True).exclude(pk__in=left_open).select_related("placement"):
            done_on = min(follow_up.due_on + timedelta(days=2), today)
            FollowUp.objects.filter(pk=follow_up.pk).update(
                done_on=done_on, outcome=FollowUp.Outcome.STILL_EMPLOYED, note="Alt går godt på arbejdspladsen.",
                done_by=consultant,
            )
            Citizen.objects.filter(pk=follow_up.placement.citizen_id, last_contact_on__lt=done_on).update(
                last_contact_on=done_on
            )
        # The others were in touch lately; two job-seeking citizens in the target group not since
        # spring: two never placed, so no follow-up has reached them since.
        job_seeking = (
            Citizen.objects.job_seeking().filter(municipality=municipality, consultant=consultant)
            .in_target_group(today).filter(placements__isnull=True).order_by("pk")
        )
        silent = list(job_seeking.values_list("pk", flat=True)[:2])
        Citizen.objects.filter(pk__in=silent).update(last_contact_on=today - timedelta(days=150))
        Citizen.objects.filter(municipality=municipality, consultant=consultant).exclude(pk__in=silent).filter(
            last_contact_on__gt=today - timedelta(days=150), last_contact_on__lt=today - timedelta(days=30)
        ).update(last_contact_on=today - timedelta(days=12))

    def meeting_request(self, municipality, leader, today):
        """The leader has asked to meet one of the consultant's candidates."""
        member = Member.objects.filter(task_force__municipality=municipality, user=leader).select_related(
            "task_force"
        ).first()
        if member is None or MeetingRequest.objects.filter(member=member).exists():
            return
        citizen = candidates_for_task_force(member.task_force).order_by("pk").first()
        if citizen is None:
            return
        request = MeetingRequest.objects.create(
            citizen=citizen, member=member,
            message="Vi har et mini-fleksjob i kantinen og vil gerne møde kandidaten.",
        )
        MeetingRequest.objects.filter(pk=request.pk).update(created_at=moment(today - timedelta(days=2), 13, self.now))
