"""The only door to task-force records on a user's behalf.

Members see their own task force while their membership is active: a business leader
while they still hold the leader role in the task force's municipality, jobcenter staff
while they hold a staff role there, and the outside facilitator by membership alone.
Consultants, managers and admins of the municipality see its task forces too. Leaders
never reach a citizen record: candidate profiles come through `get_candidate_for_user`,
anonymised.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, FIGURES_ROLES
from accounts.models import Membership, Role
from citizens.models import Citizen

from .models import Member, TaskForce

STAFF_ROLES = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
CANDIDATE_SALT = "taskforce.candidate"


def _holds_role_in_task_force_municipality(roles):
    """For a Member queryset: the member's user is a superuser or holds one of `roles` in
    the task force's municipality."""
    return Q(user__is_superuser=True) | Q(Exists(Membership.objects.filter(
        user=OuterRef("user"), municipality_id=OuterRef("task_force__municipality_id"), role__in=roles
    )))


def active_members():
    """Memberships that still give access, the one rule: a business leader's rests on their
    leader role in the municipality and jobcenter staff's on a staff role there, so taking
    the municipal role away closes the workspace and its candidates too; the outside
    facilitator holds no municipal role and keeps access by membership alone."""
    return Member.objects.filter(
        Q(kind=Member.Kind.FACILITATOR)
        | (Q(kind=Member.Kind.LEADER) & _holds_role_in_task_force_municipality((Role.LEADER,)))
        | (Q(kind=Member.Kind.STAFF) & _holds_role_in_task_force_municipality(STAFF_ROLES))
    )


def active_memberships(user):
    return active_members().filter(user=user)


def active_staff_emails(task_force):
    """E-mail addresses of the task force's jobcenter staff whose membership is active, for
    telling the jobcenter of a request."""
    return sorted(set(
        active_members().filter(task_force=task_force, kind=Member.Kind.STAFF)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    ))


def task_forces_for_user(user):
    """Task forces the user is an active member of, and those of the municipalities where
    they hold a staff role (all of them for a superuser)."""
    if user.is_superuser:
        return TaskForce.objects.all()
    return TaskForce.objects.filter(
        Q(Exists(active_memberships(user).filter(task_force=OuterRef("pk"))))
        | Q(Exists(Membership.objects.filter(user=user, municipality_id=OuterRef("municipality_id"), role__in=STAFF_ROLES)))
    )


@dataclass(frozen=True)
class WorkspaceAccess:
    """What one user may do in one task force, worked out once per request by
    `get_task_force_for_user`: every permission rule of the workspace lives here.

    - `member`: the user's active membership, or None (a manager or consultant of the
      municipality who is not a member still sees the task force).
    - `facilitator`: runs the process (workshops, rounds, adopting the vision): facilitators
      and jobcenter staff among the members, and the municipality's consultants and admins.
    - `may_invite`: only the jobcenter (consultants, managers and admins) invites business
      leaders and facilitators.
    - `may_approve_staff`: a staff invitation hands out a consultant's access to every
      citizen of the municipality, so only its managers and admins create one; a
      consultant's proposal waits for their approval before it is sent.
    - `sees_exact_figures`: managers, consultants and admins of the municipality; anyone else
      (leaders, the outside facilitator) sees figures aggregated (core.small_numbers).
    - `may_handle_requests`: jobcenter staff of the task force and the municipality's
      consultants and admins follow up leaders' requests to meet a candidate.
    - `may_open_citizen_records`: only consultants and admins open a citizen's record.
    - `holds_leader_role`: a business leader of the municipality (their own figures page).

    The facilitator also opens and closes ranking rounds, and so sees an open round's votes
    (`sees_round_results`).
    """

    task_force: TaskForce
    member: Member | None
    facilitator: bool
    may_invite: bool
    may_approve_staff: bool
    sees_exact_figures: bool
    may_handle_requests: bool
    may_open_citizen_records: bool
    holds_leader_role: bool

    @property
    def may_see_candidates(self):
        """Members and those who run the process; a manager who only follows the figures does not."""
        return self.member is not None or self.facilitator

    @property
    def masked(self):
        """Figures are shown aggregated, with small counts hidden."""
        return not self.sees_exact_figures

    @property
    def own_employers(self):
        """Ids of the companies whose pledged, opened and filled positions the viewer sees in
        full even when figures are masked: a member's own company. They know whom they hired,
        so their own figures reveal nothing about a citizen to them; the small-number rule
        applies to the figures about others."""
        if self.member is not None and self.member.employer_id is not None:
            return frozenset({self.member.employer_id})
        return frozenset()

    def sees_round_results(self, round):
        """A round's votes (dots, mean scores, the ranking and the board): everyone's once the
        round is closed; while it is open only those who run it see them, so no one votes
        knowing how the others voted."""
        return not round.is_open or self.facilitator

    def may_edit_action(self, action):
        """The owner and the facilitator change an action's status; other members only contribute."""
        return self.facilitator or (self.member is not None and action.owner_id == self.member.pk)

    def may_open_pledge(self, pledge):
        """The member who pledged the positions opens them for placements, or the facilitator."""
        return self.facilitator or (self.member is not None and pledge.member_id == self.member.pk)

    def require_member(self):
        """The user's membership, or 403: only members propose, score, own and contribute."""
        if self.member is None:
            raise PermissionDenied
        return self.member

    def require_facilitator(self):
        if not self.facilitator:
            raise PermissionDenied

    def require_request_handler(self):
        if not self.may_handle_requests:
            raise PermissionDenied

    def may_withdraw(self, invitation):
        """Those who invite withdraw an unused invitation; a staff invitation once approved
        only those who may approve one (a proposal still waiting, anyone who invites)."""
        if not self.may_invite:
            return False
        return invitation.kind != Member.Kind.STAFF or invitation.awaiting_approval or self.may_approve_staff

    def require_staff_approver(self):
        if not self.may_approve_staff:
            raise PermissionDenied


