"""Hours shown to a person on the placement pages read as Danish numbers: "10", "7,5", never a
Decimal as Python prints it ("10.0", "1E+1")."""

from datetime import date
from decimal import Decimal

from django.utils import translation

from employers.models import Opening
from placements.forms import PlacementForm
from placements.models import FollowUp
from placements.services import followups_schedule
from tests.factories import make_placement
from tests.html import form_values


def test_the_form_says_the_mini_flex_job_limit_as_a_number(login, consultant, citizen):
    html = login(consultant).get(f"/placements/new/citizen/{citizen.pk}/").content.decode()
    assert "Et fleksjob på højst 10 timer vises som mini-fleksjob." in html
    assert "E+" not in html


def test_the_form_says_a_limit_with_decimals_with_a_danish_comma(login, consultant, employer, settings):
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("7.50")
    html = login(consultant).get(f"/placements/new/employer/{employer.pk}/").content.decode()
    assert "højst 7,5 timer" in html


def test_the_form_says_the_limit_in_the_language_of_the_request(citizen, settings):
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("7.5")
    with translation.override("en"):
        help_text = str(PlacementForm(citizen=citizen).fields["hours_per_week"].help_text)
    assert "7.5" in help_text and "7,5" not in help_text


def test_an_opening_is_offered_with_its_hours(consultant, citizen, employer):
    Opening.objects.create(employer=employer, title="Pedel", hours_min=Decimal("7.5"), hours_max=Decimal("10.0"))
    Opening.objects.create(employer=employer, title="Køkken", hours_min=4, hours_max=4)
    form = PlacementForm(citizen=citizen, initial={"employer": employer.pk})
    labels = [str(label) for _value, label in form.fields["opening"].choices][1:]
    assert sorted(labels) == ["Køkken (4 timer om ugen)", "Pedel (7,5–10 timer om ugen)"]


def test_the_placement_page_shows_the_hours_as_danish_numbers(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("7.5"), contracted_hours=Decimal("10"))
    placement.refresh_from_db()  # as the database gives them: Decimal("7.5"), Decimal("10.0")
    html = login(consultant).get(f"/placements/{placement.pk}/").content.decode()
    assert "<dd>7,5 (aftalt 10)</dd>" in html
    assert "10,0" not in html


def test_the_follow_up_page_shows_the_hours_as_a_danish_number(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("12.0"), start_date=date(2026, 2, 1))
    followups_schedule(placement=placement)
    follow_up = FollowUp.objects.filter(placement=placement).first()
    html = login(consultant).get(f"/placements/{placement.pk}/follow-ups/{follow_up.pk}/").content.decode()
    assert ", 12 timer om ugen" in html
    assert "12,0" not in html


def test_the_edit_form_holds_the_hours_as_typed(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("10"), contracted_hours=Decimal("12.5"))
    html = login(consultant).get(f"/placements/{placement.pk}/edit/").content.decode()
    values = form_values(html)
    assert (values["hours_per_week"], values["contracted_hours"]) == ("10", "12.5")
    assert 'step="0.1"' in html  # still the model field's number box
