"""Production refuses to start unsafely, and `check --deploy` is clean when it is set up
right. Each case starts Django in a subprocess with `taskforce.settings`, as production does."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings

BASE_DIR = Path(django_settings.BASE_DIR)
KEYS = {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY", "CPR_HASH_KEY", "EMAIL_BACKEND", "EMAIL_HOST",
        "DEFAULT_FROM_EMAIL", "DJANGO_ALLOWED_HOSTS", "TWO_FACTOR_REQUIRED", "SESSION_IDLE_MINUTES",
        "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_HSTS_SECONDS", "DJANGO_TRUSTED_PROXY_COUNT",
        "RETENTION_YEARS", "LOGIN_LOCKOUT_MINUTES", "WORKLIST_COMING_DAYS", "FOLLOW_UP_MONTHS",
        # Set by the browser tests for their own process only (tests/browser/conftest.py).
        "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production(**overrides):
    """A complete, safe production environment, with `overrides` (None removes a variable)."""
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "CPR_HASH_KEY": secrets.token_urlsafe(50),
        "EMAIL_HOST": "smtp.fredericia.dk",
        "DEFAULT_FROM_EMAIL": "Jobcenter Fredericia <taskforce@fredericia.dk>",
        "DJANGO_ALLOWED_HOSTS": "taskforce.fredericia.dk",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(code, env, debug="0"):
    environ = {k: v for k, v in os.environ.items() if k not in KEYS and k != "DJANGO_SETTINGS_MODULE"}
    environ.update({"DJANGO_SETTINGS_MODULE": "taskforce.settings", **env})
    if debug is not None:
        environ["DJANGO_DEBUG"] = debug
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )


START = "import django; django.setup(); from django.conf import settings; print('started', settings.DEBUG)"


def test_it_starts_in_production_with_its_own_keys_and_mail():
    result = run(START, production())
    assert result.returncode == 0, result.stderr
    assert "started False" in result.stdout


def test_debug_is_off_unless_explicitly_turned_on():
    """Without DJANGO_DEBUG at all it is production: the development keys are refused."""
    result = run(START, {}, debug=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert run(START, {}, debug="1").stdout.strip() == "started True"


@pytest.mark.parametrize("overrides, message", [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "dev-only-insecure-secret-key-do-not-use-in-production"}, "published development key"),
    ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 50}, "published development key"),
    ({"DJANGO_SECRET_KEY": "a-real-secret-but-short"}, "too short"),
    ({"DJANGO_SECRET_KEY": "a" * 60}, "too simple"),
    ({"FIELD_ENCRYPTION_KEY": None}, "FIELD_ENCRYPTION_KEY must be set"),
    ({"FIELD_ENCRYPTION_KEY": "ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMzI="}, "published development key"),
    ({"FIELD_ENCRYPTION_KEY": "not-a-fernet-key"}, "Fernet"),
    ({"CPR_HASH_KEY": None}, "CPR_HASH_KEY must be set"),
    ({"CPR_HASH_KEY": "dev-only-cpr-hash-key"}, "published development key"),
    ({"CPR_HASH_KEY": "short-hash-key"}, "CPR_HASH_KEY is too short"),
    ({"EMAIL_HOST": None}, "EMAIL_HOST must name the mail server"),
    ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "bearer tokens"),
    ({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}, "bearer tokens"),
    ({"DEFAULT_FROM_EMAIL": None}, "DEFAULT_FROM_EMAIL"),
    ({"TWO_FACTOR_REQUIRED": "0"}, "TWO_FACTOR_REQUIRED cannot be turned off"),
])
def test_it_refuses_to_start_in_production_unsafely(overrides, message):
    result = run(START, production(**overrides))
    assert result.returncode != 0
    assert message in result.stderr
    assert "started" not in result.stdout


@pytest.mark.parametrize("overrides, message", [
    # A zero retention period would anonymise every citizen whose placement has ended.
    ({"RETENTION_YEARS": "0"}, "RETENTION_YEARS must be at least 1"),
    ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES must be at least 1"),
    ({"LOGIN_LOCKOUT_MINUTES": "0"}, "LOGIN_LOCKOUT_MINUTES must be at least 1"),
    ({"WORKLIST_COMING_DAYS": "-14"}, "WORKLIST_COMING_DAYS must be at least 0"),
    ({"FOLLOW_UP_MONTHS": "1,3,x"}, "FOLLOW_UP_MONTHS must be a whole number"),
    ({"FOLLOW_UP_MONTHS": "0,3"}, "FOLLOW_UP_MONTHS must be at least 1"),
])
@pytest.mark.parametrize("debug", ["0", "1"])
def test_it_refuses_a_number_setting_that_makes_no_sense_in_production_or_development(overrides, message, debug):
    result = run(START, production(**overrides), debug=debug)
    assert result.returncode != 0
    assert message in result.stderr
    assert "started" not in result.stdout


def test_it_also_refuses_a_retired_development_key_among_rotated_ones():
    keys = f"{Fernet.generate_key().decode()},ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMzI="
    result = run(START, production(FIELD_ENCRYPTION_KEY=keys))
    assert result.returncode != 0 and "published development key" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if k not in KEYS and k != "DJANGO_SETTINGS_MODULE"},
             "DJANGO_DEBUG": "0", **production()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.TWO_FACTOR_REQUIRED, s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
    "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
)


def test_production_redirects_to_https_sends_hsts_and_requires_two_factor():
    result = run(SECURITY, production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "1800", "True", "None"]


def test_behind_a_proxy_it_trusts_the_proxys_scheme_and_the_idle_limit_is_a_setting():
    result = run(SECURITY, production(DJANGO_TRUSTED_PROXY_COUNT="1", SESSION_IDLE_MINUTES="15"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("900 True ('HTTP_X_FORWARDED_PROTO', 'https')")


def test_development_needs_no_two_factor_and_no_https():
    result = run(SECURITY, {}, debug="1")
    assert result.stdout.split()[:5] == ["False", "0", "False", "False", "False"]
