"""`python -m bench.load [--users 50] [--spawn-rate 10] [--run-time 3m] [--workers 3] [--out bench]`:
the load test. Locust, headless, against gunicorn on 127.0.0.1 (a free port), on the database
DATABASE_URL names (PostgreSQL; the one `make bench` filled), for a bounded time; then gunicorn
is stopped. Prints requests per second, p50, p95 and errors, and adds a "Load test" section to
results.md and results.json in --out (bench/ by default).

Prepares, in that database only: the demo password for 20 of the generated consultants of
607 (`gen-konsulent-607-N`, each with a caseload of their own), so consultants sign in as
different people; no earlier failed sign-ins (django-axes), so none is locked out. Each
simulated person signs in once. collectstatic runs first if it never has: gunicorn's pages
name the fingerprinted files.

Settings from the environment as well: LOAD_USERS, LOAD_SPAWN_RATE, LOAD_RUN_TIME,
LOAD_WORKERS, LOAD_WAIT ("0.5 2.5": seconds between a person's requests), BENCH_OUT.
"""

import argparse
import csv
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from bench import environment

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MUNICIPALITY = 607
CONSULTANTS = 20
PASSWORD = "taskforce-demo"  # seed_demo's: this is a demo database
NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Rasmussen"]
START_TIMEOUT = 90
STOP_TIMEOUT = 30


def parse(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(env("LOAD_USERS") or 50))
    parser.add_argument("--spawn-rate", type=float, default=float(env("LOAD_SPAWN_RATE") or 10))
    parser.add_argument("--run-time", default=env("LOAD_RUN_TIME") or "3m", help="Locust's: 90s, 3m, 1h (at most 1h)")
    parser.add_argument("--workers", type=int, default=int(env("LOAD_WORKERS") or 3), help="gunicorn workers")
    parser.add_argument("--out", default=env("BENCH_OUT") or "bench")
    args = parser.parse_args(argv)
    args.seconds = seconds(args.run_time)
    if not 0 < args.seconds <= 3600:
        parser.error("--run-time: more than 0 and at most 1h, e.g. 3m")
    return args


def seconds(run_time):
    match = re.fullmatch(r"(\d+)(s|m|h)?", run_time.strip())
    if not match:
        return 0
    return int(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2) or "s"]


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    environment.configure()
    import django

    django.setup()
    from bench import report
    from bench.run import machine

    data = prepare()
    collectstatic()
    with tempfile.TemporaryDirectory() as folder:
        data_file = Path(folder) / "load.json"
        data_file.write_text(json.dumps(data), encoding="utf-8")
        log_dir = ROOT / "var" / "load"
        log_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        with gunicorn(port, args.workers, log_dir / "gunicorn.log"):
            stats = locust(f"http://127.0.0.1:{port}", args, data_file, log_dir)
    load = {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "users": args.users, "spawn_rate": args.spawn_rate, "run_time": args.run_time, "workers": args.workers,
        "mix": "consultants, managers and leaders 3:1:1", "citizens": data["citizens_here"],
        "cores": os.cpu_count(), **stats,
    }
    total = load["total"]
    print(f"load: {total['rps']:.1f} requests/s, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
          f"{total['failures']} errors of {total['requests']} requests ({data['citizens_here']:,} citizens in {MUNICIPALITY})")
    try:
        results = report.read(args.out)
    except FileNotFoundError:
        results = {"started": load["started"], "machine": machine(), "runs": 0, "counted_runs": 0,
                   "trivial": "", "sizes": [], "imports": None}
    results["load"] = load
    report.write(results, args.out)
    print(f"load: wrote {args.out}/results.md and results.json")
    return 0 if total["failures"] == 0 and total["requests"] > 0 else 1


