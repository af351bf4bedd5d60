"""Factories for test records, in one place: valid CPR and CVR numbers, users with a role,
citizens, employers and placements, and the workspace's workshops, solutions, ranking
rounds, actions and pledges. Plain functions: a test calls them with what matters to it."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership
from citizens.models import Citizen
from employers.models import Employer
from placements.models import Placement
from placements.signals import placements_changed_send
from workspace import services as workspace_services
from workspace.models import Action, RankingRound, Solution, Workshop

# Valid CPR numbers (real birth dates, 7th digit fixes the century) and CVR numbers
# (modulus 11), generated on demand so tests never share one by accident.
_cpr_seq = count(1)
_cvr_seq = count(1)


def make_cpr(birth=None):
    """A valid CPR number, new on every call. The serial runs 1000–3999: a 7th digit of 1–3
    means the 1900s whatever the year, so `make_cpr("150385")` is born in 1985 (with 5–8 it
    would be 1885). The default birth day moves on after each 3,000."""
    n = next(_cpr_seq)
    if birth is None:
        birth = f"{1 + (n // 3000) % 28:02d}0190"
    return f"{birth}{1000 + n % 3000:04d}"


def make_cvr():
    from stdnum.dk import cvr as stdnum_cvr

    base = 20000000 + next(_cvr_seq) * 1013
    while stdnum_cvr.checksum(str(base)) != 0:
        base += 1
    return str(base)


def make_cpr_with_modulus11(birth="010190", passes=True):
    """A CPR number of that birth date that passes (or fails) the old modulus-11 check."""
    from citizens.cpr import cpr_passes_modulus11

    while True:
        number = make_cpr(birth)
        if cpr_passes_modulus11(number) == passes:
            return number


def make_user(username, municipality=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-123", **extra)
    if municipality is not None:
        Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


def make_citizen(municipality, *, cpr=None, consultant=None, **fields):
    citizen = Citizen(
        municipality=municipality,
        first_name=fields.pop("first_name", "Anne"),
        last_name=fields.pop("last_name", "Jensen"),
        consultant=consultant,
        **fields,
    )
    citizen.set_cpr(cpr or make_cpr())
    citizen.save()
    return citizen


def make_employer(municipality, **fields):
    defaults = {"name": "Lillebælt Byg ApS", "cvr": make_cvr(), "sector": Employer.Sector.PRIVATE}
    defaults.update(fields)
    return Employer.objects.create(municipality=municipality, **defaults)


def make_placement(citizen, employer, **fields):
    defaults = {
        "kind": Placement.Kind.FLEXJOB,
        "hours_per_week": Decimal("8"),
        "start_date": date(2026, 2, 1),
    }
    defaults.update(fields)
    placement = Placement(municipality_id=citizen.municipality_id, citizen=citizen, employer=employer, **defaults)
    placement.in_target_group = citizen.is_in_target_group(placement.start_date)
    placement.save()
    # As every writer of placements does: the kept figures count the day again.
    placements_changed_send(
        municipality_id=placement.municipality_id, days={placement.start_date}, employer_ids={placement.employer_id}
    )
    return placement


# --- The task-force workspace ---------------------------------------------------------------

def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def make_workshop(task_force, *, days_from_now=7, **fields):
    day = timezone.localdate() + timedelta(days=days_from_now)
    defaults = {"title": "Workshop om fleksjob", "starts_at": at(day, 9), "ends_at": at(day, 12), "place": "Jobcentret"}
    defaults.update(fields)
    return Workshop.objects.create(task_force=task_force, **defaults)


def make_solution(task_force, member, **fields):
    defaults = {"title": "Jobdeling i små virksomheder", "description": "Små virksomheder deler et job."}
    defaults.update(fields)
    return Solution.objects.create(task_force=task_force, proposed_by=member, **defaults)


def make_round(task_force, **fields):
    defaults = {"title": "Runde 1", "dot_budget": 5}
    defaults.update(fields)
    return RankingRound.objects.create(task_force=task_force, **defaults)


def make_action(task_force, owner, **fields):
    defaults = {"title": "Mini-fleksjob i tre små virksomheder", "due_date": timezone.localdate() + timedelta(days=30)}
    defaults.update(fields)
    return Action.objects.create(task_force=task_force, owner=owner, **defaults)


def make_pledge(action, member, positions, *, opened=True, filled=0, title="Køkken"):
    pledge = workspace_services.pledge_create(action=action, member=member, title=title, tasks="", hours_min=4, hours_max=8,
                                    positions=positions)
    if opened:
        workspace_services.pledge_open(pledge=pledge)
    for i in range(filled):
        make_placement(make_citizen(action.task_force.municipality, first_name=f"{title}{i}"), member.employer,
                       opening=pledge.opening)
    return pledge


# --- Records of the other apps, as the access matrix needs one of each ------------------------

def make_course(municipality, **fields):
    from courses.models import Course

    defaults = {"title": "Køkken med jobløfte", "start_date": timezone.localdate()}
    defaults.update(fields)
    return Course.objects.create(municipality=municipality, **defaults)


def make_target(municipality, **fields):
    """This calendar year's target of 164 new flex jobs."""
    from progress.models import Target

    year = timezone.localdate().year
    defaults = {"title": "Nye fleksjob", "number": 164, "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)}
    defaults.update(fields)
    return Target.objects.create(municipality=municipality, **defaults)


def make_invitation(task_force, invited_by, **fields):
    """An invitation as the members page makes it (a staff invitation from a consultant then
    waits for a manager's approval); its e-mail is not sent."""
    from workspace.models import Invitation

    defaults = {"email": "ny@example.dk", "first_name": "Ny", "last_name": "Leder"}
    defaults.update(fields)
    return workspace_services.invitation_create(
        invitation=Invitation(**defaults), task_force=task_force, invited_by=invited_by, base_url="http://testserver/"
    )
