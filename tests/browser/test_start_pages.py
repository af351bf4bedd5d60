"""Each demo user (seed_demo) logs in through the form and lands on their role's start page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from workspace.models import TaskForce

from .support import DEMO_PASSWORD, main_menu, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser

START_PAGES = [
    # username, where they land, the page's main heading, the menu item marked current
    ("konsulent", "worklist:mine", "Mine opgaver", "Mine opgaver"),
    ("chef", "progress:dashboard", "Fremdrift", "Fremdrift"),
    # The demo leader sits in Fredericia's task force, so they land in its workspace
    # (commit "Leaders in a task force land in its workspace"); their company is one click away.
    ("leder", "workspace:home", "Task Force", "Task force"),
]


def url_pattern(live_server, path):
    return re.compile(rf"^{re.escape(live_server.url + path)}(\?.*)?$")


def test_each_demo_role_lands_on_its_start_page(new_web, log_in, live_server, transactional_db, console_errors):
    # Tests run with DEBUG off; --force is seed_demo's own way to say "yes, in a test database".
    call_command("seed_demo", force=True, verbosity=0)

    task_force = TaskForce.objects.get()
    for username, url_name, heading, current in START_PAGES:
        web = new_web()
        log_in(web, username, DEMO_PASSWORD)
        args = [task_force.pk] if url_name == "workspace:home" else []
        expect(web).to_have_url(url_pattern(live_server, reverse(url_name, args=args)))
        expect(web.get_by_role("heading", level=1)).to_contain_text(heading)
        menu = main_menu(web)
        expect(menu.locator('[aria-current="page"]')).to_have_text(current)
        if username == "chef":
            web.screenshot(path="/tmp/taskforce-dashboard.png", full_page=True)
            # A manager sees figures, not citizens.
            expect(menu.get_by_role("link", name="Borgere")).to_have_count(0)
        if username == "leder":
            # A leader never sees citizens or the consultants' figures page.
            expect(menu.get_by_role("link", name="Borgere")).to_have_count(0)
            expect(menu.get_by_role("link", name="Fremdrift")).to_have_count(0)
            menu.get_by_role("link", name="Min virksomhed").click()
            expect(web).to_have_url(url_pattern(live_server, reverse("employers:mine")))
            expect(web.get_by_role("heading", level=1)).to_have_text("Min virksomhed")

    assert console_errors == []
