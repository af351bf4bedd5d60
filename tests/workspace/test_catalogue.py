"""The task catalogue for job carving: seeded by a data migration, extended by admins,
and ticked on a pledge."""

from employers.models import JobTask
from workspace.forms import PledgeForm

STARTING_TASKS = {"Let køkkenarbejde", "Vasketøj", "Let rengøring", "Pedelopgaver", "Administration",
                  "Aktiviteter med beboerne"}


def test_it_has_the_starting_tasks_from_the_data_migration(db):
    assert STARTING_TASKS <= set(JobTask.objects.values_list("name", flat=True))
    assert all(JobTask.objects.filter(name__in=STARTING_TASKS).values_list("active", flat=True))


def test_it_lets_an_admin_extend_the_catalogue(login, admin_user):
    client = login(admin_user)
    assert client.get("/admin/employers/jobtask/").status_code == 200
    assert client.get("/admin/employers/jobtask/add/").status_code == 200
    response = client.post("/admin/employers/jobtask/add/", {"name": "Havearbejde", "description": "Lugning", "active": "on"})
    assert response.status_code == 302
    assert JobTask.objects.filter(name="Havearbejde", active=True).exists()
    assert "Havearbejde" in {str(t) for t in PledgeForm().fields["catalogue_tasks"].queryset}


def test_it_keeps_the_catalogue_from_leaders_and_consultants(login, leader, consultant):
    for user in (leader, consultant):
        response = login(user).get("/admin/employers/jobtask/")
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_it_offers_only_active_tasks_on_a_pledge(db):
    JobTask.objects.filter(name="Vasketøj").update(active=False)
    offered = set(PledgeForm().fields["catalogue_tasks"].queryset.values_list("name", flat=True))
    assert "Vasketøj" not in offered and "Let køkkenarbejde" in offered
