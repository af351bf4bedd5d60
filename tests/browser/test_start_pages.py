"""Each demo user (seed_demo) logs in through the form and lands on their role's start page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from .support import DEMO_PASSWORD, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser

START_PAGES = [
    # username, path, the page's main heading, the menu link marked as the current page
    ("konsulent", "citizens:list", "Borgere", "Borgere"),
    ("chef", "progress:dashboard", "Fremdrift", "Fremdrift"),
    ("leder", "employers:mine", "Min virksomhed", "Min virksomhed"),
]


def test_each_demo_role_lands_on_its_start_page(new_web, log_in, live_server, transactional_db, console_errors):
    # Tests run with DEBUG off; --force is seed_demo's own way to say "yes, in a test database".
    call_command("seed_demo", force=True, verbosity=0)

    for username, url_name, heading, current in START_PAGES:
        web = new_web()
        log_in(web, username, DEMO_PASSWORD)
        start_page = re.escape(live_server.url + reverse(url_name))
        expect(web).to_have_url(re.compile(rf"^{start_page}(\?.*)?$"))
        expect(web.get_by_role("heading", level=1)).to_contain_text(heading)
        menu = web.get_by_role("navigation", name="Hovedmenu")
        expect(menu.locator('[aria-current="page"]')).to_have_text(current)
        if username == "chef":
            web.screenshot(path="/tmp/taskforce-dashboard.png", full_page=True)
            # A manager sees figures, not citizens.
            expect(menu.get_by_role("link", name="Borgere")).to_have_count(0)
        if username == "leder":
            expect(menu.get_by_role("link", name="Borgere")).to_have_count(0)
            expect(menu.get_by_role("link", name="Fremdrift")).to_have_count(0)

    assert console_errors == []
