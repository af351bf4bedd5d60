"""gunicorn's settings for production (`gunicorn -c python:taskforce.gunicorn_conf`).

The access log writes each request's path, and the e-mailed invitation link carries its
token in the path: the same filter as Django's logs blanks it before the line is written."""

import logging
import os

from taskforce.log_filters import RedactTokens

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
errorlog = "-"


def on_starting(server):
    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
