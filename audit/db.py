"""The database's side of an append-only log: triggers (migration 0004) refuse UPDATE and
DELETE on the log's tables on SQLite and PostgreSQL alike, so neither the ORM nor raw SQL
of ours changes the evidence.

One door stays, for DELETE only: `log_purge_allowed()`. It exists for two callers and no
others: retention (a later issue), which must write to the log what it purged, and the test
suite's flush of a transactional test on SQLite (PostgreSQL flushes with TRUNCATE, which
row triggers do not see).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

# The SQLite trigger asks this function (registered on each of our connections) whether a
# DELETE may pass; any other program's connection lacks it, and its DELETE fails.
SQLITE_PURGE_FUNCTION = "taskforce_audit_purge_allowed"
# The PostgreSQL trigger reads this setting, set for one transaction only.
POSTGRESQL_PURGE_SETTING = "taskforce.audit_purge"

_purge_allowed = ContextVar("audit_purge_allowed", default=False)


def register_sqlite_function(sender, connection, **kwargs):
    """`connection_created` receiver: teach each SQLite connection the trigger's question."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_PURGE_FUNCTION, 0, lambda: int(_purge_allowed.get()))


@contextmanager
def log_purge_allowed():
    """Let DELETE on the log's tables pass inside this block (UPDATE never passes).

    Only for retention, which logs what it deletes, and for test teardown."""
    token = _purge_allowed.set(True)
    try:
        with transaction.atomic():
            postgresql = connection.vendor == "postgresql"
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'on', true)", [POSTGRESQL_PURGE_SETTING])
            yield
            if postgresql:
                # Inside an outer transaction this block is a savepoint, and a local setting
                # would outlive it until the outer commit: close the door here. (Were the
                # block to fail, rolling back to the savepoint undoes the setting anyway.)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'off', true)", [POSTGRESQL_PURGE_SETTING])
    finally:
        _purge_allowed.reset(token)


@contextmanager
def log_purge_allowed_for_test_flush():
    """For the test suite: the flush after a transactional test empties every table, the
    log's included, in its own transaction (so no `atomic` here)."""
    token = _purge_allowed.set(True)
    try:
        yield
    finally:
        _purge_allowed.reset(token)
