"""The log filters: an invitation token never reaches a log line, whichever server writes
it, and an ordinary 403 is a line, not a traceback."""

import logging

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
