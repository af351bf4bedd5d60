"""The only door to placement records on a user's behalf: scoped by municipality and role."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for
from core.ids import is_id

from .models import FollowUp, Placement


def placements_for_user(user):
    return Placement.objects.filter(municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES))


def get_placement_for_user(user, pk):
    return get_object_or_404(
        placements_for_user(user).select_related("citizen", "employer", "opening"), pk=pk
    )


def get_follow_up_for_user(user, placement_pk, pk):
    """The follow-up `pk` of the placement `placement_pk`, with its placement, citizen and
    employer; 404 for another municipality's, or one of another placement."""
    if not (is_id(placement_pk) and is_id(pk)):
        raise Http404  # no record has such an id (and SQLite cannot compare one)
    return get_object_or_404(
        FollowUp.objects.filter(
            placement__municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES)
        ).select_related("placement__citizen", "placement__employer", "done_by"),
        pk=pk,
        placement_id=placement_pk,
    )
