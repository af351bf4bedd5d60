"""The only door to citizen records on a user's behalf: scoped by municipality and role."""

from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for

from .models import Citizen


def citizens_for_user(user):
    """Citizens the user may see in full: consultants' and admins' own municipalities."""
    return Citizen.objects.filter(municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES))


def get_citizen_for_user(user, pk):
    """The citizen, or 404 when it is unknown or belongs to a municipality the user is not in."""
    return get_object_or_404(citizens_for_user(user).select_related("municipality", "consultant"), pk=pk)
