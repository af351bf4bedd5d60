"""The only door to employer records on a user's behalf: scoped by municipality and role."""

from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for
from accounts.models import Role

from .models import Employer, Opening


def employers_for_user(user):
    return Employer.objects.filter(municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES))


def get_employer_for_user(user, pk):
    return get_object_or_404(employers_for_user(user).select_related("municipality"), pk=pk)


def led_employers_for_user(user):
    """A business leader's own companies, in the municipalities where they are a leader."""
    return Employer.objects.filter(
        leaders=user, municipality_id__in=municipality_ids_for(user, (Role.LEADER,))
    )


def get_opening_for_user(user, pk):
    return get_object_or_404(
        Opening.objects.select_related("employer").filter(
            employer__municipality_id__in=municipality_ids_for(user, CASEWORK_ROLES)
        ),
        pk=pk,
    )
