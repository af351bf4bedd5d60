"""The role flags every page's menu needs."""

from accounts.access import user_roles
from accounts.models import Role


def roles(request):
    held = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "is_consultant": Role.CONSULTANT in held or Role.ADMIN in held,
        "is_manager": Role.MANAGER in held or Role.ADMIN in held,
        "is_leader": Role.LEADER in held,
        "is_admin": Role.ADMIN in held,
        # The access log's pages (audit.access.AUDIT_ROLES): the municipality's managers and admins.
        "reads_access_log": Role.MANAGER in held or Role.ADMIN in held,
        # Asked only when no role shows the task-force menu item (an outside facilitator):
        # templates call it lazily, so other pages pay no query for it.
        "in_task_force": lambda: request.user.is_authenticated and request.user.task_force_memberships.exists(),
    }
