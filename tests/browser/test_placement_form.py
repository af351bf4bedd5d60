"""The placement form offers the chosen employer's openings only: picking an employer puts its
openings in the opening list in place (htmx), and without JavaScript the form sent back offers
the employer sent. Its hours read as Danish numbers."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from employers.models import Opening
from placements.models import Placement
from tests.factories import make_citizen, make_employer

from .support import skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


@pytest.fixture
def two_employers(fredericia, other_employer):
    builder = make_employer(fredericia, name="Lillebælt Byg ApS")
    cafe = make_employer(fredericia, name="Kanalbyens Café")
    Opening.objects.create(employer=builder, title="Pedelmedhjælper", hours_min=4, hours_max=8)
    Opening.objects.create(employer=cafe, title="Køkkenhjælp", hours_min="7.5", hours_max=10)
    Opening.objects.create(employer=other_employer, title="Værftshjælp", hours_min=4, hours_max=8)
    return builder, cafe


def choose_employer(web, text, name):
    """Search the employer chooser (core.choosers) and pick `name`: its openings are asked for."""
    with web.expect_response(lambda r: "/employers/choose/" in r.url):
        web.get_by_label("Virksomhed", exact=True).fill(text)
    with web.expect_response(lambda r: "/openings/" in r.url and r.request.headers.get("hx-request") == "true"):
        web.locator("label.form-label", has_text=name).click()


def options(select):
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def test_picking_an_employer_offers_its_openings(
    web, log_in, fredericia, consultant, two_employers, transactional_db, console_errors
):
    builder, cafe = two_employers
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")
    log_in(web, "konsulent")
    web.goto(f"/placements/new/citizen/{citizen.pk}/")
    expect(web.get_by_text("Et fleksjob på højst 10 timer vises som mini-fleksjob.")).to_be_visible()
    opening = web.get_by_label("Stillingsopslag")
    expect(web.get_by_text("Vælg først arbejdsgiveren")).to_be_visible()
    assert options(opening) == ["---------"]

    web.evaluate("window.__stillTheSamePage = true")
    choose_employer(web, "Kanalbyens", "Kanalbyens Café")
    expect(opening.locator("option")).to_have_count(2)
    assert options(opening) == ["---------", "Køkkenhjælp (7,5–10 timer om ugen)"]
    expect(web.get_by_text("Vælg først arbejdsgiveren")).to_have_count(0)

    choose_employer(web, "Lillebælt", "Lillebælt Byg ApS")
    expect(opening.locator("option", has_text="Pedelmedhjælper")).to_have_count(1)
    assert options(opening) == ["---------", "Pedelmedhjælper (4–8 timer om ugen)"]
    assert web.evaluate("window.__stillTheSamePage") is True

    # The swapped-in list is the form's: its choice is saved.
    web.get_by_label("Stillingsopslag").select_option(label="Pedelmedhjælper (4–8 timer om ugen)")
    web.get_by_label("Timer om ugen", exact=True).fill("7.5")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())
    web.get_by_role("button", name="Gem ansættelse").click()
    expect(web.get_by_text("Ansættelsen er registreret.")).to_be_visible()
    placement = Placement.objects.get()
    assert (placement.employer, placement.opening.title) == (builder, "Pedelmedhjælper")
    expect(web.locator("main")).to_contain_text("7,5")
    assert console_errors == []


def test_without_javascript_the_form_sent_back_offers_the_employers_openings(
    new_web, log_in, fredericia, consultant, two_employers, transactional_db
):
    builder, cafe = two_employers
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")
    web = new_web(java_script_enabled=False)
    log_in(web, "konsulent")
    web.goto(f"/placements/new/citizen/{citizen.pk}/")
    # Without JavaScript the chooser's "Søg" sends the form, which comes back with the results.
    web.get_by_label("Virksomhed", exact=True).fill("Kanalbyens")
    web.get_by_role("button", name="Søg virksomhed").click()
    web.locator("label.form-label", has_text="Kanalbyens Café").click()
    web.get_by_role("button", name="Gem ansættelse").click()  # no hours, no start date yet
    expect(web.get_by_role("alert")).to_contain_text("Der er fejl i formularen")
    assert options(web.get_by_label("Stillingsopslag")) == ["---------", "Køkkenhjælp (7,5–10 timer om ugen)"]

    web.get_by_label("Stillingsopslag").select_option(label="Køkkenhjælp (7,5–10 timer om ugen)")
    web.get_by_label("Timer om ugen", exact=True).fill("8")
    web.get_by_label("Startdato").fill(timezone.localdate().isoformat())
    web.get_by_role("button", name="Gem ansættelse").click()
    expect(web.get_by_text("Ansættelsen er registreret.")).to_be_visible()
    placement = Placement.objects.get()
    assert (placement.employer, placement.opening.title) == (cafe, "Køkkenhjælp")
