"""A consultant finds a citizen by name (htmx replaces the results in place, and the name
never reaches the URL) and reveals the CPR number, which is masked until asked for."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_citizen

from .support import skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def test_it_searches_in_place_and_reveals_the_cpr_number(
    web, log_in, live_server, fredericia, consultant, transactional_db, console_errors
):
    make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen", cpr="0101901234")
    make_citizen(fredericia, consultant=consultant, first_name="Jens", last_name="Hansen", cpr="0202851235")
    list_url = f"{live_server.url}/citizens/"

    log_in(web, "konsulent")
    response = web.goto(list_url)
    # The app's own policy (django-csp), not one the test put there.
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    results = web.locator("#results")
    expect(results).to_contain_text("Jens Hansen")
    expect(results).to_contain_text("Bente Sørensen")

    # A full page load would forget this.
    web.evaluate("window.__stillTheSamePage = true")
    with web.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"):
        web.get_by_label("Søg på navn eller CPR-nummer").fill("Sørensen")
    expect(results).not_to_contain_text("Jens Hansen")
    expect(results).to_contain_text("Bente Sørensen")
    expect(results).to_contain_text("Viser 1 af dine borgere")
    assert web.evaluate("window.__stillTheSamePage") is True
    assert web.url == list_url
    assert "rensen" not in web.url and "q=" not in web.url

    # The CPR number stays masked until the consultant asks, and then only the field changes.
    web.get_by_role("link", name="Bente Sørensen").click()
    expect(web.get_by_role("heading", name="Bente Sørensen", level=1)).to_be_visible()
    cpr = web.locator("#cpr")
    expect(cpr).to_contain_text("010190-XXXX")
    expect(cpr).not_to_contain_text("010190-1234")
    detail_url = web.url
    web.evaluate("window.__stillTheSamePage = true")
    # Without a purpose the number stays masked and the form says why, in place.
    web.get_by_role("button", name="Vis CPR-nummer").click()
    expect(cpr).to_contain_text("Vælg formålet, før CPR-nummeret vises.")
    expect(cpr).not_to_contain_text("010190-1234")
    web.get_by_label("Formål", exact=True).select_option("opfølgning")
    web.get_by_role("button", name="Vis CPR-nummer").click()
    expect(cpr).to_contain_text("010190-1234")
    expect(cpr).to_contain_text("visningen er logget")
    assert web.evaluate("window.__stillTheSamePage") is True
    assert web.url == detail_url

    assert console_errors == []
