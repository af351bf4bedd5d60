"""Faults a person met on a first walk-through, seen as they saw them in Chromium: the task
catalogue's check boxes (invisible, focus at the page's top left), the skip link (off-screen
at the moment it had focus), and error pages (a bare English "403 Forbidden", or nothing at
all when htmx met the error)."""

import re

import pytest
from playwright.sync_api import expect

from employers.models import JobTask
from tests.factories import make_action

from .support import main_menu, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser

TASKS = ["Let køkkenarbejde", "Pedelopgaver", "Vasketøj"]


@pytest.fixture
def catalogue(transactional_db):
    """The catalogue as the data migration fills it (a transactional test empties the tables)."""
    JobTask.objects.exclude(name__in=TASKS).update(active=False)
    for name in TASKS:
        JobTask.objects.update_or_create(name=name, defaults={"active": True, "description": f"Om {name.lower()}"})


BOX_STATE = """box => {
    const label = document.querySelector(`label[for="${box.id}"]`);
    const drawn = getComputedStyle(label, "::before");
    const r = box.getBoundingClientRect();
    return {
        // What the pointer meets over the box: the input itself (DKFDS lays it, transparent, over the drawn box).
        onTop: document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === box,
        drawnBorder: drawn.borderTopStyle + " " + drawn.borderTopWidth,
        focusRing: drawn.outlineStyle,
    };
}"""


def check_the_catalogue(page, form, field_before):
    """Every box of the catalogue is drawn inside the form, a click on its label ticks it, and
    the keyboard reaches each in turn, Space ticking and unticking it."""
    boxes = form.locator("input[type=checkbox][name=catalogue_tasks]")
    expect(boxes).to_have_count(len(TASKS))
    for i, name in enumerate(TASKS):
        box = boxes.nth(i)
        label = form.locator(f"label[for='{box.get_attribute('id')}']")
        expect(label).to_have_text(name)
        expect(label).to_be_visible()
        box.scroll_into_view_if_needed()
        form_box, rect = form.bounding_box(), box.bounding_box()
        assert rect and rect["width"] >= 16 and rect["height"] >= 16, (name, rect)
        assert form_box["x"] <= rect["x"] and rect["x"] + rect["width"] <= form_box["x"] + form_box["width"], (name, rect)
        assert form_box["y"] <= rect["y"] and rect["y"] + rect["height"] <= form_box["y"] + form_box["height"], (name, rect)
        state = box.evaluate(BOX_STATE)
        assert state["onTop"] and state["drawnBorder"] == "solid 2px", (name, state)
        label.click()
        expect(box).to_be_checked()
        label.click()
        expect(box).not_to_be_checked()

    field_before.focus()
    for i, name in enumerate(TASKS):
        page.keyboard.press("Tab")
        box = boxes.nth(i)
        expect(box).to_be_focused()
        assert box.evaluate(BOX_STATE)["focusRing"] == "solid", name  # the drawn box shows the focus
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(boxes.nth(len(TASKS) - 2)).not_to_be_checked()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_consultant_ticks_the_catalogue_on_an_opening_by_mouse_and_keyboard(
    new_web, log_in, consultant, employer, catalogue, console_errors, width
):
    web = new_web(viewport={"width": width, "height": 900})
    log_in(web, "konsulent")
    web.goto(f"/employers/{employer.pk}/openings/new/")
    form = web.locator("main form")
    expect(form.get_by_role("group", name="Opgaver fra kataloget")).to_be_visible()
    check_the_catalogue(web, form, form.get_by_label("Titel"))

    form.get_by_label("Titel").fill("Køkkenhjælp")
    form.get_by_label("Timer om ugen, fra").fill("4")
    form.get_by_label("Timer om ugen, til").fill("6")
    form.get_by_role("button", name="Gem").click()
    expect(web.get_by_role("heading", name=employer.name, level=1)).to_be_visible()
    opening = employer.openings.get(title="Køkkenhjælp")
    assert sorted(opening.catalogue_tasks.values_list("name", flat=True)) == ["Let køkkenarbejde", "Vasketøj"]
    assert console_errors == []


