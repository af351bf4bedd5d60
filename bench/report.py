"""The goals of issue 11 judged against a run's figures, and the run written out: results.json
(every figure) and results.md (a table per size, the imports, the goals met or their gap, the
load test), both rebuilt from the JSON, so `make load` can add its section to a bench run's.

The goals are set at 1,000,000 citizens; a run judges them at its largest size and says so.
Page times are judged on the median (the p95 stands beside it in the tables).
"""

import json
from pathlib import Path

GOAL_SIZE = 1_000_000
GROWTH_LIMIT = 3.0  # each page within 3× its own time at the smallest size
DASHBOARD_MS = 50
PAGE_MS = 100
STATUS_PDF_MS = 3000
IMPORT_SECONDS = 60
LOAD_P95_MS = 300
# Downloads exempt from the 100 ms goal: PDF and spreadsheets.
HEAVY_TYPES = ("application/pdf", "text/csv", "spreadsheetml")
# A page's time is not compared across sizes below this: a 2 ms page that takes 7 ms is noise.
GROWTH_FLOOR_MS = 5


def is_heavy(page):
    return any(kind in (page.get("content_type") or "") for kind in HEAVY_TYPES)


def is_dashboard(page):
    return page["kind"].split("?")[0] == "/dashboard/" and not page["download"]


def is_status_pdf(page):
    return page["kind"].split("?")[0] == "/dashboard/status.pdf"


def key(page):
    return page["role"], page["kind"]


def query_differences(sizes):
    """[(role, kind, {citizens: queries})] for each page whose query count is not the same at
    every size it was timed at."""
    counts = {}
    for size in sizes:
        for page in size["pages"]:
            if not page["error"]:
                counts.setdefault(key(page), {})[size["citizens"]] = page["queries"]
    return [(role, kind, by_size) for (role, kind), by_size in counts.items() if len(set(by_size.values())) > 1]


def errors(sizes):
    return [(size["citizens"], page) for size in sizes for page in size["pages"] if page["error"]]


def goals(results):
    """[{goal, met, detail}]: each goal of issue 11 against the run's largest size."""
    sizes = results["sizes"]
    if not sizes:
        return _imports(results.get("imports")) + _load(results.get("load"))
    first, last = sizes[0], sizes[-1]
    pages = [p for p in last["pages"] if not p["error"]]
    at = f"at {last['citizens']:,} citizens" + ("" if last["citizens"] >= GOAL_SIZE else f" (the goal is set at {GOAL_SIZE:,})")
    judged = [
        _growth(first, last, at),
        _within("the dashboard within 50 ms", [p for p in pages if is_dashboard(p)], DASHBOARD_MS, at),
        _within("every page but PDF and spreadsheet downloads within 100 ms", [p for p in pages if not is_heavy(p)], PAGE_MS, at),
        _within("the status PDF within 3 s", [p for p in pages if is_status_pdf(p)], STATUS_PDF_MS, at),
        _same_queries(sizes),
        _no_errors(sizes),
    ]
    judged += _imports(results.get("imports"))
    judged += _load(results.get("load"))
    return judged


def _slowest(pages, limit):
    return sorted(pages, key=lambda p: -p["median_ms"])[:limit]


def _name(page):
    return f"{page['kind']} ({page['role']})"


def _growth(first, last, at):
    goal = f"every page within {GROWTH_LIMIT:g}× its own time at {first['citizens']:,} citizens"
    if first is last:
        return {"goal": goal, "met": None, "detail": "one size only: nothing to compare"}
    before = {key(p): p for p in first["pages"] if not p["error"]}
    gaps = []
    for page in last["pages"]:
        old = before.get(key(page))
        if page["error"] or not old or max(old["median_ms"], page["median_ms"]) < GROWTH_FLOOR_MS:
            continue
        growth = page["median_ms"] / old["median_ms"]
        if growth > GROWTH_LIMIT:
            gaps.append((growth, page, old))
    gaps.sort(key=lambda gap: -gap[0])
    detail = "; ".join(
        f"{_name(p)}: {o['median_ms']:.0f} → {p['median_ms']:.0f} ms ({g:.1f}×)" for g, p, o in gaps
    )
    return {"goal": goal + f", {at}", "met": not gaps, "detail": detail or "all within"}


