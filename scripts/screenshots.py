"""`make screenshots`: a full-page PNG of every page each demo user reaches, at desktop and at
mobile width, with an index page, in screenshots/ (git-ignored).

It makes its own SQLite database in a temporary folder, loads the demo (seed_demo), serves it
with `manage.py runserver` on a free port of 127.0.0.1, and crawls it in Debian's Chromium as
each demo user, from the start page (tests/browser/crawl.py: one page of each kind, forms sent
empty for their error states), then the error pages. Open screenshots/index.html and look at
every page a change touches, as a consultant would, before saying it is done.

    python scripts/screenshots.py [--out screenshots] [--users konsulent,chef] [--limit 150]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.demo_server import demo_site  # noqa: E402
from tests.browser.crawl import DEMO_USERS, DESKTOP, MOBILE, Visit, crawl, log_in, page_problems  # noqa: E402
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD  # noqa: E402

# Pages a person meets by mistake, with the user who meets them there.
ERROR_PAGES = [
    ("leder", "/citizens/", "403 for a leader"),
    ("konsulent", "/findes-ikke/", "404"),
    (None, "/citizens/", "login on the way to a page"),
    (None, "/accounts/login/", "login"),
]


def _file_name(visit: Visit, width: str, n: int) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", visit.url).strip("-") or "start"
    return f"{visit.user or 'anonym'}/{n:03d}-{slug[:80]}{'-fejl' if visit.state else ''}-{width}.png"


def _shoot(page, visit: Visit, out: Path, n: int) -> None:
    """Desktop, then mobile, then back: the page as reached, laid out at each width."""
    for width, size in (("desktop", DESKTOP), ("mobil", MOBILE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        name = _file_name(visit, width, n)
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=out / name, full_page=True)
        visit.shots[width] = name
    page.set_viewport_size(DESKTOP)


def _index(visits: list[Visit], out: Path, took: float) -> None:
    rows = []
    users = []
    for v in visits:
        if v.user not in users:
            users.append(v.user)
    for user in users:
        rows.append(f'<h2 id="{html.escape(user or "anonym")}">{html.escape(user or "Ikke logget ind")}</h2><div class="grid">')
        for v in (v for v in visits if v.user == user):
            problems = "".join(f"<li>{html.escape(p)}</li>" for p in v.problems)
            shots = " ".join(
                f'<a href="{html.escape(v.shots[w])}"><img loading="lazy" src="{html.escape(v.shots[w])}" alt="{w}" class="{w}"></a>'
                for w in ("desktop", "mobil") if w in v.shots
            )
            rows.append(
                f'<figure><figcaption><strong>{html.escape(v.title)}</strong><br><code>{html.escape(v.url)}</code>'
                f'{" · fejltilstand" if v.state else ""} · HTTP {v.status}</figcaption>{shots}'
                f'{"<ul class=problems>" + problems + "</ul>" if problems else ""}</figure>'
            )
        rows.append("</div>")
    problems = sum(1 for v in visits if v.problems)
    nav = " · ".join(f'<a href="#{html.escape(u or "anonym")}">{html.escape(u or "anonym")}</a>' for u in users)
    (out / "index.html").write_text(
        f"""<!doctype html><html lang="da"><meta charset="utf-8"><title>Task Force – skærmbilleder</title>
<style>body{{font-family:sans-serif;margin:1rem 2rem}}.grid{{display:flex;flex-wrap:wrap;gap:1rem}}
figure{{margin:0;width:420px;border:1px solid #ccc;padding:.5rem}}img{{vertical-align:top;border:1px solid #eee}}
img.desktop{{width:300px}}img.mobil{{width:90px}}.problems{{color:#b00;font-size:.85rem}}code{{font-size:.8rem}}</style>
<h1>Task Force – {len(visits)} sider</h1><p>{nav}</p><p>{problems} sider med fund. Taget på {took:.0f} s.</p>
{"".join(rows)}</html>""",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--users", default=",".join(DEMO_USERS))
    parser.add_argument("--limit", type=int, default=150, help="pages per user at most")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.monotonic()
    # The error pages as people get them (DEBUG off, the rest as in development).
    with demo_site(DJANGO_PEOPLES_ERROR_PAGES="1") as origin:
        visits: list[Visit] = []
        n = 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

            def new_page():
                context = browser.new_context(base_url=origin, locale="da-DK",
                                              timezone_id="Europe/Copenhagen", viewport=DESKTOP)
                context.set_default_timeout(15_000)
                return context.new_page()

            def shoot(page, visit):
                nonlocal n
                n += 1
                _shoot(page, visit, out, n)

            for user in args.users.split(","):
                page = new_page()
                log_in(page, user, DEMO_PASSWORD)
                found = crawl(page, origin, user, start=page.url.removeprefix(origin) or "/",
                              limit=args.limit, on_page=shoot)
                visits += found
                print(f"{user}: {len(found)} sider", flush=True)
                page.context.close()
            for user, url, what in ERROR_PAGES:
                page = new_page()
                if user:
                    log_in(page, user, DEMO_PASSWORD)
                response = page.goto(url)
                visit = Visit(user or "", url, what, response.status if response else 0, page.title(), state="")
                visit.problems = page_problems(page)
                visits.append(visit)
                shoot(page, visit)
                page.context.close()
            browser.close()
    took = time.monotonic() - started
    _index(visits, out, took)
    with_problems = [v for v in visits if v.problems]
    for v in with_problems:
        print(f"  {v.user or 'anonym'} {v.url}{' (fejl)' if v.state else ''}: {'; '.join(v.problems)}")
    print(f"{len(visits)} sider, {sum(len(v.shots) for v in visits)} billeder i {out}/index.html "
          f"({took:.0f} s); {len(with_problems)} med fund")
    return 0


if __name__ == "__main__":
    sys.exit(main())
