"""Site-wide views: the start page each role lands on, the health check, robots.txt and the
favicon, and the error pages (400, 403, 404, 405, 500 and a stale form), each in the site's
layout and the user's language, saying what to do next."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe

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


# --- Robots and the favicon ------------------------------------------------------------------

# An internal case system: no search engine indexes or follows any of it (base.html's robots
# meta tag and taskforce.middleware.NoIndexMiddleware's X-Robots-Tag say the same).
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


@login_not_required
@require_safe
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def favicon(request):
    """Browsers and other clients ask for /favicon.ico whatever a page says: send them to the
    icon every page names (base.html)."""
    return redirect(static("img/favicon.svg"))


# --- Error pages -------------------------------------------------------------------------------
# Django's own handlers would do for 400, 403 and 404, but these add the way back, and the
# middleware (taskforce.middleware.ErrorPageMiddleware) renders the same pages for an error
# answered without a page (a 405 from require_POST) and turns an htmx request's error into a
# page the person sees.


def back_url(request):
    """The page of ours the person came from (their browser sends it, Referrer-Policy
    same-origin), for "Gå tilbage": a path on this site, or None. Never the page that failed
    to open; but a form sent to its own address is opened again as a page."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return None
    parts = urlsplit(referer)
    if not parts.path.startswith("/") or (parts.path == request.path and request.method in ("GET", "HEAD")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def error_page(request, template_name, status, **context):
    """An error page in the site's layout (header, and the main menu when logged in)."""
    response = render(request, template_name, {"back_url": back_url(request), **context}, status=status)
    response.error_page = template_name
    return response


@requires_csrf_token
def bad_request(request, exception):
    return error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception):
    return error_page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception):
    return error_page(request, "404.html", 404)


def method_not_allowed(request, allowed):
    """A form's or a button's address opened as a page (e.g. after logging in again)."""
    response = error_page(request, "405.html", 405)
    response["Allow"] = allowed
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page that was open too long, or after logging out.
    Rendered with the request, so the menu shows, and the page carries a fresh token."""
    return error_page(request, "403_csrf.html", 403)


# What the 500 page falls back to when even the plain template cannot be rendered.
FALLBACK_500 = (
    '<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8">'
    '<meta name="robots" content="noindex, nofollow"><title>{title}</title>'
    '<h1>{heading}</h1><p>{text} <a href="/">{home}</a></p></html>'
)


@requires_csrf_token
def server_error(request):
    """The 500 page, in the site's layout and the user's language (the translation the request
    activated). Something is broken, perhaps the database: the page is rendered without the
    context processors and without the user, so it makes no query; the header shows no menu.
    If even that fails, a plain page says the same."""
    try:
        body = loader.render_to_string("500.html", {
            "request": request,
            "csrf_token": get_token(request),
            "back_url": back_url(request),
        })
        response = HttpResponseServerError(body)
    except Exception:
        response = HttpResponseServerError(FALLBACK_500.format(
            lang=escape(get_language() or settings.LANGUAGE_CODE),
            title=escape(_("Der skete en fejl")),
            heading=escape(_("Der skete en fejl hos os")),
            text=escape(_("Prøv igen om et øjeblik. Var du ved at gemme, så tjek bagefter, om ændringen kom med.")),
            home=escape(_("Gå til din forside")),
        ), content_type="text/html; charset=utf-8")
    response.error_page = "500.html"
    return response