def _within(goal, pages, limit_ms, at):
    if not pages:
        return {"goal": f"{goal}, {at}", "met": None, "detail": "no such page measured"}
    over = [p for p in _slowest(pages, len(pages)) if p["median_ms"] > limit_ms]
    if over:
        detail = "; ".join(f"{_name(p)}: {p['median_ms']:.0f} ms, {p['queries']} queries" for p in over)
    else:
        slowest = _slowest(pages, 1)[0]
        detail = f"slowest: {_name(slowest)} {slowest['median_ms']:.0f} ms"
    return {"goal": f"{goal}, {at}", "met": not over, "detail": detail}


def _same_queries(sizes):
    goal = "the same number of SQL queries per page at every size"
    if len(sizes) < 2:
        return {"goal": goal, "met": None, "detail": "one size only: nothing to compare"}
    differ = query_differences(sizes)
    detail = "; ".join(
        f"{kind} ({role}): " + ", ".join(f"{q} at {n:,}" for n, q in by_size.items()) for role, kind, by_size in differ
    )
    return {"goal": goal, "met": not differ, "detail": detail or "all the same"}


def _no_errors(sizes):
    failed = errors(sizes)
    detail = "; ".join(f"{_name(p)} at {n:,}: {p['error']}" for n, p in failed)
    return {"goal": "every page answers (no error)", "met": not failed, "detail": detail or "none"}


def _imports(imports):
    judged = []
    for run in imports or []:
        goal = f"import of {run['rows']:,} {run['file']} under {IMPORT_SECONDS} s"
        met = run["ok"] and run["seconds"] < IMPORT_SECONDS
        detail = f"{run['seconds']:.1f} s, {run['rows_per_second']:,.0f} rows/s, peak {run['peak_rss_mb']:,.0f} MB"
        judged.append({"goal": goal, "met": met, "detail": detail if run["ok"] else "FAILED: " + " / ".join(run["output"])})
    return judged


def _load(load):
    if not load:
        return []
    total = load["total"]
    at = f"at {load['citizens']:,} citizens"
    return [
        {"goal": f"load test: zero errors, {at}", "met": total["failures"] == 0,
         "detail": f"{total['failures']:,} of {total['requests']:,} requests failed"},
        {"goal": f"load test: p95 under {LOAD_P95_MS} ms, {at}", "met": total["p95_ms"] < LOAD_P95_MS,
         "detail": f"p95 {total['p95_ms']:.0f} ms, p50 {total['p50_ms']:.0f} ms, {total['rps']:.1f} requests/s"},
    ]


# --- Writing -----------------------------------------------------------------------------------


def write(results, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results["goals"] = goals(results)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "results.md").write_text(markdown(results), encoding="utf-8")


def read(out_dir):
    return json.loads((Path(out_dir) / "results.json").read_text(encoding="utf-8"))


def _ms(value):
    return "–" if value is None else (f"{value:.1f}" if value < 100 else f"{value:,.0f}")


def markdown(results):
    machine = results["machine"]
    lines = [
        "# Benchmark results (`make bench`, `make load`)",
        "",
        f"Measured {results['started']} on {machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, "
        f"PostgreSQL {machine['database']}, Python {machine['python']}, Django {machine['django']}.",
        "",
    ]
    if results["sizes"]:
        lines += [
            f"Each page: timed requests (the number is given per size) after {results['counted_runs']} counted ones, in-process "
            "(Django's test client: no network, no gunicorn), DEBUG off; one page of each kind each role reaches from "
            "its start page (tests/browser/crawl.py's kinds), the downloads it links to, and the citizen search "
            "(a POST). Median and p95 in ms; queries per request; × trivial: the median over the role's trivial "
            f"page's ({results['trivial']}: the site's frame only); KB of the answer.",
            "",
        ]
    lines += _others(results)
    for note in results.get("notes", []):
        lines += [f"Note: {note}", ""]
    for size in results["sizes"]:
        lines += _size_section(size)
    if results.get("imports"):
        lines += _imports_section(results["imports"], results["sizes"])
    if results.get("load"):
        lines += _load_section(results["load"])
    lines += _goals_section(results.get("goals", []))
    return "\n".join(lines) + "\n"


