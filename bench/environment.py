"""The settings a benchmark or load test runs with, set before Django starts.

The app's development keys with DEBUG itself off (DJANGO_DEBUG=1 with DJANGO_PEOPLES_ERROR_PAGES=1,
as `make screenshots` does): no query log kept for every request, no debug templates, so the
figures are production's, while two-factor sign-in, HTTPS redirects and real mail (which a
benchmark cannot give) stay as in development. The database is DATABASE_URL's, and must be
PostgreSQL: the goals are PostgreSQL's, and SQLite's figures would mislead. BENCH_ALLOW_SQLITE=1
lets the harness's own test run on the suite's SQLite database.
"""

import os
import sys

SETTINGS = "taskforce.settings"


class Refused(SystemExit):
    """A run that cannot give meaningful figures: said plainly, exit status 2."""

    def __init__(self, message):
        print(f"bench: {message}", file=sys.stderr)
        super().__init__(2)


def is_postgresql(url):
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def check_database(url=None):
    """Refuse anything but PostgreSQL, unless BENCH_ALLOW_SQLITE=1."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    if is_postgresql(url):
        return url
    if os.environ.get("BENCH_ALLOW_SQLITE") == "1":
        return url
    if not url:
        raise Refused(
            "set DATABASE_URL to a PostgreSQL database the benchmark may fill (it adds up to a million "
            "synthetic citizens), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskforce_bench"
        )
    raise Refused(
        "DATABASE_URL must name a PostgreSQL database (postgres://…): the goals are PostgreSQL's. "
        "BENCH_ALLOW_SQLITE=1 runs the harness on SQLite anyway, for its own test only."
    )


def configure():
    """Set the environment for the run (and for the commands and servers it starts)."""
    check_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # Development keys, DEBUG off: see the module's docstring. A run never sends mail.
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DJANGO_PEOPLES_ERROR_PAGES"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    return dict(os.environ)
