"""The demo follows the time line of real use (issue 10, point 14): nothing happened after
now, a citizen is registered before they are placed, solutions are proposed before they are
ranked, a vision is written before it is adopted, an action comes after the ranking it
comes from, a snapshot is stored after its day ends … on any day of the year the seed runs."""

from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from citizens.models import CaseNote, Citizen
from courses.models import Course, Enrolment
from employers.models import Employer, Opening
from placements.models import FollowUp, Placement
from progress.models import Snapshot
from worklist.models import ReminderRun
from workspace.models import (
    Action,
    Attendance,
    Comment,
    Contribution,
    Invitation,
    MeetingRequest,
    Member,
    Pledge,
    RankingRound,
    Solution,
    TaskForce,
    VisionVersion,
)

from .test_seed_demo import seed

# Dates and moments of what is planned, not of what has happened: they may lie ahead.
PLANNED = {
    ("workspace", "workshop", "starts_at"), ("workspace", "workshop", "ends_at"),
    ("workspace", "action", "due_date"),
    ("placements", "placement", "start_date"), ("placements", "placement", "end_date"),
    ("placements", "followup", "due_on"),
    ("notifications", "notification", "due_on"),
    ("courses", "course", "start_date"), ("courses", "course", "end_date"),
    ("progress", "target", "period_start"), ("progress", "target", "period_end"),
    ("worklist", "mark", "due_on"), ("worklist", "mark", "until"),
    ("outbox", "outboxmail", "next_attempt_at"),
    ("axes", "accessattemptexpiration", "expires_at"),
}


def local(moment):
    return timezone.localtime(moment).date()


class Timeline:
    """Collects every contradiction found, to report them all at once."""

    def __init__(self, now):
        self.now, self.today = now, local(now)
        self.found = []

    def before(self, first, then, what):
        """`first` happened no later than `then` (None: did not happen, nothing to check)."""
        if first is None or then is None:
            return
        if isinstance(first, datetime) != isinstance(then, datetime):
            first, then = (local(v) if isinstance(v, datetime) else v for v in (first, then))
        if first > then:
            self.found.append(f"{what}: {first} is after {then}")


def nothing_after_now(t):
    """Every moment and every date of something that happened lies no later than now (today)."""
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields
            if isinstance(f, models.DateField) and (model._meta.app_label, model._meta.model_name, f.name) not in PLANNED
        ]
        if not fields:
            continue
        for row in model.objects.values("pk", *(f.name for f in fields)):
            for f in fields:
                limit = t.now if isinstance(f, models.DateTimeField) else t.today
                t.before(row[f.name], limit, f"{model._meta.label}.{f.name} of #{row['pk']}")
        if {"created_at", "updated_at"} <= {f.name for f in fields}:
            for row in model.objects.values("pk", "created_at", "updated_at"):
                t.before(row["created_at"], row["updated_at"], f"{model._meta.label} #{row['pk']} changed before created")


def casework_in_order(t):
    for citizen in Citizen.objects.prefetch_related("placements__follow_ups"):
        placements = list(citizen.placements.all())
        t.before(citizen.birth_date, citizen.unemployed_since, f"citizen #{citizen.pk} unemployed before birth")
        t.before(citizen.created_at, citizen.last_contact_on, f"citizen #{citizen.pk} in contact before registered")
        if placements:
            first = min(p.start_date for p in placements)
            t.before(citizen.unemployed_since, first, f"citizen #{citizen.pk} unemployed since after being hired")
        flex_jobs = [p.start_date for p in placements if p.kind == Placement.Kind.FLEXJOB]
        if flex_jobs:
            t.before(citizen.flexjob_approved_on, min(flex_jobs), f"citizen #{citizen.pk} in a flex job before approved")
        for placement in placements:
            what = f"placement #{placement.pk}"
            t.before(citizen.created_at, placement.created_at, f"{what} registered before its citizen")
            for follow_up in placement.follow_ups.all():
                t.before(placement.created_at, follow_up.created_at, f"follow-up #{follow_up.pk} planned before its placement")
                if follow_up.done_on is None:
                    continue
                t.before(placement.start_date, follow_up.done_on, f"follow-up #{follow_up.pk} done before the job began")
                t.before(follow_up.done_on, citizen.last_contact_on, f"citizen #{citizen.pk}'s last contact before a follow-up")
                if follow_up.outcome == FollowUp.Outcome.STILL_EMPLOYED:
                    t.before(follow_up.done_on, placement.end_date, f"follow-up #{follow_up.pk} 'still employed' after the end")
    for placement in Placement.objects.select_related("employer", "created_by", "opening"):
        what = f"placement #{placement.pk}"
        t.before(placement.employer.created_at, placement.created_at, f"{what} registered before its employer")
        if placement.created_by:
            t.before(placement.created_by.date_joined, placement.created_at, f"{what} registered before its user joined")
        if placement.opening:
            t.before(placement.opening.created_at, placement.updated_at, f"{what} linked to an opening not yet made")
            t.before(placement.opening.created_at, placement.start_date, f"{what} filled an opening made after it began")
    for opening in Opening.objects.select_related("employer"):
        t.before(opening.employer.created_at, opening.created_at, f"opening #{opening.pk} before its employer")
    for note in CaseNote.objects.select_related("citizen"):
        t.before(note.citizen.created_at, note.created_at, f"case note #{note.pk} before its citizen")


