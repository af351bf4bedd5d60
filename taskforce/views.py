"""Site-wide views: the start page each role lands on, the health check and the 500 page."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.access import user_roles
from accounts.models import Role
from workspace.access import task_forces_for_user


@require_GET
def home(request):
    """Send each role to its own start page."""
    roles = user_roles(request.user)
    if Role.CONSULTANT in roles:
        return redirect("worklist:mine")
    if Role.MANAGER in roles or Role.ADMIN in roles:
        return redirect("progress:dashboard")
    # Leaders in a task force, and outside facilitators who hold no municipal role, work
    # in the task-force workspace.
    if task_forces_for_user(request.user).exists():
        return redirect("workspace:list")
    if Role.LEADER in roles:
        return redirect("employers:mine")
    return redirect("accounts:no_role")


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception:
        return "down"


def _check_redis():
    if not settings.REDIS_URL:
        return None
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return "ok"
    except Exception:
        return "down"


@login_not_required
@require_GET
def healthz(request):
    checks = {"database": _check_database()}
    redis_state = _check_redis()
    if redis_state is not None:
        checks["redis"] = redis_state
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )


def server_error(request):
    """The 500 page in the site's layout and the user's language. Django's own handler
    renders without the request; if even ours fails, a plain page says the same."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError(
            "<!DOCTYPE html><title>Der skete en fejl</title><h1>Der skete en fejl hos os</h1>"
            "<p>Prøv igen om et øjeblik. <a href=\"/\">Til forsiden</a></p>",
            content_type="text/html; charset=utf-8",
        )
