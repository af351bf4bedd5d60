"""`python -m bench [--sizes "10000 100000 1000000"] [--runs 15] [--out bench] [--import-rows 100000]`:
the benchmark, size by size, in the database DATABASE_URL names (PostgreSQL).

Migrates, loads the demo (seed_demo --force), then for each size: `generate_data --citizens N
--municipality 607` (it only adds what is missing, so the sizes follow each other in one
database), VACUUM ANALYZE (fresh statistics and visibility maps, as autovacuum would leave a
live database), and each role's pages timed (bench/pages.py). After the last size, the imports
(bench/imports.py). Results are written after each size, so a long run leaves its figures behind.

Exits 1 when a page fails or a page's query count differs between sizes (what CI's short run
guards against), 2 when it cannot run at all (not PostgreSQL).

Settings from the environment as well: BENCH_SIZES, BENCH_RUNS, BENCH_OUT, BENCH_IMPORT_ROWS.
"""

import argparse
import io
import os
import platform
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

from bench import environment

ROLES = ("konsulent", "leder", "chef", "admin")
MUNICIPALITY = 607
DEFAULT_SIZES = "10000 100000 1000000"


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or DEFAULT_SIZES,
                        help="citizens at each size, in turn (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS") or 15),
                        help="timed requests per page (default: %(default)s)")
    parser.add_argument("--out", default=os.environ.get("BENCH_OUT") or "bench",
                        help="folder for results.md and results.json (default: %(default)s)")
    parser.add_argument("--import-rows", type=int, default=int(os.environ.get("BENCH_IMPORT_ROWS") or 100_000),
                        help="rows in each import file, 0 for none (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="generate_data's seed")
    parser.add_argument("--resume", action="store_true",
                        help="keep the sizes --out's results.json has measured already and go on with the next")
    args = parser.parse_args(argv)
    args.sizes = [int(n.replace("_", "")) for n in args.sizes.replace(",", " ").split()]
    if not args.sizes or sorted(args.sizes) != args.sizes or args.sizes[0] <= 0:
        parser.error("--sizes: one or more sizes, growing, e.g. \"10000 100000 1000000\"")
    if args.runs < 1:
        parser.error("--runs: at least 1")
    return args


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    environment.configure()
    import django

    # WhiteNoise's note that collectstatic never ran: the in-process pages need none (static_files).
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    static_files()
    results = run_bench(sizes=args.sizes, runs=args.runs, out_dir=args.out, import_rows=args.import_rows,
                        seed=args.seed, resume=args.resume)
    return exit_status(results)


def exit_status(results, say=print):
    from bench import report

    failed = report.errors(results["sizes"])
    differ = report.query_differences(results["sizes"])
    for citizens, page in failed:
        say(f"bench: FAILED {page['kind']} ({page['role']}) at {citizens:,} citizens: {page['error']}")
    for role, kind, by_size in differ:
        say(f"bench: queries differ between sizes for {kind} ({role}): {by_size}")
    for run in results.get("imports") or []:
        if not run["ok"]:
            say(f"bench: FAILED import of {run['file']}")
    return 1 if failed or differ or any(not run["ok"] for run in results.get("imports") or []) else 0


def run_bench(*, sizes, runs, out_dir, import_rows=0, seed=0, setup=True, resume=False, say=print):
    """Run the benchmark in the configured database; return the results (also written to out_dir).
    `resume`: a run stopped after some sizes (a long one) goes on from its results.json."""
    from django.core.management import call_command

    from bench import imports, pages, report

    results = {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "runs": runs, "counted_runs": pages.COUNTED_RUNS, "trivial": pages.TRIVIAL,
        "municipality": MUNICIPALITY, "sizes": [], "imports": None,
    }
    if resume and (Path(out_dir) / "results.json").exists():
        results["sizes"] = [size for size in report.read(out_dir)["sizes"] if size["citizens"] in sizes]
    if setup:
        say("bench: migrate and seed_demo")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", force=True, stdout=io.StringIO())
    # Each size times the same record for a kind of page as the sizes before it.
    prefer = {role: {} for role in ROLES}
    for page in (page for size in results["sizes"] for page in size["pages"]):
        prefer[page["role"]].setdefault(page["kind"], page["url"])
    done = {size["citizens"] for size in results["sizes"]}
    for citizens in (n for n in sizes if n not in done):
        size = {"citizens": citizens, "runs": runs}
        say(f"bench: {citizens:,} citizens: generate_data")
        started = time.perf_counter()
        call_command("generate_data", citizens=citizens, municipality=MUNICIPALITY, seed=seed, stdout=io.StringIO())
        size["generate_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        vacuum_analyze()
        size["vacuum_seconds"] = time.perf_counter() - started
        size["rows"] = row_counts()
        size["load_before"] = os.getloadavg()
        size["trivial"], size["pages"] = {}, []
        for role in ROLES:
            measured = pages.measure_role(user(role), runs, prefer[role], say=say)
            size["trivial"][role] = measured["trivial"].as_dict()
            size["pages"] += [page.as_dict() for page in measured["pages"]]
        size["load_after"] = os.getloadavg()
        results["sizes"].append(size)
        report.write(results, out_dir)
    if import_rows:
        say(f"bench: imports of {import_rows:,} rows")
        results["imports"] = imports.time_imports(import_rows, say=say)
    report.write(results, out_dir)
    say(f"bench: wrote {out_dir}/results.md and results.json")
    return results


def static_files():
    """Pages name their static files by the plain names the test suite uses, not through
    collectstatic's manifest: the difference is a dictionary look-up per file, and a manifest
    older than a static file added since would fail the page (collectstatic not rerun)."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain, WHITENOISE_USE_FINDERS=True).enable()


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def vacuum_analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def row_counts():
    from accounts.models import Municipality
    from citizens.models import Citizen
    from employers.models import Employer
    from placements.models import Placement

    here = Municipality.objects.get(code=MUNICIPALITY)
    return {
        "citizens_here": Citizen.objects.filter(municipality=here).count(),
        "citizens": Citizen.objects.count(),
        "placements": Placement.objects.count(),
        "employers": Employer.objects.count(),
    }


def machine():
    import django
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = cursor.fetchone()[0]
    else:
        database = f"none: {connection.vendor} (the harness's own test)"
    return {
        "cores": os.cpu_count(), "cpu": _cpu(), "memory_gb": _memory_gb(), "database": database,
        "python": platform.python_version(), "django": django.get_version(), "platform": platform.platform(),
    }


def _cpu():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb():
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    except (ValueError, OSError):
        return "?"
