"""Access to a municipality's figures: managers, consultants and admins of that municipality."""

from django.http import Http404

from accounts.access import FIGURES_ROLES, municipalities_for


def get_municipality_for_figures(user, code=None):
    """The municipality (by code) whose figures the user may see; the first one when no code."""
    municipalities = municipalities_for(user, FIGURES_ROLES)
    if code in (None, ""):
        municipality = municipalities.order_by("code").first()
    else:
        try:
            municipality = municipalities.filter(code=int(code)).first()
        except (TypeError, ValueError):
            municipality = None
    if municipality is None:
        raise Http404
    return municipality
