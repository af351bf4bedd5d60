"""How fast the imports are: a citizens file and a placements file of N rows each
(imports/benchfiles.py), imported by `manage.py import_citizens` / `import_placements` in a
process of their own, with its wall time, rows per second and peak memory (the command's own
maximum resident set size).

The files go to Odense (461), not to the municipality the pages were timed in: the citizens the
load test and a later size see stay the generated ones. Each run takes a seed whose citizens
are not in the database yet, so every row is a new citizen, not an update.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

from citizens.cpr import cpr_hash
from citizens.models import Citizen
from imports import benchfiles

MUNICIPALITY = 461
TIMEOUT = 30 * 60


def fresh_seed():
    """The first seed whose files hold citizens not yet in the database."""
    seed = 1
    while Citizen.objects.filter(cpr_hash=cpr_hash(benchfiles.cpr_numbers(1, seed)[0])).exists():
        seed += 1
    return seed


# Runs the command and writes its peak RSS (KB) to a file. A child forked from this small
# process, not from the benchmark's: on Linux a child's ru_maxrss starts from its parent's RSS
# at the fork (exec keeps the high-water mark), which would report the benchmark's own memory.
_PEAK = (
    "import resource, subprocess, sys; status = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(status)"
)


def run_command(args, *, env=None, timeout=TIMEOUT):
    """(seconds, peak RSS in MB, exit status, output tail) of `manage.py *args`."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        output_file = Path(folder) / "output"
        with open(output_file, "wb") as output:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-c", _PEAK, str(peak_file), sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
                cwd=settings.BASE_DIR, env=env or os.environ, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,  # a timeout stops the command with its wrapper
            )
            try:
                status = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise
            seconds = time.perf_counter() - started
        tail = output_file.read_text(encoding="utf-8", errors="replace")[-2000:]
        # ru_maxrss is in kilobytes on Linux.
        peak = int(peak_file.read_text() or 0) / 1024 if peak_file.exists() else 0
    return seconds, peak, status, tail


def time_imports(rows, *, say=print):
    """[{file, rows, seconds, rows_per_second, peak_rss_mb, ok, output}] for both files."""
    seed = fresh_seed()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        citizens = Path(folder) / f"citizens-{rows}.csv"
        placements = Path(folder) / f"placements-{rows}.csv"
        benchfiles.write_citizens_file(citizens, rows, seed=seed, municipality=MUNICIPALITY)
        benchfiles.write_placements_file(placements, rows, seed=seed)
        for name, args in (
            ("citizens", ["import_citizens", str(citizens)]),
            ("placements", ["import_placements", str(placements), "--municipality", str(MUNICIPALITY)]),
        ):
            say(f"  import_{name}: {rows:,} rows …")
            seconds, peak, status, tail = run_command(args)
            results.append({
                "file": name, "rows": rows, "seed": seed, "municipality": MUNICIPALITY,
                "seconds": seconds, "rows_per_second": rows / seconds if seconds else None,
                "peak_rss_mb": peak, "ok": status == 0, "output": tail.strip().splitlines()[-3:],
            })
            say(f"  import_{name}: {seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak {peak:,.0f} MB"
                + ("" if status == 0 else f", FAILED ({status}): {tail[-500:]}"))
    return results
