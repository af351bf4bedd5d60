"""Issue 8's proof in a browser: a consultant looks a demo citizen up (every page under the
app's own strict CSP, with no violation in the console), and the manager's access report
for that citizen lists each look-up of the journey, with its purpose."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from audit.models import AccessLog
from citizens.models import Citizen

from .support import DEMO_PASSWORD, main_menu, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


def test_the_access_report_lists_each_look_up_of_a_journey_with_its_purpose(
    new_web, log_in, live_server, transactional_db, console_errors
):
    call_command("seed_demo", force=True, verbosity=0)
    citizen = Citizen.objects.filter(municipality__code=607, placements__isnull=False).order_by("pk").first()
    placement = citizen.placements.order_by("pk").first()
    cpr = citizen.reveal_cpr()
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # The consultant: the caseload, a search by name, the citizen's page, a CPR reveal for a
    # purpose of their choosing, and the placement.
    web = new_web()
    log_in(web, "konsulent", DEMO_PASSWORD)
    web.goto("/citizens/")
    with web.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"):
        web.get_by_label("Søg på navn eller CPR-nummer").fill(citizen.full_name)
    web.locator(f'#results a[href="/citizens/{citizen.pk}/"]').click()
    expect(web.get_by_role("heading", name=citizen.full_name, level=1)).to_be_visible()
    web.get_by_label("Formål", exact=True).select_option("borgerhenvendelse")
    web.get_by_role("button", name="Vis CPR-nummer").click()
    expect(web.locator("#cpr")).to_contain_text(cpr)
    web.goto(f"/placements/{placement.pk}/")
    expect(web.get_by_role("heading", level=1)).to_be_visible()

    journey = list(
        AccessLog.objects.filter(pk__gt=before, user__username="konsulent").order_by("pk")
        .values_list("action", "purpose", "citizen_id", "citizens__citizen_id")
    )
    about_her = [(action, purpose) for action, purpose, one, listed in journey if citizen.pk in (one, listed)]
    assert ("reveal_cpr", "borgerhenvendelse") in about_her
    assert ("view", "sagsbehandling") in about_her
    assert any(action == "list" for action, _purpose in about_her)
    assert len(about_her) >= 4

    # The manager: the log, searched by the citizen's CPR number, and the access report.
    boss = new_web()
    log_in(boss, "chef", DEMO_PASSWORD)
    main_menu(boss).get_by_role("link", name="Adgangslog").click()
    boss.get_by_label("Borgerens CPR-nummer").fill(cpr)
    boss.get_by_role("button", name="Søg").click()
    expect(boss.locator("#searched")).to_contain_text(citizen.full_name)
    # The CPR number is not shown back in the box.
    expect(boss.get_by_label("Borgerens CPR-nummer")).to_have_value("")
    boss.locator("#searched").get_by_role("link", name="Indsigtsrapport").click()
    expect(boss.get_by_role("heading", name="Indsigt: adgang til dine personoplysninger")).to_be_visible()
    rows = boss.locator(".access-report-table tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    konsulent_rows = [t for t in texts if "Karin" in t or "konsulent" in t.lower()]
    assert len(konsulent_rows) >= len(about_her), (texts, about_her)
    assert any("Visning af CPR-nummer" in t and "Borgerhenvendelse" in t for t in texts), texts
    assert any("Sagsbehandling" in t for t in texts), texts

    assert console_errors == []
