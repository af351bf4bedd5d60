"""The access helpers: the only door to employer and opening records on a user's behalf."""

import pytest
from django.http import Http404

from accounts.models import Membership, Role
from employers.access import (
    employers_for_user,
    get_employer_for_user,
    get_opening_for_user,
    led_employers_for_user,
)
from employers.models import Opening
from tests.factories import make_employer, make_user


@pytest.fixture
def opening(employer):
    return Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)


@pytest.fixture
def other_opening(other_employer):
    return Opening.objects.create(employer=other_employer, title="Værftsarbejder", hours_min=4, hours_max=8)


def test_it_gives_a_consultant_the_employers_of_their_municipality(consultant, employer, other_employer):
    assert list(employers_for_user(consultant)) == [employer]
    assert get_employer_for_user(consultant, employer.pk) == employer


def test_it_gives_404_for_another_municipalitys_employer(consultant, other_employer):
    with pytest.raises(Http404):
        get_employer_for_user(consultant, other_employer.pk)


def test_it_gives_404_for_another_municipalitys_opening(consultant, opening, other_opening):
    assert get_opening_for_user(consultant, opening.pk) == opening
    with pytest.raises(Http404):
        get_opening_for_user(consultant, other_opening.pk)


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_gives_other_roles_no_employer_records(request, employer, opening, user):
    user = request.getfixturevalue(user)
    assert not employers_for_user(user).exists()
    with pytest.raises(Http404):
        get_employer_for_user(user, employer.pk)
    with pytest.raises(Http404):
        get_opening_for_user(user, opening.pk)


def test_it_scopes_by_role_in_each_municipality(fredericia, odense, employer, other_employer):
    user = make_user("blandet", fredericia, Role.LEADER)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    assert list(employers_for_user(user)) == [other_employer]


def test_it_gives_a_consultant_of_two_municipalities_both(fredericia, odense, employer, other_employer):
    user = make_user("begge", fredericia, Role.CONSULTANT)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    assert set(employers_for_user(user)) == {employer, other_employer}


def test_it_gives_an_admin_every_municipality(admin_user, employer, other_employer, other_opening):
    assert set(employers_for_user(admin_user)) == {employer, other_employer}
    assert get_opening_for_user(admin_user, other_opening.pk) == other_opening


def test_it_gives_a_leader_only_their_own_company(leader, fredericia, employer):
    make_employer(fredericia, name="Anden ApS")
    employer.leaders.add(leader)
    assert list(led_employers_for_user(leader)) == [employer]


def test_it_gives_a_leader_no_company_of_a_municipality_they_do_not_lead_in(leader, employer, other_employer):
    employer.leaders.add(leader)
    other_employer.leaders.add(leader)
    assert list(led_employers_for_user(leader)) == [employer]


def test_it_gives_a_consultant_no_led_company(consultant, employer):
    employer.leaders.add(consultant)
    assert not led_employers_for_user(consultant).exists()
