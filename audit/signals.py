"""Sign-in events to the log: Django's signals for logging in, out and failing, and
django-axes' lockout when axes is installed. Connected in AuditConfig.ready."""

from django.apps import apps
from django.contrib.auth import signals as auth_signals

from . import services


def _logged_in(sender, request, user, **kwargs):
    services.sign_in_record(kind=services.SignInEvent.Kind.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    # `user` is None when the session had expired: nobody to name.
    if user is not None:
        services.sign_in_record(kind=services.SignInEvent.Kind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has cleansed the credentials already; only the name is read, never a password.
    services.sign_in_record(
        kind=services.SignInEvent.Kind.LOGIN_FAILED, request=request, username=credentials.get("username", "")
    )


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    services.sign_in_record(
        kind=services.SignInEvent.Kind.LOCKOUT, request=request, username=username or "", ip_address=ip_address
    )


def connect():
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit_logged_in")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="audit_logged_out")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    if apps.is_installed("axes"):
        try:
            from axes.signals import user_locked_out
        except ImportError:  # listed in settings but not installed: nothing sends the signal
            return
        user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