def test_a_leader_ticks_the_catalogue_on_a_pledge_by_mouse_and_keyboard(
    web, log_in, task_force, leader_member, catalogue, transactional_db, console_errors
):
    action = make_action(task_force, leader_member)
    log_in(web, "leder")
    web.goto(f"/taskforce/{task_force.pk}/actions/{action.pk}/")
    form = web.locator(f"form[action$='/actions/{action.pk}/pledges/']")
    expect(form.get_by_role("group", name="Opgaver")).to_be_visible()
    check_the_catalogue(web, form, form.get_by_label("Timer om ugen, til"))
    assert console_errors == []


SKIP_LINK_STATE = """() => {
    const e = document.activeElement, r = e.getBoundingClientRect();
    return {
        text: e.textContent.trim(), top: r.top, left: r.left, bottom: r.bottom, right: r.right,
        width: innerWidth, height: innerHeight,
        seen: document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === e,
    };
}"""


def on_screen(state):
    return (
        0 <= state["top"] and state["bottom"] <= state["height"]
        and 0 <= state["left"] and state["right"] <= state["width"] and state["seen"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_skip_link_is_on_screen_the_moment_it_has_focus(new_web, log_in, consultant, transactional_db, width):
    web = new_web(viewport={"width": width, "height": 800})
    log_in(web, "konsulent")
    web.goto("/citizens/")
    web.keyboard.press("Tab")
    state = web.evaluate(SKIP_LINK_STATE)  # at once: no waiting for it to slide in
    assert state["text"] == "Gå til sidens indhold"
    assert on_screen(state), state

    # The same within one script task, where a transition has not moved it at all yet.
    web.keyboard.press("Shift+Tab")
    state = web.evaluate("() => { document.querySelector('.skipnav').focus(); return (" + SKIP_LINK_STATE + ")(); }")
    assert on_screen(state), state


def test_a_leader_following_a_link_outside_their_role_gets_the_sites_page_and_a_way_back(
    web, log_in, leader_member, transactional_db, console_errors
):
    log_in(web, "leder")
    web.goto("/employers/mine/")
    # A link to the citizens, e.g. from an e-mail forwarded by a consultant.
    web.evaluate("""() => {
        const a = document.createElement("a");
        a.href = "/citizens/"; a.textContent = "Se borgeren"; a.id = "forwarded";
        document.querySelector("main").prepend(a);
    }""")
    web.locator("#forwarded").click()
    expect(web.get_by_role("heading", name="Du har ikke adgang til denne side", level=1)).to_be_visible()
    expect(web.locator("html")).to_have_attribute("lang", "da")
    expect(web.locator("header.header")).to_be_visible()
    expect(main_menu(web).get_by_role("link", name="Min virksomhed")).to_be_visible()
    web.get_by_role("link", name="Gå tilbage til siden, du kom fra").click()
    expect(web).to_have_url(re.compile(r"/employers/mine/$"))
    # The browser notes the 403 itself in the console; nothing else went wrong.
    assert [line for line in console_errors if "status of 403" not in line] == []


def test_an_htmx_note_from_a_stale_page_reloads_it_and_says_nothing_was_saved(
    web, log_in, citizen, transactional_db, console_errors
):
    log_in(web, "konsulent")
    web.goto(f"/citizens/{citizen.pk}/")
    # The page was open so long that its form token no longer holds (a new login elsewhere).
    web.evaluate("""() => {
        document.body.setAttribute("hx-headers", '{"X-CSRFToken": "udloebet"}');
        document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(input => { input.value = "udloebet"; });
    }""")
    web.get_by_label("Nyt journalnotat").fill("Ringede om praktik")
    web.get_by_role("button", name="Tilføj notat").click()
    expect(web.get_by_role("alert")).to_contain_text("Siden havde været åben for længe")
    expect(web.get_by_role("alert")).to_contain_text("Intet er gemt")
    assert not citizen.notes.exists()
    # The page itself was loaded again: its form works now.
    web.get_by_label("Nyt journalnotat").fill("Ringede om praktik")
    web.get_by_role("button", name="Tilføj notat").click()
    expect(web.locator("#notes")).to_contain_text("Ringede om praktik")
    assert citizen.notes.count() == 1
    # The browser notes the refused request's 403 in the console; nothing else went wrong.
    assert [line for line in console_errors if "status of 403" not in line] == []
