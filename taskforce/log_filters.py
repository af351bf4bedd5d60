"""Logging filters: what the request logs may carry.

- `RedactTokens` blanks the token of an invitation link in any log line (the server's
  request line, a 404 or 410 warning): the link is a bearer token, as good as a password
  until it is used.
- `QuietClientErrors` keeps an ordinary 403 or 404 a one-line warning: Django attaches the
  exception, which would print a traceback for what is no fault of ours.
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/invitations/)(?!accept/)[^/\s?\"']+")
REDACTED = r"\1[…]"


class RedactTokens(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        redacted = TOKEN_IN_PATH.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class QuietClientErrors(logging.Filter):
    def filter(self, record):
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
