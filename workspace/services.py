"""Workspace workflows (writes): invitations, the vision, workshops and their attendance,
ranking rounds, the action plan, pledges and requests to meet a candidate. Each is atomic;
state changes are conditional updates; e-mail is written to the outbox in the same
transaction (workspace.mails) and sent by its worker. Reads that build pages are in
selectors.py."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, Role
from notifications.models import Kind
from notifications.services import notifications_resolve
from employers.models import Opening

from . import mails
from .models import (
    Action,
    Attendance,
    Invitation,
    MeetingRequest,
    Member,
    Pledge,
    RankingRound,
    Score,
    TaskForce,
    VisionVersion,
)


# --- Members and invitations -------------------------------------------------------------

def invitation_create(*, invitation, task_force, invited_by, base_url, may_approve_staff=False):
    """Save the invitation. A staff invitation from someone who may not approve one waits for
    a manager or admin (`invitation_approve`); every other invitation is approved and sent at
    once. Its e-mail is queued in the outbox in the same transaction and sent by a worker, so
    the request does not wait for the mail server and no mail leaves for a rolled-back row."""
    with transaction.atomic():
        invitation.task_force, invitation.invited_by = task_force, invited_by
        if invitation.kind != Member.Kind.STAFF or may_approve_staff:
            invitation.approved_by, invitation.approved_at = invited_by, timezone.now()
        invitation.save()
        if invitation.approved_at:
            mails.invitation_mail_queue(invitation, base_url)
    return invitation


def invitation_approve(*, invitation, approver, base_url):
    """A manager or admin approves a staff invitation: it is queued for sending now, and
    valid from now."""
    with transaction.atomic():
        approved = Invitation.objects.filter(pk=invitation.pk, approved_at__isnull=True).update(
            approved_by=approver, approved_at=timezone.now()
        )
        if approved:
            invitation.refresh_from_db()
            mails.invitation_mail_queue(invitation, base_url)
    return bool(approved)


def invitation_withdraw(*, invitation):
    """Withdraw an invitation that has not been used: its link stops working. False if it
    was accepted meanwhile (nothing is withdrawn then)."""
    deleted, _by_model = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
    return bool(deleted)


def invitation_accept(*, invitation, username, password):
    """Create the user, their role in the municipality and their membership, once."""
    User = get_user_model()
    task_force = invitation.task_force
    try:
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, accepted_at__isnull=True, approved_at__isnull=False
            ).update(accepted_at=timezone.now())
            if claimed != 1:
                raise ValidationError(_("Invitationen er allerede brugt."))
            user = User.objects.create_user(
                username=username, password=password, email=invitation.email,
                first_name=invitation.first_name, last_name=invitation.last_name,
            )
            role = Role.LEADER if invitation.kind == Member.Kind.LEADER else Role.CONSULTANT
            if invitation.kind != Member.Kind.FACILITATOR:
                Membership.objects.get_or_create(user=user, municipality=task_force.municipality, role=role)
            member = Member.objects.create(
                task_force=task_force, user=user, kind=invitation.kind, employer=invitation.employer
            )
            if invitation.employer and invitation.kind == Member.Kind.LEADER:
                invitation.employer.leaders.add(user)
    except IntegrityError:
        # Someone took the username between the form's check and this insert; the
        # invitation's claim is rolled back with it, so the link still works.
        raise ValidationError(_("Brugernavnet er optaget. Vælg et andet.")) from None
    return member


# --- Vision -------------------------------------------------------------------------------

def vision_propose(*, version, task_force, author):
    """A member's draft of the vision, kept as a new version beside the others."""
    version.task_force, version.author = task_force, author
    version.save()
    return version


def vision_adopt(*, version, workshop=None, on=None):
    """Adopt one version; the one adopted before steps down in the same transaction."""
    with transaction.atomic():
        # Lock the task force: two facilitators adopting at once take turns instead of
        # one of them hitting the one-adopted-version constraint.
        TaskForce.objects.select_for_update().filter(pk=version.task_force_id).first()
        VisionVersion.objects.filter(task_force_id=version.task_force_id, adopted=True).update(adopted=False)
        version.adopted = True
        version.adopted_at_workshop = workshop
        version.adopted_on = on or timezone.localdate(workshop.starts_at if workshop else None)
        version.save(update_fields=["adopted", "adopted_at_workshop", "adopted_on"])
    return version


# --- Solutions and ranking ----------------------------------------------------------------

def solution_propose(*, solution, task_force, member):
    solution.task_force, solution.proposed_by = task_force, member
    solution.save()
    return solution


def comment_add(*, comment, solution, member):
    comment.solution, comment.author = solution, member
    comment.save()
    return comment


def round_open(*, task_force, title, dot_budget):
    try:
        with transaction.atomic():
            return RankingRound.objects.create(task_force=task_force, title=title, dot_budget=dot_budget)
    except IntegrityError:
        raise ValidationError(_("Der er allerede en åben runde. Luk den først.")) from None


