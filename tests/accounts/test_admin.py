"""Admin pages for municipalities and memberships."""

import pytest
from django.urls import reverse

from accounts.models import Membership


@pytest.mark.parametrize("model", ["municipality", "membership"])
def test_it_loads_the_changelists_for_a_superuser(login, admin_user, consultant, model):
    response = login(admin_user).get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200


def test_it_loads_the_municipality_page_with_its_memberships(login, admin_user, consultant, fredericia):
    response = login(admin_user).get(reverse("admin:accounts_municipality_change", args=[fredericia.pk]))
    assert response.status_code == 200
    assert "konsulent" in response.content.decode()


def test_it_searches_memberships_by_username(login, admin_user, consultant, outsider):
    response = login(admin_user).get(reverse("admin:accounts_membership_changelist"), {"q": "odense"})
    assert list(response.context["cl"].result_list) == list(Membership.objects.filter(user=outsider))


def test_it_keeps_a_consultant_out_of_the_admin(login, consultant):
    response = login(consultant).get(reverse("admin:accounts_municipality_changelist"))
    assert response.status_code == 302
