"""The one door for roles: which municipalities a user may act in, and in which role.

Entity access helpers (`get_citizen_for_user` and its siblings) build on these, so a
record of another municipality gives 404 and a wrong role gives 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Membership, Municipality, Role

# Who may work with full citizen, employer and placement records.
CASEWORK_ROLES = (Role.CONSULTANT, Role.ADMIN)
FIGURES_ROLES = (Role.MANAGER, Role.CONSULTANT, Role.ADMIN)


def user_roles(user):
    """The set of roles the user holds anywhere (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_taskforce_roles"):
        roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        if user.is_superuser:
            roles.add(Role.ADMIN)
        user._taskforce_roles = frozenset(roles)
    return user._taskforce_roles


def has_role(user, *roles):
    return bool(user_roles(user) & set(roles))


def municipalities_for(user, roles):
    """Municipalities where the user holds one of the roles; all of them for a superuser."""
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).distinct()


def municipality_ids_for(user, roles):
    return list(municipalities_for(user, roles).values_list("pk", flat=True))


def role_required(*roles):
    """View decorator: 403 unless the user holds one of the roles somewhere."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