def prepare():
    """Users with a known password, the records to open, no lock-outs: what locustfile.py reads."""
    from axes.utils import reset
    from django.contrib.auth import get_user_model

    from citizens.models import Citizen
    from employers.models import Employer
    from workspace.access import task_forces_for_user

    users = get_user_model().objects
    consultants = list(users.filter(username__startswith=f"gen-konsulent-{MUNICIPALITY}-").order_by("pk")[:CONSULTANTS])
    for user in consultants:
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    reset()  # earlier failed sign-ins, of any user, in this database
    leader = users.get(username="leder")
    task_force = task_forces_for_user(leader).order_by("pk").first()
    citizens = Citizen.objects.filter(municipality__code=MUNICIPALITY)
    rng = random.Random(MUNICIPALITY)
    top = citizens.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Ids spread over the whole table, not only the newest (a sample by id range is cheap at 1M).
    sample = [rng.randint(1, top) for _ in range(2000)] if top else []
    citizen_ids = list(citizens.filter(pk__in=sample).values_list("pk", flat=True)[:300])
    employer_ids = list(Employer.objects.filter(municipality__code=MUNICIPALITY).order_by("?").values_list("pk", flat=True)[:100])
    query = f"?municipality={MUNICIPALITY}"
    return {
        "password": PASSWORD,
        "consultants": [u.username for u in consultants] or ["konsulent"],
        "managers": ["chef"],
        "leaders": ["leder"],
        "citizens": citizen_ids,
        "employers": employer_ids,
        "names": NAMES,
        "task_force": f"/taskforce/{task_force.pk}/",
        "downloads": {
            "csv": "/dashboard/export.csv" + query,
            "xlsx": "/dashboard/export.xlsx" + query,
            "pdf": "/dashboard/status.pdf" + query,
        },
        "citizens_here": citizens.count(),
    }


def collectstatic():
    """gunicorn's pages name the files of collectstatic's manifest: collect when there is none,
    or when a static file is newer than it."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [p for folder in settings.STATICFILES_DIRS for p in Path(folder).rglob("*") if p.is_file()]
    if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
        print("load: collectstatic")
        call_command("collectstatic", interactive=False, verbosity=0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class gunicorn:
    """The Procfile's web process on 127.0.0.1:port, stopped (SIGTERM, then SIGKILL) on the way out."""

    def __init__(self, port, workers, log):
        self.port, self.workers, self.log = port, workers, log

    def __enter__(self):
        self.output = open(self.log, "wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:taskforce.gunicorn_conf", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "taskforce.wsgi:application"],
            cwd=ROOT, env=dict(os.environ, PORT=str(self.port)), stdout=self.output, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"load: gunicorn stopped at start (see {self.log})")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"load: gunicorn did not answer within {START_TIMEOUT} s (see {self.log})")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


def locust(origin, args, data_file, log_dir):
    """Run Locust headless for args.run_time; return its figures from its CSV files."""
    prefix = log_dir / "locust"
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", origin,
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
        "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]
    env = dict(os.environ, LOAD_DATA=str(data_file))
    print(f"load: {args.users} users for {args.run_time} against {origin} (gunicorn, {args.workers} workers)")
    with open(log_dir / "locust.log", "wb") as output:
        # Locust exits 1 when a request failed: that is a figure, not a crash.
        subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                       timeout=args.seconds + 120, check=False)
    return stats(Path(f"{prefix}_stats.csv"))


def stats(path):
    """{"total": {...}, "requests": [{...}]} from Locust's _stats.csv."""
    rows = []
    with open(path, encoding="utf-8") as stats_file:
        for row in csv.DictReader(stats_file):
            rows.append({
                "name": (row["Type"] + " " if row["Type"] not in ("GET", "") else "") + row["Name"],
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                "max_ms": float(row["Max Response Time"] or 0), "rps": float(row["Requests/s"] or 0),
            })
    total = next(row for row in rows if row["name"] == "Aggregated")
    return {"total": total, "requests": [row for row in rows if row["name"] != "Aggregated"]}


if __name__ == "__main__":
    sys.exit(main())
