"""Signing in: lockout after failed logins (django-axes), two-factor authentication with TOTP
(django-otp) for staff, the password rules, sessions that end when idle or when the browser
closes, and the way out (logout clears the site's data)."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model, password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import ACTIVITY_KEY
from tests.factories import make_user

PASSWORD = "pw-for-tests-123"  # tests/factories.make_user
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, url=LOGIN, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- Lockout ------------------------------------------------------------------------------

def test_after_ten_wrong_passwords_the_right_one_is_refused_too(client, consultant):
    for attempt in range(9):
        response = sign_in(client, "konsulent", "forkert-kode")
        assert response.status_code == 200, attempt
        assert "Brugernavn eller adgangskode er forkert" in response.content.decode()
    tenth = sign_in(client, "konsulent", "forkert-kode")
    assert tenth.status_code == 429
    refused = sign_in(client, "konsulent")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Log ind er midlertidigt spærret" in html and "30 minutter" in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_from_any_address(client, consultant):
    for n in range(10):
        sign_in(client, "konsulent", "forkert-kode", ip=f"10.0.1.{n}")
    assert sign_in(client, "konsulent", ip="10.9.9.9").status_code == 429


def test_the_lockout_is_per_address_for_any_account(client, consultant, fredericia):
    """Guessing one password for many accounts from one address is stopped as well."""
    for n in range(10):
        sign_in(client, f"bruger{n}", "forkert-kode", ip="10.0.2.1")
    assert sign_in(client, "konsulent", ip="10.0.2.1").status_code == 429
    # The account itself is not locked: from another address it signs in.
    assert sign_in(client, "konsulent", ip="10.0.2.2").status_code == 302


def test_the_admin_login_is_guarded_too(client, admin_user):
    for _ in range(10):
        sign_in(client, "admin", "forkert-kode", url="/admin/login/")
    response = sign_in(client, "admin", url="/admin/login/")
    assert response.status_code == 429
    assert "Log ind er midlertidigt spærret" in response.content.decode()


def test_the_lockout_ends_after_the_cool_off(client, consultant, settings):
    for _ in range(10):
        sign_in(client, "konsulent", "forkert-kode")
    assert sign_in(client, "konsulent").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1))
    assert sign_in(client, "konsulent").status_code == 302


def test_a_successful_login_resets_the_count(client, consultant):
    for _ in range(9):
        sign_in(client, "konsulent", "forkert-kode")
    assert sign_in(client, "konsulent").status_code == 302
    client.logout()
    for _ in range(9):
        sign_in(client, "konsulent", "forkert-kode")
    assert sign_in(client, "konsulent").status_code == 302


def test_an_admin_lifts_a_lockout_from_the_user_list(client, consultant, admin_user, login):
    for _ in range(10):
        sign_in(client, "konsulent", "forkert-kode", ip="10.0.3.1")
    assert sign_in(client, "konsulent", ip="10.0.3.2").status_code == 429
    admin = login(admin_user)
    response = admin.post("/admin/auth/user/", {"action": "unlock_login", "_selected_action": [consultant.pk]}, follow=True)
    assert "Spærringen er ophævet" in response.content.decode()
    admin.logout()
    assert sign_in(client, "konsulent", ip="10.0.3.2").status_code == 302


# --- Passwords ----------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["Kort-kode-1", "password1234", "123456789012"])
def test_it_refuses_short_common_and_numeric_passwords(password, db):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, get_user_model()(username="ny"))


def test_it_accepts_a_long_uncommon_password(db):
    password_validation.validate_password("Fleksjob-i-kokkenet-7", get_user_model()(username="ny"))


# --- Two-factor authentication ------------------------------------------------------------

def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_staff_enrol_an_authenticator_before_reaching_any_page(client, consultant, two_factor):
    response = sign_in(client, "konsulent")
    assert response.status_code == 302
    page = client.get("/citizens/")
    assert page.status_code == 302 and page.url.startswith("/accounts/two-factor/setup/?next=")
    setup = client.get(page.url)
    html = setup.content.decode()
    assert "Slå totrinsbekræftelse til" in html and 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=consultant, confirmed=False)
    # The same QR code on a second look: the key is kept until it is confirmed.
    client.get(page.url)
    assert TOTPDevice.objects.get(user=consultant).key == device.key
    wrong = client.post("/accounts/two-factor/setup/", {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert "Koden passer ikke" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # as if the user waited a moment after the wrong code
    done = client.post("/accounts/two-factor/setup/", {"token": code_for(device), "next": "/citizens/"})
    assert done.status_code == 302 and done.url == "/citizens/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/citizens/").status_code == 200


def test_next_time_staff_give_the_code_after_the_password(client, consultant, two_factor):
    device = TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    sign_in(client, "konsulent")
    page = client.get("/citizens/")
    assert page.url.startswith("/accounts/two-factor/?next=")
    assert client.get("/dashboard/").url.startswith("/accounts/two-factor/")
    refused = client.post("/accounts/two-factor/", {"token": "12345"})
    assert "Skriv de seks cifre" in refused.content.decode()
    assert client.get("/citizens/").status_code == 302
    accepted = client.post("/accounts/two-factor/", {"token": code_for(device), "next": "/citizens/"})
    assert accepted.status_code == 302 and accepted.url == "/citizens/"
    assert client.get("/citizens/").status_code == 200


def test_it_does_not_redirect_to_another_site_after_the_code(client, consultant, two_factor):
    device = TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    sign_in(client, "konsulent")
    response = client.post("/accounts/two-factor/", {"token": code_for(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_wrong_codes_are_throttled(client, consultant, two_factor):
    device = TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    sign_in(client, "konsulent")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    client.post("/accounts/two-factor/", {"token": wrong})
    response = client.post("/accounts/two-factor/", {"token": code_for(device)})
    assert "For mange forkerte koder" in response.content.decode()
    assert client.get("/citizens/").status_code == 302


@pytest.mark.parametrize("who", ["manager", "admin_user"])
def test_managers_and_admins_need_the_second_factor_too(request, client, two_factor, who):
    user = request.getfixturevalue(who)
    sign_in(client, user.username)
    assert client.get("/dashboard/").url.startswith("/accounts/two-factor/setup/")


def test_the_django_admin_needs_the_second_factor(client, admin_user, two_factor):
    sign_in(client, "admin", url="/admin/login/")
    assert client.get("/admin/").url.startswith("/accounts/two-factor/setup/")


def test_business_leaders_sign_in_with_a_password(client, leader, two_factor):
    sign_in(client, "leder")
    assert client.get("/", follow=True).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_staff_can_log_out_before_giving_the_code(client, consultant, two_factor):
    sign_in(client, "konsulent")
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_sent_to_the_code_page_as_a_whole_page(client, consultant, two_factor):
    sign_in(client, "konsulent")
    response = client.get("/citizens/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/two-factor/setup/")


def test_an_admin_resets_a_users_two_factor(login, consultant, admin_user):
    TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    login(admin_user).post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [consultant.pk]})
    assert not TOTPDevice.objects.filter(user=consultant).exists()


def test_development_lets_the_demo_users_skip_the_second_factor(client, consultant, settings):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in(client, "konsulent")
    assert client.get("/citizens/").status_code == 200


# --- Sessions -----------------------------------------------------------------------------

def test_the_session_cookie_ends_with_the_browser(client, consultant):
    response = sign_in(client, "konsulent")
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]


def test_a_session_ends_after_the_idle_limit(client, consultant, settings):
    sign_in(client, "konsulent")
    assert client.get("/citizens/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timezone.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/citizens/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_activity_moves_the_end_on_at_most_once_a_minute(client, consultant):
    sign_in(client, "konsulent")
    first = Session.objects.get().expire_date
    client.get("/citizens/")
    assert Session.objects.get().expire_date == first  # within the minute: no write
    session = client.session
    session[ACTIVITY_KEY] = int(time.time()) - 120
    session.save()
    before = Session.objects.get().expire_date
    client.get("/citizens/")
    assert Session.objects.get().expire_date > before


def test_logout_clears_the_sites_data_in_the_browser(client, consultant):
    sign_in(client, "konsulent")
    response = client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/citizens/").status_code == 302


def test_a_new_user_gets_a_strong_password_rule_at_the_invitation(db):
    user = make_user("ny-bruger")
    with pytest.raises(ValidationError, match="12"):
        password_validation.validate_password("Kort-kode", user)


def test_a_locked_out_account_is_refused_at_the_code_step_too(client, consultant, two_factor):
    """Ten wrong codes lock the account like ten wrong passwords; then even the right code is
    refused, and the half-signed-in session ends."""
    device = TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    sign_in(client, "konsulent")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(10):
        device.throttle_reset()
        client.post("/accounts/two-factor/", {"token": wrong})
    device.throttle_reset()
    response = client.post("/accounts/two-factor/", {"token": code_for(device)})
    assert response.status_code == 429
    assert "Log ind er midlertidigt spærret" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/citizens/").status_code == 302
    assert sign_in(client, "konsulent", ip="10.7.7.7").status_code == 429


def test_the_password_alone_does_not_wipe_the_count_of_failures(client, consultant, two_factor):
    device = TOTPDevice.objects.create(user=consultant, name="app", confirmed=True)
    for _ in range(9):
        sign_in(client, "konsulent", "forkert-kode")
    sign_in(client, "konsulent")  # the right password, but no code yet
    assert AccessAttempt.objects.filter(username="konsulent").exists()
    client.post("/accounts/two-factor/", {"token": code_for(device)})
    assert not AccessAttempt.objects.filter(username="konsulent").exists()


def test_the_admins_logout_clears_the_sites_data_too(client, admin_user):
    sign_in(client, "admin", url="/admin/login/")
    response = client.post("/admin/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "_auth_user_id" not in client.session


def test_unlocking_a_user_also_frees_the_address_they_failed_from(client, consultant, admin_user, login):
    for _ in range(10):
        sign_in(client, "konsulent", "forkert-kode", ip="10.0.4.1")
    assert sign_in(client, "konsulent", ip="10.0.4.1").status_code == 429
    admin = login(admin_user)
    admin.post("/admin/auth/user/", {"action": "unlock_login", "_selected_action": [consultant.pk]})
    admin.logout()
    assert sign_in(client, "konsulent", ip="10.0.4.1").status_code == 302
