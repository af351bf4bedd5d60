"""Logging filters: what the request logs may carry.

- `RedactTokens` blanks, in any log line (the server's request line, a 404 or 410 warning,
  gunicorn's access log):
  - the token of an invitation link: the link is a bearer token, as good as a password until
    it is used;
  - whatever in a URL is or may be (part of) a CPR number (core.cpr_text): the Django
    admin's list search puts `?q=<what was typed>` in its URL, a referrer carries it on, and
    a mistyped path may hold one. Only URLs are searched: elsewhere in a line, a status and a
    response size ("200 51234") would look like one.
- `QuietClientErrors` keeps an ordinary 403 or 404 a one-line warning: Django attaches the
  exception, which would print a traceback for what is no fault of ours.
"""

import logging
import re

from core.cpr_text import mask_cpr_like

TOKEN_IN_PATH = re.compile(r"(/invitations/)(?!accept/)[^/\s?\"']+")
REDACTED = r"\1[…]"
# A URL in a log line: a path (after a space, a quote, "=" or the line's start), or a whole
# URL (a referrer), up to the next space or quote.
URL_IN_LINE = re.compile(r"(?:(?<=[\s\"'=(\[])|^)(?:[A-Za-z][A-Za-z0-9+.-]*://[^/\s\"']*)?/[^\s\"']*")


def redact_line(message):
    """The log line with invitation tokens blanked and CPR-like numbers in its URLs masked."""
    message = TOKEN_IN_PATH.sub(REDACTED, message)
    return URL_IN_LINE.sub(lambda url: mask_cpr_like(url.group()), message)


class RedactTokens(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        redacted = redact_line(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class QuietClientErrors(logging.Filter):
    def filter(self, record):
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
