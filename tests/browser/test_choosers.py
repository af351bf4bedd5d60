"""Choosing employers by searching (core.choosers) as a consultant does: typing finds them
(htmx), a ticked one stays chosen through the next search, Enter in the search box searches
and does not send the form, and the course is saved with them; on a phone's width too. The
placement form's openings follow the employer chosen; without JavaScript "Søg" does it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Course
from employers.models import Opening
from placements.models import Placement
from tests.factories import make_citizen, make_employer

from .support import skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def employers(fredericia, other_employer):
    for n in range(30):
        make_employer(fredericia, name=f"Håndværker nr. {n:02d}")
    return {
        "bakery": make_employer(fredericia, name="Bageriet Kringlen", cvr="31234560"),
        "laundry": make_employer(fredericia, name="Lillebælt Vaskeri ApS"),
        "theirs": make_employer(other_employer.municipality, name="Odense Bageri"),
    }


def search_box(page, label):
    """A chooser's search box, named by the field's label (an optional one's says "valgfrit")."""
    return page.get_by_role("searchbox", name=re.compile(rf"^{label}( \(valgfrit\))?$"))


def search(page, label, text):
    """Type into a chooser's search box and wait for its answer."""
    with page.expect_response(lambda r: "/choose/" in r.url and r.request.headers.get("hx-request") == "true"):
        search_box(page, label).fill(text)


def tick(page, name):
    """Tick a result or a chosen record: DKFDS draws the box in the label, which takes the click."""
    page.locator("label.form-label", has_text=name).click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_consultant_finds_ticks_and_saves_a_courses_employers(
    new_web, log_in, consultant, employers, transactional_db, console_errors, viewport
):
    web = new_web(viewport=viewport)
    log_in(web, "konsulent")
    web.goto("/courses/new/")
    expect(web.get_by_text("Håndværker nr. 00")).to_have_count(0)  # no list of them all
    web.get_by_label("Titel").fill("Køkken og vaskeri")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())

    search(web, "Virksomheder", "bager")
    results = web.locator("#id_employers_results")
    expect(results).to_contain_text("Bageriet Kringlen (CVR 31234560)")
    expect(results).not_to_contain_text("Odense Bageri")
    tick(web, "Bageriet Kringlen")

    # A second search keeps the first one chosen (it moves to "Valgt").
    search(web, "Virksomheder", "vaskeri")
    chosen = web.locator(".chooser-chosen")
    expect(chosen).to_contain_text("Bageriet Kringlen")
    expect(chosen.get_by_role("checkbox", name="Bageriet Kringlen (CVR 31234560)")).to_be_checked()
    tick(web, "Lillebælt Vaskeri ApS")

    # Enter in the search box searches; it does not send the form.
    web.evaluate("window.__stillTheSamePage = true")
    with web.expect_response(lambda r: "/choose/" in r.url):
        search_box(web, "Virksomheder").fill("nr. 1")
        search_box(web, "Virksomheder").press("Enter")
    expect(results).to_contain_text("Håndværker nr. 10")
    assert web.evaluate("window.__stillTheSamePage") is True

    box = search_box(web, "Virksomheder").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert web.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    web.get_by_role("button", name="Gem", exact=True).click()
    expect(web.get_by_text("Forløbet er gemt.")).to_be_visible()
    course = Course.objects.get()
    assert set(course.employers.values_list("name", flat=True)) == {"Bageriet Kringlen", "Lillebælt Vaskeri ApS"}
    assert console_errors == []


def test_enter_in_another_box_saves_the_form(web, log_in, consultant, employers, transactional_db):
    log_in(web, "konsulent")
    web.goto("/courses/new/")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())
    web.get_by_label("Titel").fill("Gemt med Enter")
    with web.expect_navigation():
        web.get_by_label("Titel").press("Enter")
    expect(web.get_by_text("Forløbet er gemt.")).to_be_visible()
    assert Course.objects.get().title == "Gemt med Enter"


def test_choosing_a_placements_employer_offers_its_openings(
    web, log_in, fredericia, consultant, employers, transactional_db, console_errors
):
    Opening.objects.create(employer=employers["laundry"], title="Vaskerimedhjælper", hours_min=4, hours_max=6)
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")
    log_in(web, "konsulent")
    web.goto(f"/placements/new/citizen/{citizen.pk}/")
    expect(web.get_by_text("Vælg først arbejdsgiveren")).to_be_visible()
    search(web, "Virksomhed", "vaskeri")
    with web.expect_response(lambda r: "/openings/" in r.url):
        tick(web, "Lillebælt Vaskeri ApS")
    opening = web.get_by_label("Stillingsopslag")
    expect(opening.locator("option", has_text="Vaskerimedhjælper")).to_have_count(1)
    opening.select_option(label="Vaskerimedhjælper (4–6 timer om ugen)")
    web.get_by_label("Timer om ugen", exact=True).fill("5")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())
    web.get_by_role("button", name="Gem ansættelse").click()
    expect(web.get_by_text("Ansættelsen er registreret.")).to_be_visible()
    placement = Placement.objects.get()
    assert (placement.employer, placement.opening.title) == (employers["laundry"], "Vaskerimedhjælper")
    assert console_errors == []


def test_without_javascript_the_search_button_finds_them(new_web, log_in, consultant, employers, transactional_db):
    web = new_web(java_script_enabled=False, viewport=PHONE)
    log_in(web, "konsulent")
    web.goto("/courses/new/")
    web.get_by_label("Titel").fill("Uden JavaScript")
    search_box(web, "Virksomheder").fill("bager")
    web.get_by_role("button", name="Søg virksomheder").click()
    expect(web.locator("#id_employers_results")).to_contain_text("Bageriet Kringlen")
    assert not Course.objects.exists()
    expect(web.get_by_label("Titel")).to_have_value("Uden JavaScript")
    tick(web, "Bageriet Kringlen")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())
    web.get_by_role("button", name="Gem", exact=True).click()
    expect(web.get_by_text("Forløbet er gemt.")).to_be_visible()
    assert list(Course.objects.get().employers.values_list("name", flat=True)) == ["Bageriet Kringlen"]
