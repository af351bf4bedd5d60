"""Settings for the test suite: the development defaults (DEBUG explicitly on, development
keys, SQLite unless DATABASE_URL says otherwise). pytest-django still runs each test with
DEBUG off; tests of the production checks start Django in a subprocess with
`taskforce.settings` and DJANGO_DEBUG=0."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: E402,F403

# The suite renders pages without running collectstatic first: plain names, served from the
# sources (the fingerprinted storage of every real set-up has its own test).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
