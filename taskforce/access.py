"""The only door to task-force records on a user's behalf.

Members (leaders, jobcenter staff, facilitators) see their own task force; consultants,
managers and admins of the municipality see its task forces too. Leaders never reach a
citizen record: candidate profiles come through `get_candidate_for_user`, anonymised.
"""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for
from accounts.models import Role
from citizens.models import Citizen

from .models import Member, TaskForce

STAFF_ROLES = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
CANDIDATE_SALT = "taskforce.candidate"


def task_forces_for_user(user):
    return TaskForce.objects.filter(
        Q(members__user=user) | Q(municipality_id__in=municipality_ids_for(user, STAFF_ROLES))
    ).distinct()


def get_task_force_for_user(user, pk):
    return get_object_or_404(task_forces_for_user(user).select_related("municipality"), pk=pk)


def member_for(user, task_force):
    return Member.objects.filter(task_force=task_force, user=user).select_related("employer").first()


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


def can_invite_staff(user, task_force):
    """Only the jobcenter (its consultants and admins) makes someone jobcenter staff."""
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
    encryptor = _candidate_cipher().encryptor()
    block = encryptor.update(bytes(8) + citizen.pk.to_bytes(8, "big")) + encryptor.finalize()
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
