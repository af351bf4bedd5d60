"""The basic flow works with JavaScript switched off: log in, find the way through the menu,
register a citizen, and switch the language (set_language takes a POST form, not a script)."""

import pytest
from playwright.sync_api import expect

from .support import header_user_area, main_menu, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def test_a_consultant_registers_a_citizen_without_javascript(
    new_web, log_in, live_server, consultant, transactional_db
):
    web = new_web(java_script_enabled=False)
    log_in(web, "konsulent")
    expect(web).to_have_url(f"{live_server.url}/tasks/")
    expect(web.locator("html")).to_have_class("no-js")
    web.goto("/citizens/")

    web.get_by_role("link", name="Opret borger").click()
    web.get_by_label("Fornavn").fill("Ole")
    web.get_by_label("Efternavn").fill("Madsen")
    web.get_by_label("CPR-nummer").fill("311285-1237")
    web.get_by_role("button", name="Gem").click()
    expect(web.get_by_text("Borgeren er oprettet.")).to_be_visible()
    expect(web.get_by_role("heading", name="Ole Madsen", level=1)).to_be_visible()
    expect(web.get_by_text("311285-XXXX")).to_be_visible()

    # A bad CPR number comes back as an error summary that links to the field.
    main_menu(web).get_by_role("link", name="Borgere").click()
    web.get_by_role("link", name="Opret borger").click()
    web.get_by_label("Fornavn").fill("Per")
    web.get_by_label("Efternavn").fill("Fejl")
    web.get_by_label("CPR-nummer").fill("320190-1234")
    web.get_by_role("button", name="Gem").click()
    summary = web.get_by_role("alert")
    expect(summary).to_contain_text("Der er fejl i formularen")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_cpr")


def test_the_language_switch_works_without_javascript(new_web, log_in, consultant, transactional_db):
    web = new_web(java_script_enabled=False)
    log_in(web, "konsulent")
    expect(web.locator("html")).to_have_attribute("lang", "da")

    with web.expect_navigation():
        header_user_area(web).get_by_role("button", name="English").click()
    expect(web.locator("html")).to_have_attribute("lang", "en")
    assert web.url.endswith("/tasks/")  # back on the page it was switched from

    with web.expect_navigation():
        header_user_area(web).get_by_role("button", name="Dansk").click()
    expect(web.locator("html")).to_have_attribute("lang", "da")
