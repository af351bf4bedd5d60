"""The manager's dashboard in a real browser: the as-of picker updates the figures in place,
and the forecast and the monthly chart show (issue 3, "Done when")."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from taskforce.management.commands.seed_demo import demo_year

from .support import DEMO_PASSWORD, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def test_a_manager_sees_progress_forecast_and_chart_as_of_1_april(web, log_in, live_server, transactional_db, console_errors):
    call_command("seed_demo", force=True, verbosity=0)
    year = demo_year(timezone.localdate())
    log_in(web, "chef", DEMO_PASSWORD)
    expect(web.get_by_role("heading", level=1)).to_have_text("Fremdrift i Fredericia")
    url_before = web.url

    # The date picker swaps only the figures (htmx) and pushes the date into the address.
    web.evaluate("() => { window.__same_page = true; }")
    web.get_by_label("Status pr.").fill(f"{year}-04-01")
    figures = web.locator("#figures")
    expect(figures).to_contain_text("50 af 164 nye fleksjob (30 %)")
    assert web.evaluate("() => window.__same_page === true"), "the page was reloaded"
    assert f"as_of={year}-04-01" in web.url and web.url != url_before

    expect(figures.get_by_role("heading", name="Prognose")).to_be_visible()
    expect(figures).to_contain_text("I det tempo nås målet den")
    expect(figures).to_contain_text("skal der fra nu komme")

    chart = figures.locator("svg.chart-svg")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text("Nye fleksjob pr. måned, akkumuleret, mod målet")
    assert chart.locator("polyline").count() == 2  # the count so far and the straight line to the target
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100

    # The status report opens as a PDF.
    response = web.request.get(f"/dashboard/status.pdf?municipality=607&as_of={year}-04-01")
    assert response.ok and response.body()[:4] == b"%PDF"
    assert console_errors == []
