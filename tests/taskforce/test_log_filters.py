"""The log filters: an invitation token never reaches a log line, whichever server writes
it, and an ordinary 403 is a line, not a traceback."""

import logging
import os
import subprocess
import sys

from django.conf import settings as django_settings

from taskforce import gunicorn_conf
from taskforce.log_filters import QuietClientErrors, RedactTokens

TOKEN = "Zt3kq9VbX0-token-of-an-invitation_abc"


def record(msg, args=(), name="django.server", **extra):
    r = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(r, key, value)
    return r


def test_it_blanks_the_token_in_the_servers_request_line():
    r = record('"%s" %s %s', (f"GET /taskforce/invitations/{TOKEN}/ HTTP/1.1", 302, 0))
    assert RedactTokens().filter(r)
    assert TOKEN not in r.getMessage()
    assert r.getMessage() == '"GET /taskforce/invitations/[…]/ HTTP/1.1" 302 0'


def test_it_leaves_the_tokenless_accept_page_and_other_lines_alone():
    for line in ("GET /taskforce/invitations/accept/ HTTP/1.1", "GET /citizens/ HTTP/1.1"):
        r = record("%s", (line,))
        RedactTokens().filter(r)
        assert r.getMessage() == line


def test_gunicorns_access_log_is_filtered_too(caplog):
    access = logging.getLogger("gunicorn.access")
    before = list(access.filters)
    try:
        gunicorn_conf.on_starting(server=None)
        with caplog.at_level(logging.INFO, logger="gunicorn.access"):
            access.info('%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": f"GET /taskforce/invitations/{TOKEN}/ HTTP/1.1", "s": "302"})
        assert caplog.records and TOKEN not in caplog.text
        assert "/taskforce/invitations/[…]/" in caplog.text
    finally:
        access.filters[:] = before
        logging.getLogger("gunicorn.error").filters[:] = [
            f for f in logging.getLogger("gunicorn.error").filters if not isinstance(f, RedactTokens)
        ]


def test_a_client_error_loses_its_traceback_but_a_server_error_keeps_it():
    try:
        raise PermissionError("forbidden")
    except PermissionError:
        import sys

        info = sys.exc_info()
    forbidden = record("Forbidden: %s", ("/citizens/",), name="django.request", status_code=403)
    forbidden.exc_info = info
    assert QuietClientErrors().filter(forbidden) and forbidden.exc_info is None
    failure = record("Internal Server Error: %s", ("/citizens/",), name="django.request", status_code=500)
    failure.exc_info = info
    assert QuietClientErrors().filter(failure) and failure.exc_info is info


def test_the_settings_attach_the_filters_to_the_request_loggers(settings):
    loggers = settings.LOGGING["loggers"]
    assert "redact_tokens" in loggers["django.request"]["filters"]
    assert "quiet_client_errors" in loggers["django.request"]["filters"]
    assert "redact_tokens" in loggers["django.server"]["filters"]
    assert "redact_tokens" in settings.LOGGING["handlers"]["console"]["filters"]


def test_runservers_request_lines_are_written_once_with_the_token_blanked():
    """Naming the request loggers in LOGGING replaces Django's handlers for them: runserver's
    request line still reaches the console (with its time), and a warning is written once."""
    code = (
        "import django, logging; django.setup(); "
        f"logging.getLogger('django.server').info('\"GET /taskforce/invitations/{TOKEN}/ HTTP/1.1\" 302 0'); "
        "logging.getLogger('django.request').warning('Not Found: /no-such-page/')"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "LOG_LEVEL")}
    environ.update(DJANGO_SETTINGS_MODULE="taskforce.settings", DJANGO_DEBUG="1")
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert TOKEN not in result.stderr
    assert '"GET /taskforce/invitations/[…]/ HTTP/1.1" 302 0' in result.stderr
    assert result.stderr.count("Not Found: /no-such-page/") == 1, result.stderr


# --- CPR numbers in a URL (core.cpr_text) -------------------------------------------------

CPR_IN_URLS = [
    "/admin/citizens/citizen/?q=0101901234",
    "/admin/citizens/citizen/?q=010190-1234",
    "/admin/citizens/citizen/?q=010190+1234",
    "/admin/citizens/citizen/?q=010190%201234",
    "/admin/citizens/citizen/?q=01.01.90-1234",
    "/admin/citizens/citizen/?q=01019O-1234",
    "/admin/citizens/citizen/?q=010190-12",  # a piece of one
    "/admin/citizens/citizen/5/change/?_changelist_filters=q%3D0101901234",
    "/citizens/0101901234/",
]


def test_it_masks_a_cpr_number_in_the_servers_request_line():
    for url in CPR_IN_URLS:
        r = record('"%s" %s %s', (f"GET {url} HTTP/1.1", 200, 51234))
        assert RedactTokens().filter(r)
        message = r.getMessage()
        assert "XXXXXX-XXXX" in message, url
        assert not any(piece in message for piece in ("010190", "01.01.90", "01019O")), message
        # The status and the size are no URL: they stay, though together they have 8 digits.
        assert message.endswith('HTTP/1.1" 200 51234'), message


def test_it_masks_a_cpr_number_in_a_warning_and_a_referrer():
    warning = record("Not Found: %s", ("/citizens/010190-1234/",), name="django.request", status_code=404)
    RedactTokens().filter(warning)
    assert warning.getMessage() == "Not Found: /citizens/XXXXXX-XXXX/"
    access = record(
        '%s "%s" %s "%s" "%s"',
        ("10.0.0.1", "GET /admin/ HTTP/1.1", 200, "https://tf.example.dk/admin/citizens/citizen/?q=0101901234",
         "Mozilla/5.0 Chrome/120.0.0.0"),
        name="gunicorn.access",
    )
    RedactTokens().filter(access)
    assert access.getMessage() == (
        '10.0.0.1 "GET /admin/ HTTP/1.1" 200 "https://tf.example.dk/admin/citizens/citizen/?q=XXXXXX-XXXX" '
        '"Mozilla/5.0 Chrome/120.0.0.0"'
    )


def test_it_leaves_lines_without_a_cpr_like_number_alone():
    for line in ("GET /citizens/12/ HTTP/1.1", "GET /audit/?page=2 HTTP/1.1", "GET /static/app.css HTTP/1.1"):
        r = record('"%s" %s %s', (line, 200, 123456))
        RedactTokens().filter(r)
        assert r.getMessage() == f'"{line}" 200 123456'


def test_the_request_loggers_mask_a_cpr_number_typed_into_a_url(admin_client, citizen, caplog):
    """Through the filters the settings attach: the admin's list search and a 404 warning (the
    test client writes no request line; runserver's is written here as runserver does)."""
    number = citizen.reveal_cpr()
    with caplog.at_level(logging.INFO):
        assert admin_client.get("/admin/citizens/citizen/", {"q": number}).status_code == 200
        assert admin_client.get(f"/no-such-page/{number}/").status_code == 404
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /admin/citizens/citizen/?q={number} HTTP/1.1", 200, 1)
    lines = [r.getMessage() for r in caplog.records if r.name in ("django.request", "django.server")]
    assert "Not Found: /no-such-page/XXXXXX-XXXX/" in lines, lines
    assert '"GET /admin/citizens/citizen/?q=XXXXXX-XXXX HTTP/1.1" 200 1' in lines, lines
    assert not [line for line in lines if number in line or number.replace("-", "") in line]
