"""The only door to placement records on a user's behalf: scoped by municipality and role."""

from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for

from .models import Placement


def placements_for_user(user):
    return Placement.objects.filter(citizen__municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES))


def get_placement_for_user(user, pk):
    return get_object_or_404(
        placements_for_user(user).select_related("citizen", "employer", "opening"), pk=pk
    )
