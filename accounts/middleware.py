"""Sign-in middleware: staff who must use two-factor authentication reach only its pages
until they have, and a session ends after a while without activity."""

import time

from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import confirmed_device, two_factor_required

# Reachable with a password alone: the two-factor pages themselves, logging out, the language.
OPEN_URL_NAMES = {"otp_verify", "otp_setup", "logout", "login"}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not two_factor_required(user):
            return None
        match = request.resolver_match
        if match and (
            (match.namespace == "accounts" and match.url_name in OPEN_URL_NAMES)
            or match.url_name in {"set_language", "healthz", "admin_logout", "robots_txt", "favicon"}
        ):
            return None
        name = "accounts:otp_verify" if confirmed_device(user) else "accounts:otp_setup"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.htmx:
            # htmx would swap the sign-in page into a fragment: send the whole page there.
            return HttpResponseClientRedirect(target)
        return redirect(target)


# How often, at most, a request refreshes the session's expiry (a write to the session store).
ACTIVITY_RESOLUTION_SECONDS = 60
ACTIVITY_KEY = "_last_activity"


def mark_activity(session):
    """Note that the user was active now: saving the session moves its expiry to
    SESSION_COOKIE_AGE (the idle limit) from now. Done at most once a minute, so a busy user
    costs no write per request."""
    now = int(time.time())
    if now - session.get(ACTIVITY_KEY, 0) >= ACTIVITY_RESOLUTION_SECONDS:
        session[ACTIVITY_KEY] = now


class IdleSessionMiddleware:
    """A session ends SESSION_IDLE_MINUTES after the user's last request (give or take the
    minute of ACTIVITY_RESOLUTION_SECONDS), and its cookie ends when the browser closes
    (SESSION_EXPIRE_AT_BROWSER_CLOSE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            mark_activity(request.session)
        return self.get_response(request)
