"""A consultant uploads a file on the import page: htmx sends it and swaps in the report in
place under the strict Content Security Policy; without JavaScript the form posts as usual.

The tests read the outcome from the page rather than the database."""

import pytest

from .conftest import CITIZEN_HEADER, csv_bytes
from tests.factories import make_cpr_with_modulus11

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.support import skip_module_without_chromium  # noqa: E402

skip_module_without_chromium()
# The browser fixtures live in tests/browser/conftest.py; importing them makes them ours too.
from tests.browser.conftest import console_errors, log_in, new_web, web  # noqa: E402, F401
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    """As tests/browser's, but stopped at the end of this module: while Playwright runs,
    emptying the database after a test leaves a connection open, and it must be gone before
    the other import tests run and PostgreSQL is asked to drop the test database."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def _file(rows):
    return {"name": "borgere.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, delimiter=";", bom=True)}


def test_it_uploads_a_file_in_place_and_shows_the_report(web, log_in, consultant, fredericia, transactional_db, console_errors):
    log_in(web, "konsulent")
    web.goto("/imports/")
    web.evaluate("window.__stillTheSamePage = true")
    region = web.locator("#citizens-import")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]))
    region.get_by_role("button", name="Importér borgere").click()
    expect(region).to_contain_text("Oprettet: 1, ændret: 0, uændret: 0.")
    assert web.evaluate("window.__stillTheSamePage") is True

    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]]))
    region.get_by_role("button", name="Importér borgere").click()
    expect(region.get_by_role("table")).to_contain_text("Kommunekoden 999 findes ikke.")
    assert console_errors == []


def test_it_uploads_without_javascript(new_web, log_in, consultant, fredericia, transactional_db):
    page = log_in(new_web(java_script_enabled=False), "konsulent")
    page.goto("/imports/")
    region = page.locator("#citizens-import")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]))
    with page.expect_navigation():
        region.get_by_role("button", name="Importér borgere").click()
    expect(page.locator("#citizens-import")).to_contain_text("Oprettet: 1,")
