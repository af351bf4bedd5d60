"""A throwaway demo site for the tools that look at the pages (`make screenshots`,
`make lighthouse`): its own SQLite database in a temporary folder, migrated, the demo loaded
(seed_demo), static files collected, served by `manage.py runserver` on a free port of
127.0.0.1, with tasks run in-process as with `make run`. It leaves db.sqlite3 alone."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_site(**extra_env):
    """Yield the origin ("http://127.0.0.1:PORT") of a fresh demo site; stop it afterwards.
    `extra_env`: more settings for the server (not for migrate and seed_demo)."""
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = dict(
            os.environ,
            DJANGO_DEBUG=os.environ.get("DJANGO_DEBUG", "1"),
            DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite3",
            MEDIA_ROOT=f"{tmp}/media",
        )
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
            subprocess.run(manage + command + ["-v", "0"], env=env, check=True, cwd=ROOT)
        server = subprocess.Popen(
            manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
            env=dict(env, **extra_env), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            origin = f"http://127.0.0.1:{port}"
            for _ in range(150):
                try:
                    urllib.request.urlopen(origin + "/healthz", timeout=2)
                    break
                except Exception:
                    time.sleep(0.2)
            else:
                raise SystemExit("the demo server did not start")
            yield origin
        finally:
            server.terminate()
            server.wait(timeout=10)
