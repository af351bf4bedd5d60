"""Signing in and out is written to the log: who, when, from which address; a failed attempt
with the name typed when it is a user's (never the password, nor a name no user has: people
type their password into the name box), and a lockout."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import UNKNOWN_USERNAME, SignInEvent
from audit.services import sign_in_record
from tests.factories import make_user
from audit.signals import _locked_out, _logged_out

PASSWORD = "pw-for-tests-123"  # tests.factories.make_user


def _log_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR="192.0.2.7")


def test_it_records_a_login_with_the_address(client, consultant):
    response = _log_in(client, "konsulent")
    assert response.status_code == 302
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username, event.ip_address) == (
        SignInEvent.Kind.LOGIN, consultant, "konsulent", "192.0.2.7"
    )


def test_it_records_a_failed_login_without_the_password(client, consultant):
    response = _log_in(client, "konsulent", password="forkert-kodeord-42")
    assert response.status_code == 200
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username, event.ip_address) == (
        SignInEvent.Kind.LOGIN_FAILED, consultant, "konsulent", "192.0.2.7"
    )
    text = " ".join(str(getattr(event, f.attname)) for f in SignInEvent._meta.fields)
    assert "forkert-kodeord-42" not in text


@pytest.mark.parametrize("typed", ["ukendt-person", "Mit-Hemmelige-Kodeord-7", "konsulent2", "010190-1234"])
def test_it_never_keeps_a_name_typed_that_no_user_has(client, consultant, typed):
    _log_in(client, typed)
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username, event.ip_address) == (
        SignInEvent.Kind.LOGIN_FAILED, None, UNKNOWN_USERNAME, "192.0.2.7"
    )
    assert typed not in " ".join(str(getattr(event, f.attname)) for f in SignInEvent._meta.fields)


def test_it_names_the_user_whose_name_was_typed_in_another_case(client, consultant):
    _log_in(client, " KONSULENT ", password="forkert")
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username) == (SignInEvent.Kind.LOGIN_FAILED, consultant, "konsulent")


def test_a_name_several_users_have_in_another_case_is_kept_naming_none_of_them(consultant, fredericia):
    from accounts.models import Role

    make_user("Konsulent", fredericia, Role.CONSULTANT)
    event = sign_in_record(kind=SignInEvent.Kind.LOGIN_FAILED, username="KONSULENT")
    assert (event.user, event.username) == (None, "KONSULENT")
    exact = sign_in_record(kind=SignInEvent.Kind.LOGIN_FAILED, username="konsulent")
    assert (exact.user, exact.username) == (consultant, "konsulent")


def test_an_empty_name_is_kept_empty(db):
    assert sign_in_record(kind=SignInEvent.Kind.LOGIN_FAILED, username="  ").username == ""


def test_a_lockout_for_a_name_no_user_has_keeps_the_marker(db):
    _locked_out(sender=None, request=None, username="hemmeligt-kodeord", ip_address="192.0.2.9")
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username) == (SignInEvent.Kind.LOCKOUT, None, UNKNOWN_USERNAME)


def test_it_records_a_logout(client, consultant):
    _log_in(client, "konsulent")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="192.0.2.8")
    logout = SignInEvent.objects.get(kind=SignInEvent.Kind.LOGOUT)
    assert (logout.user, logout.ip_address) == (consultant, "192.0.2.8")
    assert list(SignInEvent.objects.values_list("kind", flat=True)) == [SignInEvent.Kind.LOGOUT, SignInEvent.Kind.LOGIN]


def test_it_records_a_lockout(consultant):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.9")
    _locked_out(sender=None, request=request, username="konsulent", ip_address="192.0.2.9")
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.ip_address) == (SignInEvent.Kind.LOCKOUT, consultant, "192.0.2.9")


def test_it_listens_to_axes_lockout_signal_when_axes_is_installed(consultant):
    from django.apps import apps

    if not apps.is_installed("axes"):
        pytest.skip("django-axes is not installed")
    from axes.signals import user_locked_out

    user_locked_out.send("axes", request=None, username="konsulent", ip_address="192.0.2.10")
    assert SignInEvent.objects.get().kind == SignInEvent.Kind.LOCKOUT


def test_it_records_a_lockout_after_too_many_failures(client, consultant, settings):
    from django.apps import apps

    if not apps.is_installed("axes"):
        pytest.skip("django-axes is not installed")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "konsulent", password="forkert")
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.LOCKOUT, user=consultant).count() == 1
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.LOGIN_FAILED).count() == settings.AXES_FAILURE_LIMIT


def test_a_logout_of_an_expired_session_names_nobody_and_writes_nothing(db):
    _logged_out(sender=None, request=RequestFactory().post("/accounts/logout/"), user=None)
    assert not SignInEvent.objects.exists()

