"""Behind PgBouncer in transaction pooling mode (DATABASE_POOLER=pgbouncer, as CI runs the
suite and docker-compose.yml runs the app; scripts/pgbouncer): the suite's connection really
goes through PgBouncer, one connection's transactions may run on different server connections
without harm, and the app leaves nothing on a server connection that the next transaction,
maybe another client's, would inherit. Those tests are skipped when the suite talks to
PostgreSQL directly or to SQLite; the check of the app's SQL for what would outlive a
transaction runs everywhere."""

import ast
import os
import re
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from accounts.models import Municipality, Role
from imports.tasks import import_file
from tests.factories import make_user
from tests.imports.conftest import make_job

ROOT = Path(__file__).resolve().parents[1]

behind_pgbouncer = pytest.mark.skipif(
    not (os.environ.get("DATABASE_POOLER", "").strip().lower() == "pgbouncer" and connection.vendor == "postgresql"),
    reason="the suite does not run behind PgBouncer (set DATABASE_POOLER=pgbouncer and a DATABASE_URL "
    "through it, e.g. port 6432 of scripts/pgbouncer)",
)

# Parameters PgBouncer keeps for each client and sets on whichever server connection it
# lends that client: the only session settings that may differ from one client to the next.
TRACKED_BY_PGBOUNCER = ["client_encoding", "datestyle", "timezone", "standard_conforming_strings", "application_name"]
LEFT_ON_THE_SESSION = (
    "SELECT pg_backend_pid(), "
    "(SELECT coalesce(json_object_agg(name, setting), '{}') FROM pg_settings "
    " WHERE source = 'session' AND lower(name) <> ALL(%s)), "
    "(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())"
)

# SQL whose effect outlives its transaction, and what lasts one transaction only instead.
OUTLIVES_A_TRANSACTION = {
    "a session setting (SET LOCAL or set_config(…, true) last one transaction)": re.compile(
        r"^\s*SET\s+(SESSION\s+)?((ROLE|SESSION\s+AUTHORIZATION|TIME\s+ZONE)\b"
        r"|(?!LOCAL\b|CONSTRAINTS\b|TRANSACTION\b)[\w.]+\s*(=|TO\b))"
    ),
    "a session setting (set_config(…, true) lasts one transaction)": re.compile(
        r"\bset_config\s*\([^)]*,\s*false\s*\)", re.I
    ),
    "a session advisory lock (pg_advisory_xact_lock lasts one transaction)": re.compile(
        r"\bpg_(try_)?advisory_lock(_shared)?\s*\(", re.I
    ),
    "LISTEN": re.compile(r"^\s*(UN)?LISTEN\b", re.I),
    "a cursor WITH HOLD": re.compile(r"\bWITH\s+HOLD\b", re.I),
    "a temporary table": re.compile(r"\bCREATE\s+(TEMP|TEMPORARY)\b", re.I),
    "a prepared statement": re.compile(r"^\s*PREPARE\b", re.I),
}


def _params(dbname):
    db = connection.settings_dict
    return {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"] or None, "dbname": dbname}


def console(statement):
    """The rows of a SHOW on PgBouncer's admin console, as dicts."""
    with psycopg.connect(**_params("pgbouncer"), autocommit=True) as admin:
        cursor = admin.execute(statement)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


def ours(rows):
    """The rows of SHOW POOLS or SHOW SERVERS for the suite's database and user."""
    db = connection.settings_dict
    return [row for row in rows if (row["database"], row["user"]) == (db["NAME"], db["USER"])]


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@contextmanager
def idle_server_connections_taken():
    """Every server connection PgBouncer keeps idle for the suite's database, each held in an
    open transaction by a client of its own: {backend pid: (its session settings but those
    PgBouncer sets for each client, how many advisory locks its session holds)}."""
    (pool,) = ours(console("SHOW POOLS"))
    with ExitStack() as stack:
        seen = {}
        for _ in range(pool["sv_idle"] + pool["sv_used"]):
            client = stack.enter_context(psycopg.connect(**_params(connection.settings_dict["NAME"])))
            pid, settings, locks = client.execute(LEFT_ON_THE_SESSION, [TRACKED_BY_PGBOUNCER]).fetchone()
            seen[pid] = (settings, locks)
        yield seen


def assert_nothing_left_on_the_pool():
    with idle_server_connections_taken() as held:
        assert set(held) == {server["remote_pid"] for server in ours(console("SHOW SERVERS"))}
        assert {pid: left for pid, left in held.items() if left != ({}, 0)} == {}


@behind_pgbouncer
def test_it_reaches_postgresql_through_pgbouncer_in_transaction_pooling_mode(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), inet_server_port()")
        pid, server_port = cursor.fetchone()
    assert server_port != int(connection.settings_dict["PORT"])  # someone stands in between
    (pool,) = ours(console("SHOW POOLS"))
    assert pool["pool_mode"] == "transaction"
    # The test's transaction holds the server connection PgBouncer lent it.
    assert [server["state"] for server in ours(console("SHOW SERVERS")) if server["remote_pid"] == pid] == ["active"]


@behind_pgbouncer
def test_one_connection_s_transactions_may_run_on_different_server_connections_without_harm(transactional_db):
    first = backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == "UTC"  # Django's, set once on its first server connection
    with idle_server_connections_taken() as held:
        assert first in held
        second = backend_pid()
        assert second != first
        with connection.cursor() as cursor:
            cursor.execute("SHOW TimeZone")
            assert cursor.fetchone()[0] == "UTC"  # PgBouncer set it on this one too
        Municipality.objects.create(code=607, name="Fredericia")
    assert Municipality.objects.get().name == "Fredericia"


@behind_pgbouncer
def test_an_import_leaves_nothing_on_any_server_connection(transactional_db):
    """An import writes its progress on a connection of its own while it runs (on PostgreSQL,
    outside a transaction). Whatever the tests before left on the pool is found too."""
    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    job = make_job(make_user("konsulent", fredericia, Role.CONSULTANT))
    import_file.delay(job.pk)
    job.refresh_from_db()
    assert (job.state, job.progress, job.total) == ("done", 1, 1)
    assert_nothing_left_on_the_pool()


def _sql_strings(tree):
    """(line, text) of each string in a module: an f-string as one, its values as {}."""
    inside = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside:
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def test_the_app_s_sql_leaves_nothing_behind_its_transaction():
    """Behind PgBouncer the next transaction may run on another server connection, and what a
    session keeps stays on the server connection for some other client. (The tests' own SQL
    is theirs to choose.)"""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests", ".git"}:
            continue
        for line, text in _sql_strings(ast.parse(path.read_text(), str(relative))):
            found += [f"{relative}:{line}: {what}" for what, rule in OUTLIVES_A_TRANSACTION.items() if rule.search(text)]
    assert not found, "\n".join(found)
