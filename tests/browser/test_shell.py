"""The page shell around every page: DKFDS started once by app.js (and not again after an
htmx swap), keyboard access through the skip link, and the mobile menu drawer."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_citizen

from .support import skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def test_keyboard_users_skip_to_the_content_and_dkfds_starts_once(
    web, log_in, fredericia, consultant, transactional_db, console_errors
):
    make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")
    log_in(web, "konsulent")
    web.goto("/citizens/")
    expect(web.locator("html")).to_have_class("js")

    # The first Tab lands on the skip link, which is then shown with a focus outline.
    web.keyboard.press("Tab")
    skip = web.get_by_role("link", name="Gå til sidens indhold")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)  # it slides in from above the page
    assert web.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    web.keyboard.press("Enter")
    expect(web.locator("#main-content")).to_be_focused()

    # DKFDS's navigation adds one "more" menu item; re-running its init would add another.
    more_items = web.locator(".navigation-menu .more-option")
    expect(more_items).to_have_count(1)
    with web.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        web.get_by_label("Søg på navn eller CPR-nummer").fill("Bente")
    expect(web.locator("#results")).to_contain_text("Viser 1 af dine borgere")
    expect(more_items).to_have_count(1)
    assert console_errors == []


def test_the_mobile_menu_opens_and_closes(new_web, log_in, consultant, transactional_db, console_errors):
    web = new_web(viewport={"width": 400, "height": 800})
    log_in(web, "konsulent")
    drawer = web.locator(".mobile-drawer")
    expect(drawer).to_be_hidden()

    web.get_by_role("button", name="Menu").click()
    expect(web.get_by_role("dialog", name="Menu")).to_be_visible()
    expect(drawer.get_by_role("link", name="Virksomheder")).to_be_visible()
    drawer.get_by_role("button", name="Luk").click()
    expect(drawer).to_be_hidden()

    web.get_by_role("button", name="Menu").click()
    drawer.get_by_role("link", name="Virksomheder").click()
    expect(web.get_by_role("heading", name="Virksomheder", level=1)).to_be_visible()
    assert console_errors == []
