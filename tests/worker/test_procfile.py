"""The production shape's files agree: `make prod` (the Procfile, run by honcho) starts the
same web, worker and beat as the Dockerfile and docker-compose.yml, and refuses to start
without PostgreSQL and Redis named. (Running it for real: README.md, "make prod".)"""

import os
import re
import subprocess

from .conftest import ROOT


def procfile():
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)  # as honcho reads it
        if match:
            processes[match[1]] = match[2]
    return processes


def test_the_procfile_runs_web_a_worker_and_beat_as_the_containers_do():
    processes = procfile()
    assert list(processes) == ["web", "worker", "beat"]
    compose = (ROOT / "docker-compose.yml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert processes["web"] == "gunicorn -c python:taskforce.gunicorn_conf taskforce.wsgi:application"
    assert f"exec {processes['web']}" in compose
    assert 'CMD ["gunicorn", "-c", "python:taskforce.gunicorn_conf", "taskforce.wsgi:application"]' in dockerfile
    assert processes["worker"].startswith("celery -A taskforce worker ")
    assert '["celery", "-A", "taskforce", "worker",' in compose
    assert processes["beat"].startswith("celery -A taskforce beat ") and "--schedule=var/" in processes["beat"]
    assert '["celery", "-A", "taskforce", "beat",' in compose


def make_prod_environment(**env):
    base = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "DATABASE_POOLER")}
    return subprocess.run(
        ["make", "--no-print-directory", "prod-environment"], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=30,
    )


def test_make_prod_refuses_to_start_without_postgresql_and_redis():
    result = make_prod_environment()
    assert result.returncode != 0 and "make prod: set DATABASE_URL" in result.stderr
    result = make_prod_environment(DATABASE_URL="sqlite:///db.sqlite3", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0 and "DATABASE_URL must name a PostgreSQL database" in result.stderr
    result = make_prod_environment(DATABASE_URL="postgres://taskforce@127.0.0.1:5432/taskforce")
    assert result.returncode != 0 and "make prod: set REDIS_URL" in result.stderr
    result = make_prod_environment(DATABASE_URL="postgres://taskforce@127.0.0.1/taskforce", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr


def test_make_prod_asks_for_the_pooler_setting_behind_pgbouncer():
    behind = {"DATABASE_URL": "postgres://taskforce@127.0.0.1:6432/taskforce", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = make_prod_environment(**behind)
    assert result.returncode != 0 and "set DATABASE_POOLER=pgbouncer too" in result.stderr
    assert make_prod_environment(**behind, DATABASE_POOLER="pgbouncer").returncode == 0
    result = make_prod_environment(**behind, DATABASE_POOLER="odyssey")
    assert result.returncode != 0 and "DATABASE_POOLER must be empty or pgbouncer" in result.stderr
