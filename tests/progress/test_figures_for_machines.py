"""The figures for machines: GET /progress.json and `manage.py progress --json`."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from progress.models import Target

URL = reverse("progress:json")
KEYS = {"target", "new_flex_jobs", "private", "public", "still_running", "period_start", "period_end", "as_of"}


@pytest.fixture
def figures(target, hire, private_employer, public_employer):
    """Four by 1 April (3 private, 1 public, 1 of them ended) and one after."""
    hire(date(2026, 1, 5), employer=private_employer)
    hire(date(2026, 2, 5), employer=private_employer, end_date=date(2026, 3, 1))
    hire(date(2026, 3, 5), employer=private_employer)
    hire(date(2026, 4, 1), employer=public_employer)
    hire(date(2026, 4, 2), employer=public_employer)


def get(client, **params):
    return client.get(URL, {"municipality": 607, "as_of": "2026-04-01", **params})


@pytest.mark.parametrize("user", ["manager", "consultant", "admin_user"])
def test_it_gives_the_figures_as_json(request, login, figures, user):
    response = get(login(request.getfixturevalue(user)))
    assert response.status_code == 200
    data = response.json()
    assert KEYS <= data.keys()
    assert {key: data[key] for key in KEYS} == {
        "target": 164,
        "new_flex_jobs": 4,
        "private": 3,
        "public": 1,
        "still_running": 3,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "as_of": "2026-04-01",
    }
    assert data["municipality"] == 607


def test_it_counts_up_to_the_as_of_date(login, manager, figures):
    assert get(login(manager), as_of="2026-04-02").json()["new_flex_jobs"] == 5
    assert get(login(manager), as_of="2026-01-31").json()["new_flex_jobs"] == 1


def test_it_refuses_a_leader(login, leader, figures):
    assert get(login(leader)).status_code == 403


def test_it_gives_404_for_another_municipality(login, manager, figures, odense):
    Target.objects.create(
        municipality=odense, title="Odense", number=10, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    assert get(login(manager), municipality=461).status_code == 404


def test_it_gives_an_outsider_404(login, outsider, figures):
    assert get(login(outsider)).status_code == 404


def test_it_gives_404_for_an_unknown_municipality(login, admin_user, figures):
    assert get(login(admin_user), municipality=999).status_code == 404


def test_it_gives_404_when_the_municipality_has_no_target(login, manager, fredericia):
    assert get(login(manager)).status_code == 404


@pytest.mark.parametrize("bad", ["1. april 2026", "2026-02-30", "i dag"])
def test_it_gives_400_for_a_bad_date(login, manager, figures, bad):
    response = get(login(manager), as_of=bad)
    assert response.status_code == 400
    assert "error" in response.json()


def test_it_requires_login(client, figures):
    response = get(client)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_defaults_to_today(login, manager, figures):
    from django.utils import timezone

    response = login(manager).get(URL, {"municipality": 607})
    assert response.json()["as_of"] == timezone.localdate().isoformat()


def run_command(*args):
    out = StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_same_figures_from_the_command(login, manager, figures):
    printed = json.loads(run_command("--municipality", "607", "--as-of", "2026-04-01", "--json"))
    served = get(login(manager)).json()
    assert KEYS <= printed.keys()
    assert printed == served


def test_it_prints_a_sentence_without_json(figures):
    assert "Fredericia: 4 af 164 nye fleksjob (2 %) pr. 01-04-2026" in run_command(
        "--municipality", "607", "--as-of", "2026-04-01"
    )


def test_it_refuses_an_unknown_municipality(figures):
    with pytest.raises(CommandError, match="999"):
        run_command("--municipality", "999", "--json")


def test_it_refuses_a_bad_as_of_date(figures):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_command("--municipality", "607", "--as-of", "01-04-2026")


def test_it_refuses_a_municipality_without_a_target(fredericia):
    with pytest.raises(CommandError, match="no target"):
        run_command("--municipality", "607")


def test_it_defaults_the_command_to_todays_date_in_the_sites_time_zone(figures, monkeypatch):
    """Just after midnight in Copenhagen it is still yesterday in UTC: the site's day counts."""
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 4, 1))
    printed = json.loads(run_command("--municipality", "607", "--json"))
    assert printed["as_of"] == "2026-04-01"
