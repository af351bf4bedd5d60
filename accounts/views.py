"""Signing in and out: the password (Django's view, guarded by django-axes), the second
factor (django-otp), and the page for a user without a role yet."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from .forms import TokenForm
from .two_factor import confirmed_device, pending_device, qr_code_data_uri, secret_for_typing


@require_GET
def no_role(request):
    """A logged-in user without any membership: tell them whom to ask."""
    return render(request, "accounts/no_role.html")


class LogoutView(auth_views.LogoutView):
    """Log out, and ask the browser to forget this site's cookies, storage and cached pages."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


class LockedOut(Exception):
    pass


def code_accepted(request, device, form, wrong_message):
    """Check the code in a valid TokenForm against the device: the one rule for both the
    sign-in step and the enrolment. A locked-out account or address is refused (LockedOut)
    even with the right code; a wrong code counts as a failed login (django-axes, the audit
    log) and gets `wrong_message`; django-otp's own throttle slows guessing further. On
    success the user is verified in this session and the count of failures starts over."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        raise LockedOut
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", _("For mange forkerte koder. Vent et øjeblik, og prøv igen."))
        return False
    if not device.verify_token(form.cleaned_data["token"]):
        auth_signals.user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("token", wrong_message)
        return False
    otp_login(request, device)
    axes_reset(username=credentials["username"])
    return True


def _locked_out_and_signed_out(request):
    response = locked_out(request)
    logout(request)
    return response


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: the six digits from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Koden er forkert eller udløbet. Prøv med den kode, appen viser nu.")
        try:
            if code_accepted(request, device, form, wrong):
                return redirect(_next_url(request))
        except LockedOut:
            return _locked_out_and_signed_out(request)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm a code."""
    if confirmed_device(request.user) is not None:
        return redirect("accounts:otp_verify")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Koden passer ikke. Tjek, at telefonens ur går rigtigt, og prøv med den nye kode.")
        try:
            if code_accepted(request, device, form, wrong):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("Totrinsbekræftelse er slået til for din bruger."))
                return redirect(_next_url(request))
        except LockedOut:
            return _locked_out_and_signed_out(request)
    return render(request, "accounts/otp_setup.html", {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "secret": secret_for_typing(device),
        "next": _next_url(request),
    })


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account or address is locked out (429, in Danish)."""
    cool_off = get_cool_off(request)
    return render(request, "registration/locked_out.html", {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }, status=429)
