"""Roles and municipalities: the helpers every entity's access helper builds on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.access import (
    CASEWORK_ROLES,
    FIGURES_ROLES,
    has_role,
    municipalities_for,
    municipality_ids_for,
    role_required,
    user_roles,
)
from accounts.models import Membership, Role
from tests.factories import make_user


def test_it_gives_a_consultant_only_their_own_municipality(consultant, fredericia, odense):
    assert list(municipalities_for(consultant, CASEWORK_ROLES)) == [fredericia]
    assert municipality_ids_for(consultant, CASEWORK_ROLES) == [fredericia.pk]


def test_it_gives_a_superuser_every_municipality(admin_user, fredericia, odense):
    assert set(municipalities_for(admin_user, CASEWORK_ROLES)) == {fredericia, odense}


def test_it_ignores_memberships_in_other_roles(fredericia, odense):
    user = make_user("dobbeltrolle", fredericia, Role.LEADER)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    assert list(municipalities_for(user, CASEWORK_ROLES)) == [odense]
    assert list(municipalities_for(user, (Role.LEADER,))) == [fredericia]


def test_it_gives_leaders_and_managers_no_casework_municipality(leader, manager):
    assert municipality_ids_for(leader, CASEWORK_ROLES) == []
    assert municipality_ids_for(manager, CASEWORK_ROLES) == []
    assert len(municipality_ids_for(manager, FIGURES_ROLES)) == 1


def test_it_lists_each_municipality_once_for_a_user_with_two_roles_in_it(fredericia):
    user = make_user("to-roller", fredericia, Role.CONSULTANT)
    Membership.objects.create(user=user, municipality=fredericia, role=Role.ADMIN)
    assert municipality_ids_for(user, CASEWORK_ROLES) == [fredericia.pk]


def test_it_gives_an_anonymous_user_no_roles():
    assert user_roles(AnonymousUser()) == frozenset()
    assert not has_role(AnonymousUser(), *Role.values)


def test_it_gives_a_superuser_the_admin_role_without_a_membership(db):
    root = make_user("root", is_superuser=True, is_staff=True)
    assert user_roles(root) == {Role.ADMIN}


def test_it_gives_a_user_without_membership_no_roles(db):
    assert user_roles(make_user("ingen")) == frozenset()


def test_it_caches_the_roles_on_the_user(consultant, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert user_roles(consultant) == {Role.CONSULTANT}
        assert has_role(consultant, Role.CONSULTANT)
        assert not has_role(consultant, Role.LEADER, Role.MANAGER)


@pytest.mark.parametrize(
    "user_fixture, allowed",
    [("consultant", True), ("admin_user", True), ("leader", False), ("manager", False)],
)
def test_it_lets_only_the_required_roles_through(request, user_fixture, allowed):
    @role_required(*CASEWORK_ROLES)
    def view(request):
        return HttpResponse("ok")

    http_request = RequestFactory().get("/")
    http_request.user = request.getfixturevalue(user_fixture)
    if allowed:
        assert view(http_request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(http_request)