def _others(results):
    notes = [s for s in results["sizes"] if max(s["load_before"][0], s["load_after"][0]) > 0.5]
    if not notes:
        return []
    busiest = max(max(s["load_before"][0], s["load_after"][0]) for s in notes)
    return [
        f"Other work ran on this machine at the same time (load average up to {busiest:.1f} on "
        f"{results['machine']['cores']} cores around the timings): figures are slower than on a quiet machine.",
        "",
    ]


def _size_section(size):
    rows = size["rows"]
    lines = [
        f"## {size['citizens']:,} citizens",
        "",
        f"Data: {rows['citizens_here']:,} citizens in the municipality timed ({rows['citizens']:,} in all), "
        f"{rows['placements']:,} placements, {rows['employers']:,} employers. Generated in "
        f"{size['generate_seconds']:,.0f} s; VACUUM ANALYZE {size['vacuum_seconds']:,.0f} s. "
        f"{size.get('runs', '?')} timed requests a page.",
        "",
        "Trivial page: " + ", ".join(
            f"{role} {_ms(t['median_ms'])} ms ({t['queries']} queries)" for role, t in size["trivial"].items()
        ) + ".",
        "",
        "| page kind | role | median ms | p95 ms | queries | × trivial | KB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for page in size["pages"]:
        trivial = size["trivial"].get(page["role"], {}).get("median_ms")
        ratio = page["median_ms"] / trivial if page["median_ms"] is not None and trivial else None
        kind = page["kind"].replace("|", "\\|") + (" (download)" if page["download"] else "")
        if page["error"]:
            kind += f" **{page['error']}**"
        lines.append(
            f"| `{kind}` | {page['role']} | {_ms(page['median_ms'])} | {_ms(page['p95_ms'])} | {page['queries']} | "
            f"{'–' if ratio is None else f'{ratio:.1f}'} | {page['bytes'] / 1024:,.0f} |"
        )
    return lines + [""]


def _imports_section(imports, sizes):
    at = f" into a database of {sizes[-1]['citizens']:,} generated citizens" if sizes else ""
    lines = [
        "## Imports",
        "",
        f"`manage.py import_citizens` and `import_placements --municipality {imports[0]['municipality']}` of files "
        f"from imports/benchfiles.py (seed {imports[0]['seed']}), each in a process of its own{at}, after the "
        "page timings.",
        "",
        "| file | rows | seconds | rows/s | peak RSS MB | ok |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for run in imports:
        lines.append(
            f"| {run['file']} | {run['rows']:,} | {run['seconds']:,.1f} | {run['rows_per_second']:,.0f} | "
            f"{run['peak_rss_mb']:,.0f} | {'yes' if run['ok'] else 'NO'} |"
        )
    return lines + [""]


def _load_section(load):
    total = load["total"]
    lines = [
        "## Load test (`make load`)",
        "",
        f"{load['started']}: Locust, {load['users']} simulated users ({load['mix']}) for {load['run_time']}, "
        f"against gunicorn ({load['workers']} workers) on 127.0.0.1, database of {load['citizens']:,} citizens in "
        f"the municipality; Locust ran on the same {load['cores']} cores.",
        "",
        f"**{total['rps']:.1f} requests/s, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
        f"{total['failures']:,} errors of {total['requests']:,} requests.**",
        "",
        "| request | count | errors | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in load["requests"]:
        lines.append(
            f"| `{row['name']}` | {row['requests']:,} | {row['failures']:,} | {row['p50_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['max_ms']:.0f} |"
        )
    return lines + [""]


def _goals_section(judged):
    lines = ["## Goals (issue 11)", ""]
    for goal in judged:
        mark = {True: "met", False: "**not met**", None: "not judged"}[goal["met"]]
        lines.append(f"- {mark}: {goal['goal']}. {goal['detail']}")
    return lines + [""]