def _roles_in(user, municipality_id):
    """The roles the user holds in the municipality; every role for a superuser."""
    if user.is_superuser:
        return set(Role.values)
    return set(Membership.objects.filter(user=user, municipality_id=municipality_id).values_list("role", flat=True))


def access_for(user, task_force):
    """What `user` may do in `task_force` (which they may see): two queries."""
    roles = _roles_in(user, task_force.municipality_id)
    member = active_memberships(user).filter(task_force=task_force).select_related("user", "employer").first()
    casework = bool(roles & set(CASEWORK_ROLES))
    staff_member = member is not None and member.kind == Member.Kind.STAFF
    return WorkspaceAccess(
        task_force=task_force,
        member=member,
        facilitator=casework or (member is not None and member.kind in (Member.Kind.FACILITATOR, Member.Kind.STAFF)),
        may_invite=casework or Role.MANAGER in roles,
        may_approve_staff=bool(roles & {Role.MANAGER, Role.ADMIN}),
        sees_exact_figures=bool(roles & set(FIGURES_ROLES)),
        may_handle_requests=casework or staff_member,
        may_open_citizen_records=casework,
        holds_leader_role=Role.LEADER in roles,
    )


def get_task_force_for_user(user, pk):
    """The task force and what the user may do in it, or 404: the one door to the workspace."""
    task_force = get_object_or_404(task_forces_for_user(user).select_related("municipality"), pk=pk)
    return task_force, access_for(user, task_force)


def get_object_in(task_force, model, pk, **related):
    """A record of the task force (a workshop, a solution, an action …) or 404."""
    qs = model.objects.filter(task_force=task_force)
    if related:
        qs = qs.select_related(*related["select"])
    return get_object_or_404(qs, pk=pk)


# Anonymised candidates: the citizen is named by an opaque token, never by id or name.

def candidates_for_task_force(task_force):
    """The candidate pool shown to the task force: the municipality's job-seeking citizens who
    consented to an anonymised profile. Job-seeking is the status, which follows the facts: a
    citizen is "Ansat" while a placement runs (placements.services.citizens_status_refresh, from
    every placement write and nightly), so a placed citizen is no candidate, and is one again
    when the placement ends and the status returns to "Klar til job". An anonymised citizen is
    no one to present."""
    return Citizen.objects.job_seeking().filter(
        municipality_id=task_force.municipality_id, consent_to_share_profile=True
    )


def _candidate_cipher():
    key = hashlib.sha256(f"{CANDIDATE_SALT}:{settings.SECRET_KEY}".encode()).digest()
    return Cipher(algorithms.AES(key), modes.ECB())


def candidate_token(citizen):
    """The citizen's id encrypted as one AES block behind eight zero bytes: stable (the same
    candidate keeps the same link and code), opaque (the id cannot be read from the URL)
    and unforgeable (a made-up token decrypts to a block without the zero bytes)."""
    return candidate_token_for_pk(citizen.pk)


def candidate_token_for_pk(pk):
    encryptor = _candidate_cipher().encryptor()
    block = encryptor.update(bytes(8) + pk.to_bytes(8, "big")) + encryptor.finalize()
    return base64.urlsafe_b64encode(block).rstrip(b"=").decode()


def _candidate_pk(token):
    try:
        block = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    if len(block) != 16:
        return None
    decryptor = _candidate_cipher().decryptor()
    plain = decryptor.update(block) + decryptor.finalize()
    return int.from_bytes(plain[8:], "big") if plain[:8] == bytes(8) else None


def get_candidate_for_user(access, token):
    """The citizen behind a candidate token, or 404: a bad token, a citizen without consent
    or no longer looking, another municipality's citizen, or a viewer who may not see
    candidates all look the same. `access`: from get_task_force_for_user."""
    if not access.may_see_candidates:
        raise Http404
    pk = _candidate_pk(token)
    if pk is None:
        raise Http404
    return get_object_or_404(candidates_for_task_force(access.task_force), pk=pk)
