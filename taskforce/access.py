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

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, FIGURES_ROLES, municipality_ids_for
from accounts.models import Membership, Role
from citizens.models import Citizen

from .models import Member, TaskForce

STAFF_ROLES = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
CANDIDATE_SALT = "taskforce.candidate"


def _holds_role_in_task_force_municipality(user, roles):
    """For a Member queryset: the user holds one of `roles` in the task force's municipality."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    return Q(Exists(Membership.objects.filter(
        user=user, municipality_id=OuterRef("task_force__municipality_id"), role__in=roles
    )))


def active_memberships(user):
    """The user's memberships that still give access. A business leader's rests on their
    leader role in the municipality and jobcenter staff's on a staff role there, so taking
    the municipal role away closes the workspace and its candidates too; the outside
    facilitator holds no municipal role and keeps access by membership alone."""
    return Member.objects.filter(user=user).filter(
        Q(kind=Member.Kind.FACILITATOR)
        | (Q(kind=Member.Kind.LEADER) & _holds_role_in_task_force_municipality(user, (Role.LEADER,)))
        | (Q(kind=Member.Kind.STAFF) & _holds_role_in_task_force_municipality(user, STAFF_ROLES))
    )


def task_forces_for_user(user):
    return TaskForce.objects.filter(
        Q(Exists(active_memberships(user).filter(task_force=OuterRef("pk"))))
        | Q(municipality_id__in=municipality_ids_for(user, STAFF_ROLES))
    )


def get_task_force_for_user(user, pk):
    return get_object_or_404(task_forces_for_user(user).select_related("municipality"), pk=pk)


def member_for(user, task_force):
    """The user's active membership of the task force, or None."""
    return active_memberships(user).filter(task_force=task_force).select_related("employer").first()


def require_member(user, task_force):
    """The user's membership, or 403: only members propose, score, own and contribute."""
    member = member_for(user, task_force)
    if member is None:
        raise PermissionDenied
    return member


def can_facilitate(user, task_force, member=None):
    """Facilitators and jobcenter staff run the process; consultants and admins of the
    municipality may too."""
    member = member if member is not None else member_for(user, task_force)
    if member is not None and member.kind in (Member.Kind.FACILITATOR, Member.Kind.STAFF):
        return True
    return task_force.municipality_id in municipality_ids_for(user, CASEWORK_ROLES)


def can_invite(user, task_force):
    """Only the jobcenter (its consultants and admins) invites members: an invitation hands
    out a role in the municipality, and jobcenter staff get a consultant's access to
    citizen records. Facilitators and leaders do not invite."""
    return task_force.municipality_id in municipality_ids_for(user, CASEWORK_ROLES)


def sees_exact_figures(user, task_force):
    """Managers, consultants and admins of the municipality see its figures in full; anyone
    else in the workspace (leaders, the outside facilitator) sees them aggregated, with
    small counts hidden (as progress.access.get_municipality_for_figures decides)."""
    return task_force.municipality_id in municipality_ids_for(user, FIGURES_ROLES)


def may_handle_requests(user, task_force, member=None):
    """Jobcenter staff of the task force and the municipality's consultants and admins
    follow up leaders' requests to meet a candidate."""
    member = member if member is not None else member_for(user, task_force)
    if member is not None and member.kind == Member.Kind.STAFF:
        return True
    return task_force.municipality_id in municipality_ids_for(user, CASEWORK_ROLES)


def may_open_citizen_records(user, task_force):
    """Only consultants and admins of the municipality open a citizen's record."""
    return task_force.municipality_id in municipality_ids_for(user, CASEWORK_ROLES)


def require_facilitator(user, task_force, member=None):
    if not can_facilitate(user, task_force, member):
        raise PermissionDenied


def get_object_in(task_force, model, pk, **related):
    """A record of the task force (a workshop, a solution, an action …) or 404."""
    qs = model.objects.filter(task_force=task_force)
    if related:
        qs = qs.select_related(*related["select"])
    return get_object_or_404(qs, pk=pk)


# Anonymised candidates: the citizen is named by an opaque token, never by id or name.

def candidates_for_task_force(task_force):
    return Citizen.objects.filter(
        municipality_id=task_force.municipality_id,
        consent_to_share_profile=True,
        status__in=[Citizen.Status.REGISTERED, Citizen.Status.IN_COURSE, Citizen.Status.READY],
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


def may_see_candidates(user, task_force, member=None):
    """Members and those who run the process; a manager who only follows the figures does not."""
    return member is not None or can_facilitate(user, task_force)


def get_candidate_for_user(user, task_force, token):
    """The citizen behind a candidate token, or 404: a bad token, a citizen without consent
    or no longer looking, another municipality's citizen, or a viewer who may not see
    candidates all look the same."""
    if not may_see_candidates(user, task_force, member_for(user, task_force)):
        raise Http404
    pk = _candidate_pk(token)
    if pk is None:
        raise Http404
    return get_object_or_404(candidates_for_task_force(task_force), pk=pk)
