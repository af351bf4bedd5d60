"""Crawl the site as a person would, and look at each page the way a person does.

Used by the browser test that visits every page each demo user reaches
(tests/browser/test_every_page.py) and by `make screenshots` (scripts/screenshots.py), so the
gallery and the checks see the same pages. Playwright's sync API; nothing here imports Django,
so the screenshot script can use it against a separate server.

A crawl starts at a user's start page and follows every link on the site's own origin, one page
of each kind (numbers in the path and the values of the query string do not make a new kind),
skipping downloads and what would end the session. For each page that has a form with a
required field, the form is also sent with those fields empty, to see its error state: the
fields are empty, so nothing is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

# What a crawl never follows: the end of the session, the language switch (a form anyway),
# downloads (CSV, XLSX, PDF, JSON) and the static and uploaded files.
SKIP = re.compile(
    r"(/logout/|/i18n/|/static/|/media/|\.(csv|xlsx|pdf|json|ico|svg|png|txt)$|/export|/download)"
)
DEMO_USERS = ("konsulent", "konsulent-odense", "leder", "chef", "admin")
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# The Django admin has a page kind per model; enough of them to see its look, not all.
ADMIN_LIMIT = 12


@dataclass
class Visit:
    """One page as the crawl saw it."""

    user: str
    url: str  # path and query
    kind: str
    status: int
    title: str = ""
    state: str = ""  # "" for the page as reached, "fejl" for a form sent empty
    problems: list[str] = field(default_factory=list)
    shots: dict[str, str] = field(default_factory=dict)  # width name -> file name


def kind_of(url: str) -> str:
    """/citizens/12/edit/?page=3&q=x -> /citizens/N/edit/?page&q; /taskforce/1/candidates/<token>/
    -> /taskforce/N/candidates/T/"""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    path = re.sub(r"/[A-Za-z0-9_-]{16,}(?=/|$)", "/T", path)  # a token (a candidate's) is an id too
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def _local(href: str, origin: str) -> str | None:
    """The path and query of a link on our own site, or None."""
    if not href:
        return None
    href, _ = urldefrag(href)
    if href.startswith(origin):
        href = href[len(origin):] or "/"
    if not href.startswith("/") or href.startswith("//"):
        return None
    if SKIP.search(urlsplit(href).path):
        return None
    parts = urlsplit(href)
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + query if query else "")


# --- What a person would call broken ------------------------------------------------------

# Every control a person is meant to use: shown (it takes space on the page) but not where
# the eye can find it, or not reachable by keyboard. A DKFDS checkbox or radio hides its input
# on purpose and draws it in its label: then the label must be where the eye finds it.
_CONTROLS_JS = r"""
() => {
  const problems = [];
  const docWidth = Math.max(document.documentElement.scrollWidth, window.innerWidth);
  const docHeight = Math.max(document.documentElement.scrollHeight, window.innerHeight);
  const shown = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"], template, dialog:not([open]), details:not([open]) > :not(summary)')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 || r.height > 0 || el.getClientRects().length > 0;
  };
  const onPage = (el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + window.scrollX, y = r.top + window.scrollY;
    if (r.width < 4 || r.height < 4) return false;
    if (x + r.width <= 0 || y + r.height <= 0 || x >= docWidth || y >= docHeight) return false;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (s.visibility === 'hidden' || s.opacity === '0') return false;
      if (s.clip && s.clip !== 'auto' && node === el) return false;
    }
    return true;
  };
  const describe = (el) => {
    const label = (el.labels && el.labels[0] && el.labels[0].innerText.trim()) || el.getAttribute('aria-label') || el.name || el.id || el.innerText || '';
    return `${el.tagName.toLowerCase()}${el.type ? '[type=' + el.type + ']' : ''} "${label.trim().slice(0, 60)}"`;
  };
  const controls = document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button, main [role=button], main summary'
  );
  for (const el of controls) {
    if (el.disabled || !shown(el)) continue;
    const box = el.getBoundingClientRect();
    const drawnByLabel = (el.type === 'checkbox' || el.type === 'radio');
    if (!onPage(el)) {
      const labels = Array.from(el.labels || []).filter((l) => shown(l) && onPage(l));
      if (!(drawnByLabel && labels.length)) {
        problems.push(`${describe(el)} cannot be seen (box ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)})`);
        continue;
      }
    }
    if (el.tabIndex < 0 && !el.closest('[role=radiogroup], [role=tablist], [role=menu]')) {
      problems.push(`${describe(el)} cannot be reached by keyboard (tabindex ${el.tabIndex})`);
    }
  }
  return problems;
}
"""

# A number as a program writes it, not as a person reads it: an exponent ("1E+1"), or a point
# for a decimal comma in Danish ("20.0", "7.5"); Danish thousands ("1.234") and dates in words
# are fine.
RAW_EXPONENT = re.compile(r"\d[eE][+-]\d")
RAW_DECIMAL_DA = re.compile(r"(?<![\d.:/\w-])\d+\.\d{1,2}(?![\d.])")


def number_problems(text: str, language: str = "da") -> list[str]:
    problems = [f"raw number {m.group(0)!r}" for m in RAW_EXPONENT.finditer(text)]
    if language == "da":
        problems += [f"decimal point in Danish {m.group(0)!r}" for m in RAW_DECIMAL_DA.finditer(text)]
    return problems


def page_problems(page) -> list[str]:
    """What a person would call broken on the page now shown."""
    problems = []
    admin = urlsplit(page.url).path.startswith("/admin/")  # Django's admin has its own header
    if not admin and not page.locator("header a[href='/']").count():
        problems.append("no site header with a link home")
    if not page.locator("main").count():
        problems.append("no <main>")
    problems += page.evaluate(_CONTROLS_JS)
    language = (page.evaluate("document.documentElement.lang") or "da").split("-")[0]
    text = page.evaluate("document.body.innerText")
    problems += number_problems(text, language)
    return problems


# --- The crawl ------------------------------------------------------------------------------

def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map((a) => a.href)")
    return [u for u in (_local(h, origin) for h in hrefs) if u]


def _error_state(page) -> bool:
    """Send the page's first form with a required field with those fields empty; True when
    the page then shows the form's errors (nothing saved: a required field is empty)."""
    form = page.locator("main form[method=post], main form[method=POST]").filter(
        has=page.locator("[required]:visible")
    )
    if not form.count():
        return False
    form = form.first
    # The form's own primary button (a chooser's "Søg" and a form's hidden default button for
    # Enter are not what a person sends it with), else its first visible one.
    submit = form.locator("button.button-primary:visible")
    if not submit.count():
        submit = form.locator("button[type=submit]:visible, input[type=submit]:visible, button:not([type]):visible")
    if not submit.count():
        return False
    label = (submit.first.inner_text() or "").lower()
    if any(word in label for word in ("slet", "delete", "anonym", "log ud")):
        return False
    form.evaluate(
        """f => {
          f.noValidate = true;
          for (const el of f.querySelectorAll('[required]')) {
            if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
            else if (el.tagName === 'SELECT') el.selectedIndex = -1;
            else if (el.type !== 'hidden') el.value = '';
          }
        }"""
    )
    try:
        with page.expect_navigation(timeout=10_000):
            submit.first.click()
    except Exception:  # an htmx form answers in place; look at the page as it is
        page.wait_for_load_state("networkidle")
    return bool(page.locator("[aria-invalid=true], .form-error, .alert-error").count())


