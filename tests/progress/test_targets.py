"""Targets: a manager (or admin) sets them for their own municipality, one period at a time."""

from datetime import date

import pytest
from django.urls import reverse

from progress.access import get_target_for_user
from progress.models import Target

LIST_URL = reverse("progress:targets")
CREATE_URL = reverse("progress:target_create")


def target_data(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "title": "164 nye fleksjob i 2027",
        "number": "164",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
    }
    data.update(overrides)
    return data


def errors(response):
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


@pytest.fixture
def odense_target(odense):
    return Target.objects.create(
        municipality=odense,
        title="Odense 2026",
        number=80,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def test_it_lists_the_managers_targets_only(login, manager, target, odense_target):
    response = login(manager).get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["targets"]) == [target]
    assert "Odense 2026" not in response.content.decode()


def test_it_lets_a_manager_create_a_target(login, manager, fredericia):
    response = login(manager).post(CREATE_URL, target_data(fredericia, target_group_only="on"))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.municipality, target.number, target.period_start, target.target_group_only) == (
        fredericia,
        164,
        date(2027, 1, 1),
        True,
    )


def test_it_fills_in_the_managers_only_municipality(login, manager, fredericia):
    response = login(manager).get(CREATE_URL)
    assert response.context["form"]["municipality"].value() == fredericia.pk


def test_it_refuses_a_target_for_another_municipality(login, manager, odense):
    response = login(manager).post(CREATE_URL, target_data(odense))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Target.objects.exists()


def test_it_lets_a_manager_edit_a_target(login, manager, target):
    response = login(manager).post(
        reverse("progress:target_edit", args=[target.pk]),
        target_data(target.municipality, number="170", period_start="2026-01-01", period_end="2026-12-31"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.number == 170


def test_it_gives_404_for_another_municipalitys_target(login, manager, odense_target):
    client = login(manager)
    url = reverse("progress:target_edit", args=[odense_target.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, target_data(odense_target.municipality)).status_code == 404
    odense_target.refresh_from_db()
    assert odense_target.number == 80


def test_it_rejects_a_period_overlapping_another_target_in_danish(login, manager, target):
    response = login(manager).post(
        CREATE_URL, target_data(target.municipality, period_start="2026-12-31", period_end="2027-12-31")
    )
    assert response.status_code == 200
    assert errors(response) == [
        "Perioden overlapper målet “164 nye fleksjob i 2026”. Kommunen kan kun have ét gældende mål ad gangen."
    ]
    assert Target.objects.count() == 1


def test_it_accepts_a_period_that_begins_the_day_after_another_ends(login, manager, target):
    response = login(manager).post(CREATE_URL, target_data(target.municipality, period_start="2027-01-01"))
    assert response.status_code == 302
    assert Target.objects.count() == 2


def test_it_allows_the_same_period_in_another_municipality(login, admin_user, target, odense):
    response = login(admin_user).post(
        CREATE_URL, target_data(odense, period_start="2026-01-01", period_end="2026-12-31")
    )
    assert response.status_code == 302
    assert Target.objects.filter(municipality=odense).count() == 1


def test_it_lets_a_target_keep_its_own_period_when_edited(login, manager, target):
    response = login(manager).post(
        reverse("progress:target_edit", args=[target.pk]),
        target_data(target.municipality, title="Nyt navn", period_start="2026-01-01", period_end="2026-12-31"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.title, target.period_start, target.period_end) == ("Nyt navn", date(2026, 1, 1), date(2026, 12, 31))


def test_it_rejects_a_period_that_ends_before_it_begins(login, manager, fredericia):
    response = login(manager).post(
        CREATE_URL, target_data(fredericia, period_start="2027-06-01", period_end="2027-05-31")
    )
    assert response.status_code == 200
    assert errors(response) == ["Perioden må ikke slutte før den begynder."]
    assert not Target.objects.exists()


def test_it_rejects_a_target_of_zero(login, manager, fredericia):
    response = login(manager).post(CREATE_URL, target_data(fredericia, number="0"))
    assert response.status_code == 200
    assert not Target.objects.exists()


@pytest.mark.parametrize("user", ["consultant", "leader", "outsider"])
def test_it_refuses_anyone_but_managers_and_admins(request, login, target, user):
    client = login(request.getfixturevalue(user))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, target_data(target.municipality)).status_code == 403
    assert client.get(reverse("progress:target_edit", args=[target.pk])).status_code == 403
    assert Target.objects.count() == 1


def test_it_loads_targets_only_through_the_users_municipalities(manager, admin_user, target, odense_target):
    from django.http import Http404

    assert get_target_for_user(manager, target.pk) == target
    with pytest.raises(Http404):
        get_target_for_user(manager, odense_target.pk)
    assert get_target_for_user(admin_user, odense_target.pk) == odense_target