def courses_in_order(t):
    for course in Course.objects.all():
        t.before(course.created_at, course.start_date, f"course #{course.pk} began before it was created")
        t.before(course.start_date, course.end_date, f"course #{course.pk} ends before it begins")
    for enrolment in Enrolment.objects.select_related("course", "citizen"):
        what = f"enrolment #{enrolment.pk}"
        t.before(enrolment.course.created_at, enrolment.enrolled_on, f"{what} before its course was created")
        t.before(enrolment.citizen.created_at, enrolment.enrolled_on, f"{what} before its citizen was registered")
        t.before(enrolment.enrolled_on, enrolment.course.start_date, f"{what} after the course began")
        employers = enrolment.course.employers.all()
        for placement in Placement.objects.filter(citizen=enrolment.citizen, employer__in=employers):
            t.before(enrolment.course.end_date, placement.start_date, f"{what}: hired before the course ended")


def task_force_in_order(t):
    for task_force in TaskForce.objects.all():
        for member in Member.objects.filter(task_force=task_force).select_related("user"):
            t.before(task_force.created_at, member.joined_at, f"member #{member.pk} joined before the task force began")
            t.before(member.user.date_joined, member.joined_at, f"member #{member.pk} joined before their user existed")
    for attendance in Attendance.objects.filter(attended=True).select_related("workshop", "member"):
        t.before(attendance.member.joined_at, attendance.workshop.starts_at, f"attendance #{attendance.pk} before joining")
        t.before(attendance.workshop.starts_at, t.now, f"attendance #{attendance.pk} at a workshop not yet begun")
    for version in VisionVersion.objects.select_related("author", "adopted_at_workshop"):
        what = f"vision version #{version.pk}"
        t.before(version.author.joined_at, version.created_at, f"{what} written before its author joined")
        if version.adopted:
            t.before(version.created_at, version.adopted_on, f"{what} written after it was adopted")
            if version.adopted_at_workshop:
                workshop_day = local(version.adopted_at_workshop.starts_at)
                if workshop_day != version.adopted_on:
                    t.found.append(f"{what} adopted on {version.adopted_on}, at a workshop on {workshop_day}")
    for solution in Solution.objects.select_related("proposed_by", "task_force"):
        t.before(solution.proposed_by.joined_at, solution.created_at, f"solution #{solution.pk} proposed before joining")
        t.before(solution.task_force.created_at, solution.created_at, f"solution #{solution.pk} before its task force")
    rounds = list(RankingRound.objects.order_by("opened_at"))
    for ranking in rounds:
        what = f"round #{ranking.pk}"
        t.before(ranking.opened_at, ranking.closed_at, f"{what} closed before it opened")
        if ranking.is_open:
            for other in rounds:
                if other.task_force_id == ranking.task_force_id and not other.is_open:
                    t.before(other.closed_at, ranking.opened_at, f"{what} opened while round #{other.pk} was open")
        for score in ranking.scores.select_related("solution", "member"):
            t.before(score.solution.created_at, ranking.closed_at, f"solution #{score.solution_id} ranked before proposed")
            t.before(score.member.joined_at, ranking.closed_at, f"score #{score.pk} by a member not yet joined")
    for action in Action.objects.select_related("solution", "owner"):
        what = f"action #{action.pk}"
        t.before(action.owner.joined_at if action.owner else None, action.created_at, f"{what} owned before joining")
        if action.solution:
            t.before(action.solution.created_at, action.created_at, f"{what} made before its solution was proposed")
            for ranking in rounds:
                if not ranking.is_open and ranking.scores.filter(solution=action.solution).exists():
                    t.before(ranking.closed_at, action.created_at, f"{what} made before its solution was ranked")
    for contribution in Contribution.objects.select_related("action", "member"):
        t.before(contribution.action.created_at, contribution.created_at, f"contribution #{contribution.pk} before its action")
        t.before(contribution.member.joined_at, contribution.created_at, f"contribution #{contribution.pk} before joining")
    for pledge in Pledge.objects.select_related("action", "member", "opening"):
        what = f"pledge #{pledge.pk}"
        t.before(pledge.action.created_at, pledge.created_at, f"{what} before its action")
        t.before(pledge.member.joined_at, pledge.created_at, f"{what} before joining")
        if pledge.opening:
            t.before(pledge.opening.created_at, pledge.created_at, f"{what} before its opening")
    for comment in Comment.objects.select_related("solution", "author"):
        t.before(comment.solution.created_at, comment.created_at, f"comment #{comment.pk} before its solution")
        t.before(comment.author.joined_at, comment.created_at, f"comment #{comment.pk} before joining")
    for invitation in Invitation.objects.all():
        t.before(invitation.created_at, invitation.approved_at, f"invitation #{invitation.pk} approved before made")
        t.before(invitation.approved_at, invitation.accepted_at, f"invitation #{invitation.pk} accepted before sent")
    for request in MeetingRequest.objects.select_related("member", "citizen"):
        t.before(request.member.joined_at, request.created_at, f"meeting request #{request.pk} before joining")
        t.before(request.citizen.created_at, request.created_at, f"meeting request #{request.pk} before its citizen")