def crawl(page, origin: str, user: str, start: str = "/", limit: int = 150, on_page=None,
          error_states: bool = True) -> list[Visit]:
    """Visit every kind of page `user` reaches from `start`; call on_page(page, visit) on each.

    `page` is logged in already (or not, for the anonymous crawl)."""
    queue = [start]
    seen_kinds: set[str] = set()
    admin_kinds = 0
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        if url.startswith("/admin/"):
            if admin_kinds >= ADMIN_LIMIT:
                continue
            admin_kinds += 1
        seen_kinds.add(kind)
        try:
            response = page.goto(url)
        except Exception as error:  # a download starts instead of a page
            if "Download" in str(error):
                continue
            raise
        if response is None:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visit = Visit(user, url, kind, response.status, page.title())
        visit.problems = page_problems(page)
        if response.status >= 400:
            visit.problems.append(f"HTTP {response.status}")
        visits.append(visit)
        if on_page:
            on_page(page, visit)
        for link in _links(page, origin):
            if kind_of(link) not in seen_kinds:
                queue.append(link)
        if error_states and _error_state(page):
            errors = Visit(user, url, kind + " (fejl)", 200, page.title(), state="fejl")
            errors.problems = page_problems(page)
            visits.append(errors)
            if on_page:
                on_page(page, errors)
    return visits
