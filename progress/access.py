"""Access to a municipality's figures and targets."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import FIGURES_ROLES, municipalities_for, municipality_ids_for
from accounts.models import Role

from .models import Target

TARGET_ROLES = (Role.MANAGER, Role.ADMIN)


def get_municipality_for_figures(user, code, roles):
    """The municipality (by code; the user's first when none is given) whose figures the
    user may see with one of `roles`, and whether they see them in full (manager,
    consultant, admin) or only aggregated with small counts hidden (leader)."""
    municipalities = municipalities_for(user, roles)
    if code in (None, ""):
        municipality = municipalities.order_by("code").first()
    else:
        try:
            municipality = municipalities.filter(code=int(code)).first()
        except (TypeError, ValueError):
            municipality = None
    if municipality is None:
        raise Http404
    full_access = municipalities_for(user, FIGURES_ROLES).filter(pk=municipality.pk).exists()
    return municipality, full_access


def targets_for_user(user):
    return Target.objects.filter(municipality_id__in=municipality_ids_for(user, TARGET_ROLES))


def get_target_for_user(user, pk):
    return get_object_or_404(targets_for_user(user), pk=pk)
