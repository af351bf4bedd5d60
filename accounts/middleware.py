"""Staff who must use two-factor authentication reach only its pages until they have."""

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
            or match.url_name in {"set_language", "healthz"}
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
