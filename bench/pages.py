"""Every kind of page a role reaches, and the time and queries each takes.

In-process, with Django's test client: no network and no server between the page and the
clock, so a figure is the app's own work (middleware, view, queries, template) and the query
count comes from CaptureQueriesContext, exactly. The crawl is tests/browser/crawl.py's: one
page of each kind (`kind_of`), the same links skipped (`SKIP`), at most ADMIN_LIMIT pages of
Django's admin; downloads (CSV, XLSX, PDF, JSON, calendar files) are not crawled into but
timed, once each kind. A few reads that are forms, not links (the citizen search is a POST so
that names stay out of URLs), are timed as pages of their own (PROBES).
"""

from __future__ import annotations

import math
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.browser.crawl import ADMIN_LIMIT, SKIP, kind_of

# A download: timed, never crawled into. What else SKIP holds (log-out, the language switch,
# static files, icons) is left alone.
DOWNLOAD = re.compile(r"(\.(csv|xlsx|pdf|json|ics)$|/export|/download)")
ORIGIN = "http://testserver"
REDIRECTS = {301, 302, 303, 307, 308}
# The cheapest page a signed-in person can be shown: the site's frame (navigation, the
# notification bell) around two sentences, through every middleware. Each page's ratio is to
# this, for the same role, in the same run.
TRIVIAL = "/accounts/no-role/"
# Each counted twice, the least kept: the idle-session middleware moves the session's expiry
# at most once a minute, one UPDATE more in whichever request happens to do it.
COUNTED_RUNS = 2
# Reads sent as forms, for the roles whose crawl reached the form's page.
PROBES = [
    # (the page the role must have reached, kind, path, POST data)
    ("/citizens/", "POST /citizens/ alle borgere", "/citizens/", {"consultant": "", "sort": "name"}),
    ("/citizens/", "POST /citizens/ søg navn", "/citizens/", {"consultant": "", "q": "Jensen"}),
    ("/citizens/", "POST /citizens/ længst ledig", "/citizens/", {"consultant": "", "sort": "unemployed"}),
    ("/citizens/", "POST /citizens/ side 200", "/citizens/", {"consultant": "", "sort": "name", "page": "200"}),
]


@dataclass
class Page:
    """One kind of page as a role reaches it, and what it cost."""

    role: str
    kind: str
    url: str
    data: dict | None = None  # POST data; None for GET
    download: bool = False
    status: int = 0
    content_type: str = ""
    bytes: int = 0
    queries: int = 0
    queries_max: int = 0
    timings_ms: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def median_ms(self):
        return statistics.median(self.timings_ms) if self.timings_ms else None

    @property
    def p95_ms(self):
        """Nearest rank: with 15 runs, the slowest."""
        if not self.timings_ms:
            return None
        ordered = sorted(self.timings_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def as_dict(self):
        return {**asdict(self), "median_ms": self.median_ms, "p95_ms": self.p95_ms}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html):
    parser = _Links()
    parser.feed(html)
    return [path for path in (local_path(h) for h in parser.hrefs) if path]


def local_path(href):
    """The path and query of a link on our own site, or None (as crawl.py's _local, before SKIP)."""
    href, _ = urldefrag(href or "")
    if href.startswith(ORIGIN):
        href = href[len(ORIGIN):] or "/"
    if not href.startswith("/") or href.startswith("//"):
        return None
    parts = urlsplit(href)
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + query if query else "")


def body(response):
    """The whole answer, read as a client would (a PDF or an export may stream)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def request(client, page):
    if page.data is None:
        return client.get(page.url)
    return client.post(page.url, page.data)


def is_html(response):
    return "text/html" in response.get("Content-Type", "")


def crawl(client, role, *, start="/", prefer=None, limit=150):
    """[Page] of each kind `client` reaches from `start`, then the downloads it links to. A kind
    found in `prefer` ({kind: url}) is visited at that url, so each size times the same record."""
    prefer = prefer or {}
    queue, seen, admin_kinds = [start], set(), 0
    pages, downloads = [], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen:
            continue
        if url.startswith("/admin/"):
            if admin_kinds >= ADMIN_LIMIT:
                continue
            admin_kinds += 1
        seen.add(kind)
        url = prefer.get(kind, url)
        response = client.get(url)
        if response.status_code in REDIRECTS:
            target = local_path(response["Location"])
            if target and not SKIP.search(urlsplit(target).path):
                queue.insert(0, target)
            continue
        content = body(response)
        page = Page(role, kind, url, status=response.status_code,
                    content_type=response.get("Content-Type", ""), bytes=len(content))
        if not is_html(response):  # reached by a link that did not look like a download
            page.download = True
            downloads.setdefault(kind, page)
            continue
        pages.append(page)
        if response.status_code >= 400:
            page.error = f"HTTP {response.status_code}"
            continue
        for link in links(content.decode("utf-8", "replace")):
            path = urlsplit(link).path
            if DOWNLOAD.search(path) and not path.startswith(("/static/", "/media/")):
                downloads.setdefault(kind_of(link), Page(role, kind_of(link), prefer.get(kind_of(link), link), download=True))
            elif not SKIP.search(path) and kind_of(link) not in seen:
                queue.append(link)
    return pages + list(downloads.values())


def probes(role, reached):
    """The form reads (PROBES) for the pages `role` reached."""
    return [Page(role, kind, path, data=dict(data)) for where, kind, path, data in PROBES if where in reached]


def measure(client, page, runs):
    """Count the page's queries (least of COUNTED_RUNS), then time it `runs` times."""
    counts = []
    for _ in range(COUNTED_RUNS):
        with CaptureQueriesContext(connection) as captured:
            response = request(client, page)
            content = body(response)
        counts.append(len(captured))
    page.status = response.status_code
    page.content_type = response.get("Content-Type", "")
    page.bytes = len(content)
    page.queries, page.queries_max = min(counts), max(counts)
    if response.status_code != 200:
        page.error = f"HTTP {response.status_code}"
        return page
    page.timings_ms = []
    for _ in range(runs):
        started = time.perf_counter()
        body(request(client, page))
        page.timings_ms.append((time.perf_counter() - started) * 1000)
    return page


def signed_in(user):
    """A client signed in as `user` (force_login: django-axes wants a request to log in with,
    and a benchmark measures pages, not the password hasher)."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def measure_role(user, runs, prefer, say=print):
    """{"trivial": Page, "pages": [Page]} for one role: crawl from its start page, add the form
    reads, time each. `prefer` ({kind: url}) is updated with the urls used, for the next size."""
    client = signed_in(user)
    trivial = measure(client, Page(user.username, "trivial", TRIVIAL), runs)
    found = crawl(client, user.username, prefer=prefer)
    found += probes(user.username, {p.kind for p in found if not p.download})
    for page in found:
        measure(client, page, runs)
        prefer.setdefault(page.kind, page.url)
        say(f"  {user.username:10} {page.kind[:70]:70} {page.median_ms or 0:8.1f} ms {page.queries:4} q"
            + (f"  {page.error}" if page.error else ""))
    return {"trivial": trivial, "pages": found}
