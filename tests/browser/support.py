"""What the browser tests share besides fixtures: where Chromium is and how it is started."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine's network is closed: without these Chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-for-tests-123"  # tests/conftest.py's make_user
DEMO_PASSWORD = "taskforce-demo"  # seed_demo's users


def skip_module_without_chromium():
    """Skip the calling test module at collection when the browser or Playwright is missing."""
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} is not installed (make chromium)", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")


def main_menu(page):
    """The desktop main menu. The mobile drawer repeats its links (hidden by CSS), so tests
    that click straight after a navigation, before the stylesheet applies, name this one."""
    return page.locator(".navigation-menu nav")


def header_user_area(page):
    """The desktop header's language switch and log-out button (repeated in the drawer)."""
    return page.locator(".portal-user")
