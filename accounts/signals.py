"""At login: the session's idle clock starts, and the count of failed logins starts over
once the user is fully signed in (for staff who use two-factor authentication, that is
after the code: accounts.views.code_accepted)."""

from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import mark_activity
from .two_factor import two_factor_required


@receiver(user_logged_in)
def session_activity_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_activity(request.session)


@receiver(user_logged_in)
def failures_forgotten_when_fully_signed_in(sender, request, user, **kwargs):
    # A password alone must not wipe the count while the second factor is still owed.
    if not two_factor_required(user):
        axes_reset(username=user.get_username())
