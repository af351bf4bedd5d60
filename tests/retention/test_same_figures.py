"""Done when the figures are the same before and after `anonymise_expired`: on the demo data,
anonymising everyone whose placements and case could ever run out (a day far ahead) moves no
figure of the progress command, the dashboard or the stored snapshots."""

import json
from dataclasses import asdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Municipality
from citizens.models import CaseNote, Citizen
from placements.models import Placement
from progress.dashboard import build_dashboard, snapshot_content
from progress.models import Target
from retention.services import citizens_anonymise_expired
from taskforce.management.commands.seed_demo import demo_year
from tests.demo.test_seed_demo import seed


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    seed()


def days():
    today = timezone.localdate()
    year = demo_year(today)  # the demo's 1 April, behind us on every day of the year
    return [date(year, 4, 1), date(year, 1, 31), today, today - timedelta(days=200)]


def command_figures():
    found = {}
    for code in (607, 461):
        for day in days():
            if Target.objects.current_for(Municipality.objects.get(code=code), day) is None:
                continue
            out = StringIO()
            call_command("progress", municipality=code, as_of=day.isoformat(), json=True, stdout=out)
            found[code, day] = json.loads(out.getvalue())
    return found


def dashboards():
    """Everything each dashboard shows, for managers and for leaders."""
    found = {}
    for municipality in Municipality.objects.order_by("code"):
        for day in days():
            for masked in (False, True):
                d = build_dashboard(municipality, day, masked=masked)
                found[municipality.code, day, masked] = (
                    d.progress, d.new_flex_jobs, d.forecast, d.chart,
                    [asdict(r) for r in d.rows], [asdict(r) for r in d.hours_rows],
                    d.employers, d.industries, d.retention, d.courses, d.monthly_rows,
                )
    return found


def stored_content():
    today = timezone.localdate()
    return {target.pk: snapshot_content(target, today) for target in Target.objects.select_related("municipality")}


def test_the_figures_are_the_same_before_and_after_anonymising(seeded):
    before = (command_figures(), dashboards(), stored_content())
    assert before[0][607, days()[0]]["new_flex_jobs"] == 50  # the demo, as SPEC.md has it
    far_ahead = timezone.localdate() + timedelta(days=365 * 60)
    expected = citizens_anonymise_expired(as_of=far_ahead, dry_run=True)
    assert citizens_anonymise_expired(as_of=far_ahead) == expected > 0
    assert Citizen.objects.filter(anonymised_at__isnull=False).count() == expected
    assert not CaseNote.objects.filter(citizen__anonymised_at__isnull=False).exists()
    after = (command_figures(), dashboards(), stored_content())
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]


def test_the_figures_are_the_same_when_every_citizen_is_anonymised(seeded):
    """Every case closed and every placement given an end long after today (which moves no
    figure up to today): a day past all of them anonymises every citizen of the demo."""
    today = timezone.localdate()
    Placement.objects.filter(end_date__isnull=True).update(end_date=today + timedelta(days=365 * 30))
    Citizen.objects.update(case_closed_on=today)
    before = (command_figures(), dashboards(), stored_content())
    assert citizens_anonymise_expired(as_of=today + timedelta(days=365 * 40)) == Citizen.objects.count()
    assert not Citizen.objects.filter(anonymised_at__isnull=True).exists()
    assert (command_figures(), dashboards(), stored_content()) == before
