"""Fixtures for the browser tests: Playwright's sync API driving Debian's Chromium
(/usr/bin/chromium, never a downloaded browser) against pytest-django's live server.

The fixture names (`chromium`, `web`, `console_errors`, ...) are our own, so these tests run
the same whether or not the pytest-playwright plugin happens to be installed.
"""

import os

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, PASSWORD

# The live server runs in a thread while Playwright's sync API keeps an asyncio event loop
# in the test's own thread; Django would otherwise refuse ORM calls made from the test
# (fixtures, assertions on the database) as "async-unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Expect-style waits: long enough for a loaded CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000

def _check_policy(response, problems):
    """Every page the browser loads carries the app's own strict Content Security Policy
    (django-csp): a page without it, or with inline code or eval allowed, is a problem."""
    if response.request.resource_type != "document":
        return
    policy = response.headers.get("content-security-policy", "")
    if "script-src 'self'" not in policy or "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"no strict Content-Security-Policy on {response.url}: {policy!r}")


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for the browser tests; each test gets a fresh context (cookies, storage).

    Package-scoped, so Playwright's event loop is gone again before the rest of the suite
    (async views, async_to_sync) runs in this thread."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions seen by the test's pages, as text."""
    return []


@pytest.fixture
def new_web(chromium, live_server, console_errors):
    """Make pages in their own browser context: `new_web(java_script_enabled=False)`.

    Every context is Danish (Accept-Language da-DK), so the tests see the interface a
    Danish browser sees; what goes wrong in the console (a CSP violation included) is
    recorded in `console_errors`, and so is a page served without the strict policy.
    """
    contexts = []

    def _new_web(**context_args):
        context_args.setdefault("locale", "da-DK")
        context_args.setdefault("timezone_id", "Europe/Copenhagen")
        context_args.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(base_url=live_server.url, **context_args)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda response: _check_policy(response, console_errors))
        page.on(
            "console",
            lambda message: console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            if message.type == "error"
            else None,
        )
        page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
        return page

    yield _new_web
    for context in contexts:
        context.close()


@pytest.fixture
def web(new_web):
    """A page in a fresh Danish browser context with JavaScript on."""
    return new_web()


@pytest.fixture
def log_in():
    """Log in through the login form: `log_in(page, "konsulent")`."""

    def _log_in(page, username, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        # Wait for the page logged in to, stylesheets included, before the test goes on.
        with page.expect_navigation():
            page.get_by_role("button", name="Log ind").click()
        return page

    return _log_in


