"""`make lighthouse`: Lighthouse (npm, tools/lighthouse) on each role's start page, in Debian's
Chromium, against a throwaway demo site served as `make run` serves it (scripts/demo_server.py).

Goal on every start page (issue 10): performance ≥ 95, accessibility 100, best practices 100,
cumulative layout shift under 0.1. Prints a table, writes var/lighthouse/results.md and the
reports (HTML and JSON) beside it, and exits 1 when a goal is missed.

    python scripts/lighthouse.py [--pages konsulent:/tasks/,chef:/dashboard/]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.demo_server import demo_site  # noqa: E402
from tests.browser.crawl import log_in  # noqa: E402
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
# Each role's start page, and the consultant's citizen list (the page that jumped most).
PAGES = [
    ("", "/accounts/login/"),
    ("konsulent", "/tasks/"),
    ("konsulent", "/citizens/"),
    ("leder", "start"),
    ("chef", "/dashboard/"),
    ("admin", "start"),
]
GOALS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0}
CLS_GOAL = 0.1


def _session(origin: str, user: str) -> tuple[str, str]:
    """Log in as `user` in Chromium; the cookie header and the page they land on."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=origin, locale="da-DK")
        page = context.new_page()
        log_in(page, user, DEMO_PASSWORD)
        landed = page.url.removeprefix(origin)
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        browser.close()
    return cookies, landed


def _audit(url: str, cookies: str, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output=html", f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices",
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
        "--locale=da",
    ]
    if cookies:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookies, "Accept-Language": "da"}))
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    # Lighthouse now and then loses the page load on a busy machine (NO_NAVSTART): once more.
    if subprocess.run(command, env=env).returncode != 0:
        subprocess.run(command, check=True, env=env)
    report = json.loads(out.with_suffix(".report.json").read_text())
    audits = report["audits"]
    return {
        "scores": {k: report["categories"][k]["score"] for k in GOALS},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "failing": sorted(
            a["id"] for a in audits.values()
            if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="user:/path/ pairs, comma-separated (default: the start pages)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: make lighthouse installs it")
    pages = [tuple(p.split(":", 1)) for p in args.pages.split(",")] if args.pages else PAGES
    out = ROOT / "var" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    rows, missed = [], []
    with demo_site() as origin:
        for user, path in pages:
            cookies, landed = _session(origin, user) if user else ("", path)
            if path == "start":
                path = landed
            name = f"{user or 'anonym'}{path}".strip("/").replace("/", "-")
            result = _audit(origin + path, cookies, out / name)
            s = result["scores"]
            row = (f"| {user or '–'} | `{path}` | {s['performance'] * 100:.0f} | {s['accessibility'] * 100:.0f} | "
                   f"{s['best-practices'] * 100:.0f} | {result['cls']:.3f} | {result['kib']:.0f} KiB |")
            rows.append(row)
            print(row, flush=True)
            for key, goal in GOALS.items():
                if s[key] is None or s[key] < goal:
                    missed.append(f"{user or 'anonym'} {path}: {key} {s[key]} (goal {goal}); failing audits: {', '.join(result['failing']) or '–'}")
            if result["cls"] >= CLS_GOAL:
                missed.append(f"{user or 'anonym'} {path}: layout shift {result['cls']:.3f} (goal < {CLS_GOAL})")
    table = "\n".join(
        ["| user | page | performance | accessibility | best practices | layout shift | weight |",
         "|---|---|---|---|---|---|---|", *rows]
    )
    (out / "results.md").write_text(f"# Lighthouse on the start pages\n\n{table}\n\n" + "\n".join(f"- {m}" for m in missed) + "\n")
    print("\n".join(missed) or "every goal met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
