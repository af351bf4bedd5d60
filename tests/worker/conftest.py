"""Real Celery workers against the real PostgreSQL and Redis: a worker in a thread of the
test process (`worker`), or in a process of its own that a test may kill (`worker_process`).

These tests run only where DATABASE_URL names PostgreSQL and REDIS_URL a Redis that answers
(CI sets both); elsewhere, as with `make test` on SQLite, they are skipped. Each test uses
`transactional_db`, so what it writes is committed and a worker sees it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _why_not_here():
    """Why the real-worker tests cannot run here, or None."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return "DATABASE_URL does not name PostgreSQL"
    if not redis_url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at REDIS_URL does not answer ({type(error).__name__})"
    return None


WHY_NOT_HERE = _why_not_here()
# For each test module here: `pytestmark = REAL_WORKER`.
REAL_WORKER = [pytest.mark.worker, pytest.mark.skipif(WHY_NOT_HERE is not None, reason=WHY_NOT_HERE or "")]


def wait_for(condition, *, timeout=60, every=0.05, what="the condition"):
    """Poll `condition()` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(every)


@pytest.fixture
def broker(transactional_db, settings, tmp_path):
    """Tasks go through the real Redis broker (not run in-process, as elsewhere in the suite),
    from a queue emptied of what earlier runs may have left; uploads are kept in a folder of
    the test's own. The suite's autouse fixture turns in-process tasks back on afterwards."""
    from taskforce.celery import app

    assert app.conf.broker_url.startswith("redis://")
    app.conf.task_always_eager = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    app.control.purge()
    yield app
    app.control.purge()


@pytest.fixture
def worker(broker):
    """A real worker in a thread of this process (solo pool), running until the test ends."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(broker, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        yield


def _database_url():
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def worker_process(broker, settings, tmp_path):
    """`start()`: a worker in a process of its own (`celery -A taskforce worker`, solo pool, so
    the process that imports is the one a test kills), on the test's database (the test
    database pytest-django made, not the one DATABASE_URL names) and broker. Returns the
    Popen; its output goes to a log in the test's folder. Every worker still running when the
    test ends is stopped."""
    started = []

    def start(name="worker"):
        log = open(tmp_path / f"{name}-{len(started)}.log", "w")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker.worker_settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker.conf.broker_url,
            "TASKFORCE_TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
            "PYTHONPATH": str(ROOT),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "taskforce", "worker", "--pool=solo", "--concurrency=1",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
            f"--hostname={name}-{os.getpid()}-{len(started)}@%h",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


@pytest.fixture
def killed_deliveries(broker):
    """Ids of import jobs whose worker a test kills. A killed worker never acknowledges its
    message, and the broker would put it back in the queue after its visibility timeout (an
    hour); harmless (the job is done by then), but no later test or run on this Redis
    database should meet it, so it is taken away when the test ends."""
    import redis

    job_ids = []
    yield job_ids
    client = redis.Redis.from_url(broker.conf.broker_url)
    for tag, payload in client.hgetall("unacked").items():
        message = json.loads(payload)
        headers = (message[0] if isinstance(message, list) else message).get("headers", {})
        if headers.get("task") == "imports.tasks.import_file" and headers.get("argsrepr") in {
            f"({job_id},)" for job_id in job_ids
        }:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def worker_log(tmp_path):
    """What the test's workers wrote, for a failing test's message."""
    return "\n".join(path.read_text(errors="replace")[-4000:] for path in sorted(tmp_path.glob("worker-*.log")))
