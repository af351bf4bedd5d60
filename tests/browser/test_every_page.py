"""Every page each demo user reaches, looked at the way a person looks at it (issue 10).

The crawl (tests/browser/crawl.py, the same as `make screenshots`) starts at each demo user's
start page and visits one page of each kind, forms sent empty for their error states included.
On every page: the site's header; every form control can be seen and reached by keyboard (a
checkbox drawn by its label counts when its label can be seen); no number as a program writes
it ("1E+1", "20.0" in Danish); no console error; no error status. And every error page a
person can meet is in the site's layout.
"""

import pytest
from django.core.management import call_command

from .crawl import DEMO_USERS, crawl, log_in, page_problems
from .support import DEMO_PASSWORD, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


# Every demo role; Odense's consultant sees the same kinds of page as Fredericia's, so the
# gallery (make screenshots) shows them and the test leaves them out.
CRAWLED = [user for user in DEMO_USERS if user != "konsulent-odense"]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, verbosity=0)


def test_every_page_each_demo_user_reaches_looks_right(demo, new_web, live_server, console_errors):
    found = {}
    counts = {}
    for user in CRAWLED:
        page = new_web()
        log_in(page, user, DEMO_PASSWORD)
        # The admin's pages beyond the admin are the consultant's and the manager's, whose forms'
        # error states are looked at already: the admin's are not sent again (CI's time).
        visits = crawl(page, live_server.url, user, start=page.url.removeprefix(live_server.url),
                       error_states=user != "admin")
        counts[user] = len(visits)
        for visit in visits:
            if visit.problems:
                found[f"{user} {visit.url}{' (fejl)' if visit.state else ''}"] = visit.problems
        page.context.close()
    # The crawl really went round: each role reaches its menu's pages and more.
    assert counts["konsulent"] >= 40 and counts["leder"] >= 15 and counts["chef"] >= 8, counts
    assert not found, "\n".join(f"{where}: {'; '.join(problems)}" for where, problems in found.items())
    # A form sent empty is answered 400 with its errors (htmx shows them): the browser reports
    # that status in the console; anything else there is a fault.
    assert [e for e in console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize(
    "user, url, status",
    [
        ("leder", "/citizens/", 403),  # a dead link outside the leader's role
        ("leder", "/citizens/999999/", 403),
        ("konsulent", "/findes-ikke/", 404),
        ("konsulent", "/citizens/999999/", 404),
        ("chef", "/taskforce/999999/", 404),
    ],
)
def test_every_error_page_a_person_meets_is_in_the_sites_layout(demo, new_web, user, url, status):
    page = new_web()
    log_in(page, user, DEMO_PASSWORD)
    response = page.goto(url)
    assert response.status == status
    assert page_problems(page) == []
    # In the site's language, with the way on.
    assert page.evaluate("document.documentElement.lang") == "da"
    assert page.locator("main a[href]").count() >= 1