def nightly_jobs_in_order(t):
    for snapshot in Snapshot.objects.all():
        if local(snapshot.created_at) <= snapshot.day:
            t.found.append(f"snapshot #{snapshot.pk} of {snapshot.day} stored on {local(snapshot.created_at)}, before the day ended")
    for run in ReminderRun.objects.all():
        t.before(run.day, run.ran_at, f"reminder run #{run.pk} ran before its day")


# January and March: the demo's year is last year; 1 April and December: this year.
DAYS = {"15 january": (1, 15), "31 march": (3, 31), "1 april": (4, 1), "1 december": (12, 1)}


@pytest.mark.parametrize("day", DAYS)
def test_every_demo_date_follows_the_time_line_of_real_use(db, settings, monkeypatch, day):
    settings.DEBUG = True
    today = date(timezone.localdate().year, *DAYS[day])
    now = datetime.combine(today, time(10, 30), tzinfo=timezone.get_current_timezone())
    # The clock itself: timezone.localdate() and every auto_now_add column follow it.
    monkeypatch.setattr(timezone, "now", lambda: now)
    seed()
    assert timezone.localdate() == today
    t = Timeline(now)
    nothing_after_now(t)
    casework_in_order(t)
    courses_in_order(t)
    task_force_in_order(t)
    nightly_jobs_in_order(t)
    assert t.found == []
    # The checks had something to check.
    assert Snapshot.objects.exists() and FollowUp.objects.filter(done_on__isnull=False).exists()
    assert RankingRound.objects.filter(status=RankingRound.Status.CLOSED).exists() and Pledge.objects.exists()
    assert Employer.objects.exists() and Enrolment.objects.exists()


def test_the_time_line_check_finds_what_the_issue_found(db, settings, monkeypatch):
    """Solutions proposed after they were ranked, a vision written after it was adopted."""
    settings.DEBUG = True
    now = datetime.combine(date(timezone.localdate().year, 12, 1), time(10, 30), tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: now)
    seed()
    Solution.objects.update(created_at=now)
    VisionVersion.objects.filter(adopted=True).update(created_at=now)
    t = Timeline(now)
    task_force_in_order(t)
    assert any("ranked before proposed" in found for found in t.found)
    assert any("written after it was adopted" in found for found in t.found)
