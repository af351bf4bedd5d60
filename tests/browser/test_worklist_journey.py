"""Issue 9's journey in a browser: the consultant starts the day on "Mine opgaver", sees an
overdue follow-up, records it, and finds the item gone and the bell's count one lower."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from placements.models import FollowUp

from .support import DEMO_PASSWORD, main_menu, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def bell_count(page):
    label = page.locator("#notification-bell").get_attribute("aria-label")
    return int(re.search(r"\d+", label).group())


def test_a_consultant_records_an_overdue_follow_up_from_the_worklist(
    web, log_in, live_server, transactional_db, console_errors
):
    call_command("seed_demo", force=True, verbosity=0)
    log_in(web, "konsulent", DEMO_PASSWORD)

    # The day starts on the worklist, with the bell counting the morning's reminders.
    expect(web).to_have_url(f"{live_server.url}/tasks/")
    expect(web.get_by_role("heading", name="Mine opgaver", level=1)).to_be_visible()
    before = bell_count(web)
    assert before > 0

    overdue = web.locator("#section-followups tr.row-overdue").first
    expect(overdue).to_contain_text("Overskredet")
    row_id = overdue.get_attribute("id")
    follow_up = FollowUp.objects.get(pk=int(row_id.rsplit("-", 2)[-2]))
    assert follow_up.done_on is None

    # Done where it is done: the follow-up's own page.
    overdue.get_by_role("link", name="Gå til opfølgningen").click()
    expect(web.get_by_role("button", name="Registrér opfølgning")).to_be_visible()
    web.get_by_label("Resultat").select_option("still_employed")
    web.get_by_label("Notat").fill("Trives og vil gerne have en time mere om ugen.")
    web.get_by_role("button", name="Registrér opfølgning").click()
    expect(web.get_by_text("Stadig ansat").first).to_be_visible()

    # Back on the worklist: the item is gone and the bell counts one less.
    main_menu(web).get_by_role("link", name="Mine opgaver").click()
    expect(web.get_by_role("heading", name="Mine opgaver", level=1)).to_be_visible()
    expect(web.locator(f"#{row_id}")).to_have_count(0)
    assert bell_count(web) == before - 1
    follow_up.refresh_from_db()
    assert follow_up.outcome == FollowUp.Outcome.STILL_EMPLOYED
    assert console_errors == []
