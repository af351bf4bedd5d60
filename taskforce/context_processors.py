"""The role flags every page's menu needs."""

from functools import cache

from accounts.access import user_roles
from accounts.models import Role
from audit.access import AUDIT_ROLES
from workspace.access import task_forces_for_user


def roles(request):
    held = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "is_consultant": Role.CONSULTANT in held or Role.ADMIN in held,
        "is_manager": Role.MANAGER in held or Role.ADMIN in held,
        "is_leader": Role.LEADER in held,
        "is_admin": Role.ADMIN in held,
        # The access log's pages: the roles their views admit.
        "reads_access_log": bool(held & set(AUDIT_ROLES)),
        # Asked only when no role shows the task-force menu item (an outside facilitator):
        # templates call it lazily, so other pages pay no query for it, and the answer is kept
        # for the page's second menu (the mobile drawer).
        # The same rule as the start page's (an active membership).
        "in_task_force": cache(lambda: request.user.is_authenticated and task_forces_for_user(request.user).exists()),
    }
