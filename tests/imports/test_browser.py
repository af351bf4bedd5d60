"""A consultant uploads a file on the import page and lands on the job's page, which shows
the report (tasks run in-process here, so the job is done before the page is); a job still
running is followed on its progress bar, which htmx brings up to date under the strict
Content Security Policy until the report replaces it; without JavaScript the form posts
as usual and an "Opdater" link does what htmx does.

The tests read the outcome from the page rather than the database."""

import re

import pytest

from imports.models import ImportJob
from imports.report import ImportReport

from .conftest import CITIZEN_HEADER, csv_bytes, make_job
from tests.factories import make_cpr_with_modulus11

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.support import skip_module_without_chromium  # noqa: E402

skip_module_without_chromium()
# The browser fixtures live in tests/browser/conftest.py; importing them makes them ours too.
from tests.browser.conftest import console_errors, log_in, new_web, web  # noqa: E402, F401
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

pytestmark = pytest.mark.browser
JOB_URL = re.compile(r"/imports/jobs/\d+/$")


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


def test_it_uploads_a_file_and_shows_the_report_on_the_job_s_page(web, log_in, consultant, fredericia, transactional_db, console_errors):
    log_in(web, "konsulent")
    web.goto("/imports/")
    region = web.locator("#citizens-import")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]))
    region.get_by_role("button", name="Importér borgere").click()
    expect(web).to_have_url(JOB_URL)
    expect(web.locator("#import-job")).to_contain_text("Oprettet: 1, ændret: 0, uændret: 0.")

    web.goto("/imports/")
    region = web.locator("#citizens-import")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]]))
    region.get_by_role("button", name="Importér borgere").click()
    expect(web).to_have_url(JOB_URL)
    expect(web.locator("#import-job").get_by_role("table")).to_contain_text("Kommunekoden 999 findes ikke.")
    assert console_errors == []


def test_it_shows_the_form_s_errors_in_place(web, log_in, consultant, fredericia, transactional_db, console_errors):
    log_in(web, "konsulent")
    web.goto("/imports/")
    web.evaluate("window.__stillTheSamePage = true")
    region = web.locator("#citizens-import")
    region.get_by_role("button", name="Importér borgere").click()
    expect(region).to_contain_text("Vælg en fil.")
    assert web.evaluate("window.__stillTheSamePage") is True
    assert console_errors == []


def test_it_follows_a_running_job_until_its_report_is_there(web, log_in, consultant, fredericia, transactional_db, console_errors):
    job = make_job(consultant, state="running", progress=200, total=400)
    log_in(web, "konsulent")
    web.goto(f"/imports/jobs/{job.pk}/")
    web.evaluate("window.__stillTheSamePage = true")
    expect(web.locator("#import-job")).to_contain_text("Række 200 af 400")
    ImportJob.objects.filter(pk=job.pk).update(progress=300)
    expect(web.locator("#import-job")).to_contain_text("Række 300 af 400")
    report = ImportReport("citizens", created=400)
    ImportJob.objects.filter(pk=job.pk).update(state="done", progress=400, report=report.as_dict())
    expect(web.locator("#import-job")).to_contain_text("Oprettet: 400, ændret: 0, uændret: 0.")
    assert web.evaluate("window.__stillTheSamePage") is True
    assert console_errors == []


def test_it_uploads_and_follows_a_job_without_javascript(new_web, log_in, consultant, fredericia, transactional_db):
    page = log_in(new_web(java_script_enabled=False), "konsulent")
    page.goto("/imports/")
    region = page.locator("#citizens-import")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]))
    with page.expect_navigation():
        region.get_by_role("button", name="Importér borgere").click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#import-job")).to_contain_text("Oprettet: 1,")

    job = make_job(consultant, state="running", progress=1, total=2)
    page.goto(f"/imports/jobs/{job.pk}/")
    expect(page.locator("#import-job")).to_contain_text("Række 1 af 2")
    ImportJob.objects.filter(pk=job.pk).update(state="done", progress=2, report=ImportReport("citizens", created=2).as_dict())
    page.get_by_role("link", name="Opdater").click()
    expect(page.locator("#import-job")).to_contain_text("Oprettet: 2,")


@pytest.mark.parametrize("java_script", [True, False], ids=["htmx", "without-javascript"])
def test_imported_citizens_do_not_vanish_from_the_list(new_web, log_in, consultant, fredericia, transactional_db, java_script):
    """Imported without a consultant, the citizens are hidden by "Mine borgere", where the list
    opens: it says so, and "Vis alle" shows them with the filter set to "Alle"; imported with
    the form's own choice, the importer, they are on the consultant's list."""
    page = log_in(new_web(java_script_enabled=java_script), "konsulent")
    page.goto("/imports/")
    region = page.locator("#citizens-import")
    expect(region.get_by_label("Ansvarlig konsulent")).to_have_value(str(consultant.pk))
    region.get_by_label("Ansvarlig konsulent").select_option("")
    region.locator("input[type=file]").set_input_files(
        _file([CITIZEN_HEADER] + [[make_cpr_with_modulus11(), f"Uden{n}", "Konsulent", "607"] for n in range(3)])
    )
    region.get_by_role("button", name="Importér borgere").click()
    expect(page).to_have_url(JOB_URL)
    page.goto("/imports/")
    region.locator("input[type=file]").set_input_files(_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "Min", "Borger", "607"]]))
    region.get_by_role("button", name="Importér borgere").click()
    expect(page.locator("#import-job")).to_contain_text("Oprettet: 1,")

    page.goto("/citizens/")
    expect(page.locator("#result-count")).to_contain_text(
        "Viser 1 af dine borgere. 3 andre borgere er skjult af filteret «Mine borgere»."
    )
    page.get_by_role("button", name="Vis alle").click()
    expect(page.locator("#result-count")).to_have_text("4 borgere")
    expect(page.locator("#id_consultant")).to_have_value("")
    expect(page.get_by_role("link", name="Uden0 Konsulent")).to_be_visible()
