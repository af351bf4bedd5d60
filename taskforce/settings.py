"""Settings for Task Force, read from environment variables.

`DEBUG` is off unless `DJANGO_DEBUG=1` turns it on (`make run` and `make test` do, and so
does `taskforce.settings_test`). With `DEBUG` off the app refuses to start unsafely: it
wants its own keys (never the published development ones, never short ones) and a real
mail set-up, because invitation links are bearer tokens.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
import os

import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default, minimum=0):
    """A whole number from the environment, at least `minimum`: a negative count, a zero
    retention period or a zero idle limit is a typo, refused before it can do harm."""
    value = os.environ.get(name, "").strip()
    return _whole_number(name, value, minimum) if value else default


def _whole_number(name, value, minimum):
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


DEBUG = env_bool("DJANGO_DEBUG", False)

# Development-only keys, published in this repository: refused when DEBUG is off.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
_DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMzI="
_DEV_CPR_HASH_KEY = "dev-only-cpr-hash-key"
# A key shorter than this is refused in production (secrets.token_urlsafe(50) gives 67).
MIN_KEY_LENGTH = 50

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Comma-separated Fernet keys, newest first: old keys stay readable during rotation.
FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in os.environ.get("FIELD_ENCRYPTION_KEY", "").split(",") if k.strip()
]
# Key for the keyed hash that lets us find a CPR number by exact match. It must outlive
# encryption-key rotation, so in production it is a setting of its own.
CPR_HASH_KEY = os.environ.get("CPR_HASH_KEY", "")


def _refuse(message):
    raise ImproperlyConfigured(message + " (Set DJANGO_DEBUG=1 only on a development machine.)")


if not DEBUG:
    if not SECRET_KEY:
        _refuse("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    if SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        _refuse("DJANGO_SECRET_KEY is a published development key: generate your own.")
    if len(SECRET_KEY) < MIN_KEY_LENGTH or len(set(SECRET_KEY)) < 5:
        _refuse(f"DJANGO_SECRET_KEY is too short or too simple: use at least {MIN_KEY_LENGTH} random characters.")
    if not FIELD_ENCRYPTION_KEYS:
        _refuse("FIELD_ENCRYPTION_KEY must be set when DJANGO_DEBUG is off: CPR numbers are stored encrypted with it.")
    if _DEV_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        _refuse("FIELD_ENCRYPTION_KEY is the published development key: generate your own Fernet key.")
    if not CPR_HASH_KEY:
        _refuse("CPR_HASH_KEY must be set when DJANGO_DEBUG is off.")
    if CPR_HASH_KEY == _DEV_CPR_HASH_KEY:
        _refuse("CPR_HASH_KEY is the published development key: generate your own.")
    if len(CPR_HASH_KEY) < MIN_KEY_LENGTH:
        _refuse(f"CPR_HASH_KEY is too short: use at least {MIN_KEY_LENGTH} random characters.")
SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [_DEV_ENCRYPTION_KEY]
CPR_HASH_KEY = CPR_HASH_KEY or _DEV_CPR_HASH_KEY
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from None

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    # Sign-in: lockout after failed logins (axes), TOTP two-factor (django_otp), the CSP.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Ours, in layers: each imports only from those above it in this list (tests/test_layers.py).
    "core",
    "outbox",
    "accounts",
    "notifications",
    "audit",
    "citizens",
    "employers",
    "placements",
    "courses",
    "progress",
    "workspace",
    "imports",
    "worklist",
    "retention",
    # The project package: settings, URLs, the Celery app, site-wide views and seed_demo; no models.
    "taskforce",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "taskforce.middleware.DanishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Staff who must use two-factor authentication reach only its pages until they have.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Pages are private: no browser or proxy keeps a copy (Cache-Control: no-store).
    "taskforce.middleware.NoStoreMiddleware",
    # An internal case system: no search engine indexes it (X-Robots-Tag on every answer).
    "taskforce.middleware.NoIndexMiddleware",
    # Every error a person meets is a page in the site's layout and language (after messages,
    # so an htmx error can say that nothing was saved; after NoIndex, so it gets the header).
    "taskforce.middleware.ErrorPageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taskforce.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taskforce.context_processors.roles",
                "notifications.context_processors.bell",
            ],
            # Dates and numbers in each language's own patterns ({{ day|day_short }}, {{ hours|number }}; core/dates.py, core/numbers.py).
            "builtins": ["core.templatetags.dates", "core.templatetags.numbers"],
        },
    },
]

WSGI_APPLICATION = "taskforce.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
# DATABASE_POOLER=pgbouncer: DATABASE_URL names a PgBouncer in transaction pooling mode
# (scripts/pgbouncer, deploy/pgbouncer/), so each transaction may run on another server
# connection and nothing may outlive one. No server-side cursors (outside a transaction
# Django declares them WITH HOLD), no prepared statements (PgBouncer before 1.21 cannot
# route them; psycopg's default here, said aloud). Connections stay open, checked before
# reuse: a restarted PgBouncer closes them all.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured(f"DATABASE_POOLER must be empty or pgbouncer, not {DATABASE_POOLER!r}.")
if DATABASE_POOLER == "pgbouncer" and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Copenhagen"
# A task is acknowledged when it has finished, and given back to the queue if its worker
# dies, so a killed worker's import or mail runs again (each is all-or-nothing and idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A page that enqueues work must answer at once even when Redis is down: connect briefly,
# publish without retrying (the outbox and the import jobs are swept by beat instead).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 24 * 3600

# The nightly and monthly jobs (celery beat; `make prod` runs beat). Each is idempotent for
# its day, so a restarted beat or a job run twice does no harm.

CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "outbox.tasks.outbox_sweep", "schedule": 60.0},
    "imports-sweep": {"task": "imports.tasks.import_sweep", "schedule": 300.0},
    "citizen-statuses": {"task": "placements.tasks.statuses_refresh", "schedule": crontab(hour=0, minute=30)},
    "snapshot-progress": {"task": "progress.tasks.snapshot_progress", "schedule": crontab(hour=1, minute=0)},
    "anonymise-expired": {"task": "retention.tasks.anonymise_expired", "schedule": crontab(hour=2, minute=0)},
    "send-reminders": {"task": "worklist.tasks.send_reminders", "schedule": crontab(hour=5, minute=30)},
    "monthly-report": {
        "task": "progress.tasks.monthly_report",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}

# Uploaded import files wait here for their worker (they hold CPR numbers: readable by the
# app's own user only, and deleted when the import has run). Web and worker share it.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# The site's own address, for links in e-mails written by background jobs (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The daily loop's settings.
# Regular follow-ups on a placement, in months after its start.
FOLLOW_UP_MONTHS = tuple(
    _whole_number("FOLLOW_UP_MONTHS", months.strip(), 1)
    for months in os.environ.get("FOLLOW_UP_MONTHS", "1,3,6,12").split(",")
    if months.strip()
)
# The worklist: what counts as coming (days ahead), a placement ending soon, and a citizen in
# the target group with no contact for too long.
WORKLIST_COMING_DAYS = env_int("WORKLIST_COMING_DAYS", 14)
WORKLIST_ENDING_SOON_DAYS = env_int("WORKLIST_ENDING_SOON_DAYS", 30)
WORKLIST_NO_CONTACT_DAYS = env_int("WORKLIST_NO_CONTACT_DAYS", 90)
# The outbox: how often a mail is tried before it is marked failed, and the first wait.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60, minimum=1)
# A sent mail's recipients and text (which may name a company or carry a report) are removed
# after this many days; the row stays as a record that it went out.
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 30)
# Citizens whose last placement or case ended more than this many years ago are anonymised.
RETENTION_YEARS = env_int("RETENTION_YEARS", 5, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it counts failed logins (the admin's login included) and refuses a
# locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Ten wrong passwords for one account, or from one address, lock it out for a while; the
# right password is refused too until the lock ends or an admin lifts it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The count starts over once a user is fully signed in, not at the password step
# (accounts.signals and accounts.views.code_accepted).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_VERBOSE = False  # axes would log usernames and addresses at every attempt

# Two-factor authentication (TOTP) for consultants, managers and admins: required
# whenever DEBUG is off; in development the demo users may skip it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
if not DEBUG and not TWO_FACTOR_REQUIRED:
    _refuse("TWO_FACTOR_REQUIRED cannot be turned off when DJANGO_DEBUG is off: staff read CPR numbers.")
OTP_TOTP_ISSUER = "Task Force"

# Sessions end after SESSION_IDLE_MINUTES without a request (accounts.middleware moves the
# expiry on, at most once a minute), and when the browser closes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Fingerprinted, compressed static files with a year's cache in every set-up, `make run`
# included (core/staticfiles.py): whitenoise serves what collectstatic wrote to STATIC_ROOT,
# under DEBUG too (whitenoise.runserver_nostatic keeps runserver from serving the sources).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.FingerprintedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
# Only what a browser asks for is compressed (not the source maps, fonts or images).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv",
    "woff", "woff2", "map",
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
# A refused form (its page was open too long) is a page in the site's layout, not Django's.
CSRF_FAILURE_VIEW = "taskforce.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production runs behind a TLS-terminating proxy: it tells us the scheme, and the number of
# proxies in front says which X-Forwarded-For address is the client's (core.http).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# The header only allows submitting the site to the browsers' preload list; it submits nothing.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)

# A strict Content Security Policy: our own files only, no inline script or style, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # DKFDS draws some icons from data: URIs; the 2FA QR code is a data: image.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# E-mail. Invitation links are bearer tokens: in production they go through a real mail
# server and never to the console or a log. In development they land in files under
# var/mail/ (one file per message), not in the server's output.
_DEV_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", _DEV_EMAIL_BACKEND if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Task Force <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if not DEBUG:
    if EMAIL_BACKEND.rpartition(".")[0].rpartition(".")[2] in {"console", "filebased", "locmem", "dummy"}:
        _refuse(
            f"EMAIL_BACKEND {EMAIL_BACKEND} keeps mail on this machine: invitation links are "
            "bearer tokens and must go out through a real mail server."
        )
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and not EMAIL_HOST:
        _refuse("EMAIL_HOST must name the mail server when DJANGO_DEBUG is off.")
    if "@localhost" in DEFAULT_FROM_EMAIL:
        _refuse("DEFAULT_FROM_EMAIL must be the jobcenter's own sender address when DJANGO_DEBUG is off.")

# A flex job of at most this many hours a week is shown as a mini flex job.
MINI_FLEXJOB_MAX_HOURS = Decimal(os.environ.get("MINI_FLEXJOB_MAX_HOURS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # An ordinary 403 or 404 is a warning line, not a traceback; invitation tokens in a
        # path are blanked before any handler sees them.
        "quiet_client_errors": {"()": "taskforce.log_filters.QuietClientErrors"},
        "redact_tokens": {"()": "taskforce.log_filters.RedactTokens"},
    },
    # runserver's request lines, as Django writes them ("[time] line").
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["quiet_client_errors", "redact_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request logs carry URLs only; personal data never goes into URLs.
    "loggers": {
        # Django's own handlers for its loggers (a console in DEBUG, mail to ADMINS) sit past
        # our filters and, in DEBUG, wrote each line twice: everything goes through ours, once.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO", "propagate": True},
        "django.request": {"level": "INFO", "filters": ["quiet_client_errors", "redact_tokens"]},
        # A request for another host name is a 400 and a line, not a traceback.
        "django.security.DisallowedHost": {"level": "INFO", "filters": ["quiet_client_errors", "redact_tokens"]},
        # Configuring it replaces Django's handler for it, so it is named again here.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "filters": ["redact_tokens"], "propagate": False},
        "axes": {"level": "WARNING"},
        # At DEBUG the template engine logs whole page contexts: never let personal data out.
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# `make screenshots` shows the error pages people get, not Django's technical pages for
# developers: with DJANGO_DEBUG=1 and this, everything else stays as in development (the
# keys, cookies over plain HTTP, mail to the console) but DEBUG itself is off.
if DEBUG and env_bool("DJANGO_PEOPLES_ERROR_PAGES", False):
    DEBUG = False