def round_close(*, round):
    """Close the round: its scores are frozen from then on."""
    updated = RankingRound.objects.filter(pk=round.pk, status=RankingRound.Status.OPEN).update(
        status=RankingRound.Status.CLOSED, closed_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError(_("Runden er allerede lukket."))
    round.status = RankingRound.Status.CLOSED


def over_budget_message(*, budget, spent, dots):
    """What to change when `dots` for one solution, beside the `spent` on the others, are more
    than the round's `budget`: how many were given, how many to take away, and where."""
    total = spent + dots
    over = total - budget
    message = ngettext(
        "Du har fordelt %(total)s prikker, men har kun %(budget)s. Fjern %(over)s prik.",
        "Du har fordelt %(total)s prikker, men har kun %(budget)s. Fjern %(over)s prikker.", over,
    ) % {"total": total, "budget": budget, "over": over}
    if spent:
        left = max(budget - spent, 0)
        message += " " + ngettext(
            "Du har givet %(spent)s prik til andre løsninger, så denne kan højst få %(left)s.",
            "Du har givet %(spent)s prikker til andre løsninger, så denne kan højst få %(left)s.", spent,
        ) % {"spent": spent, "left": left}
    return message


def score_save(*, round, member, solution, impact, effort, dots):
    """Record a member's score of a solution in an open round, within their dot budget."""
    with transaction.atomic():
        # Lock the round: closing it and scoring cannot interleave, and two tabs of one
        # member cannot both spend the last dots.
        locked = RankingRound.objects.select_for_update().get(pk=round.pk)
        if locked.status != RankingRound.Status.OPEN:
            raise ValidationError(_("Runden er lukket, og pointene kan ikke længere ændres."))
        spent = (
            Score.objects.filter(round=round, member=member).exclude(solution=solution).aggregate(s=Sum("dots"))["s"]
            or 0
        )
        if spent + dots > locked.dot_budget:
            raise ValidationError(over_budget_message(budget=locked.dot_budget, spent=spent, dots=dots))
        score, _created = Score.objects.update_or_create(
            round=round, member=member, solution=solution,
            defaults={"impact": impact, "effort": effort, "dots": dots},
        )
    return score


# --- Action plan and pledges ---------------------------------------------------------------

def action_add(*, action, task_force):
    action.task_force = task_force
    action.save()
    return action


def contribution_add(*, contribution, action, member):
    """What a member brings to an action: a competence, a resource or positions."""
    contribution.action, contribution.member = action, member
    contribution.save()
    return contribution


def action_update_status(*, action, status, progress, expected_status):
    """Change status (and the typed progress) unless someone else changed the status
    meanwhile. An action with pledges takes its progress from the jobs filled
    (Action.shown_progress), so a typed number is not stored for it."""
    changes = {"status": status}
    if progress is not None and not action.pledges.exists():
        changes["progress"] = progress
    updated = Action.objects.filter(pk=action.pk, status=expected_status).update(**changes)
    if updated != 1:
        raise ValidationError(_("Handlingen er ændret af en anden. Genindlæs siden og prøv igen."))
    for name, value in changes.items():
        setattr(action, name, value)
    return action


def pledge_create(*, action, member, title, tasks, hours_min, hours_max, positions, catalogue_tasks=()):
    """A pledge becomes an opening of the member's employer, not yet open for placements.
    The opening holds the number of positions: one source of truth."""
    if member.employer is None:
        raise ValidationError(_("Du skal være knyttet til en virksomhed for at give tilsagn om stillinger."))
    with transaction.atomic():
        opening = Opening(
            employer=member.employer, title=title, tasks=tasks, hours_min=hours_min, hours_max=hours_max,
            positions=positions, from_task_force=True, is_open=False,
        )
        opening.full_clean()
        opening.save()
        if catalogue_tasks:
            opening.catalogue_tasks.set(catalogue_tasks)
        pledge = Pledge.objects.create(action=action, member=member, opening=opening)
    return pledge


def pledge_open(*, pledge):
    Opening.objects.filter(pk=pledge.opening_id).update(is_open=True)


# --- Workshops ----------------------------------------------------------------------------

def workshop_save(*, form, task_force):
    """A new workshop of the task force, or an edited one that saves only what this user
    changed, refusing a field a colleague changed meanwhile (core.edits.save_changed)."""
    form.instance.task_force = task_force
    return form.save()


def workshop_register(*, workshop, member, register):
    """A member registers for (or cancels) a workshop; their attendance is kept."""
    Attendance.objects.update_or_create(workshop=workshop, member=member, defaults={"registered": register})


def attendance_record(*, workshop, present_member_ids):
    """Record who attended: one upsert for all the task force's members, in one
    transaction. A member's registration is kept; a row is created for a member who never
    registered."""
    present = set(present_member_ids)
    with transaction.atomic():
        member_ids = list(workshop.task_force.members.values_list("pk", flat=True))
        Attendance.objects.bulk_create(
            [Attendance(workshop=workshop, member_id=pk, attended=pk in present) for pk in member_ids],
            update_conflicts=True, unique_fields=["workshop", "member"], update_fields=["attended"],
        )


# --- Candidates ---------------------------------------------------------------------------

def meeting_request_create(*, member, citizen, message, base_url):
    """Record a leader's wish to meet a candidate and queue the e-mail that tells the
    jobcenter, in one transaction. Returns the request and whether the citizen's own
    consultant gets the e-mail (else the task force's jobcenter staff do, and the jobcenter
    follows up)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(citizen=citizen, member=member, message=message)
        except IntegrityError:
            raise ValidationError(_("I har allerede bedt om at møde denne kandidat.")) from None
        to_consultant = mails.meeting_request_mail_queue(request, base_url)
    return request, to_consultant


def meeting_request_mark_handled(*, request):
    """Mark an open request handled, once: a second click (or a colleague's) changes nothing.
    Its reminders leave the bell."""
    with transaction.atomic():
        updated = MeetingRequest.objects.filter(pk=request.pk, handled_at__isnull=True).update(
            handled_at=timezone.now()
        )
        if updated != 1:
            raise ValidationError(_("Henvendelsen er allerede markeret som håndteret."))
        notifications_resolve(kind=Kind.MEETING_REQUEST, object_id=request.pk)


def base_url(request):
    """Scheme and host of the site, for links in e-mails."""
    return request.build_absolute_uri("/")
