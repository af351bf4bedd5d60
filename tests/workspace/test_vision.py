"""The vision: every version kept, one adopted at a time, shown with its date on the front page."""

import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone, translation

from workspace.models import VisionVersion

from tests.factories import make_workshop


def vision_url(task_force, suffix=""):
    return f"/taskforce/{task_force.pk}/vision/{suffix}"


def draft(member, text):
    return VisionVersion.objects.create(task_force=member.task_force, author=member, text=text)


def test_it_keeps_every_version_a_member_saves(login, leader_member, co_leader_member, task_force):
    login(leader_member.user).post(vision_url(task_force), {"text": "Alle kan arbejde nogle timer."})
    response = login(co_leader_member.user).post(vision_url(task_force), {"text": "Alle kan arbejde – også få timer."})
    assert response.status_code == 302
    versions = list(VisionVersion.objects.order_by("pk").values_list("author", "text"))
    assert versions == [(leader_member.pk, "Alle kan arbejde nogle timer."),
                        (co_leader_member.pk, "Alle kan arbejde – også få timer.")]
    html = login(leader_member.user).get(vision_url(task_force)).content.decode()
    assert "Alle kan arbejde nogle timer." in html and "Alle kan arbejde – også få timer." in html


def test_it_starts_a_new_draft_from_the_latest_version(login, leader_member, task_force):
    draft(leader_member, "Første udkast")
    draft(leader_member, "Andet udkast")
    response = login(leader_member.user).get(vision_url(task_force))
    assert response.context["form"].initial["text"] == "Andet udkast"


def test_it_lets_no_non_member_write_a_version(login, manager, task_force):
    assert login(manager).post(vision_url(task_force), {"text": "Min vision"}).status_code == 403
    assert not VisionVersion.objects.exists()


def test_it_lets_the_facilitator_adopt_one_version_at_a_workshop(login, facilitator_member, leader_member, task_force):
    first, second = draft(leader_member, "Første"), draft(leader_member, "Anden")
    workshop = make_workshop(task_force, days_from_now=-10, title="Workshop 1: Vision")
    client = login(facilitator_member.user)
    assert client.post(vision_url(task_force, f"{first.pk}/adopt/"), {"workshop": workshop.pk}).status_code == 302
    first.refresh_from_db()
    assert first.adopted and first.adopted_at_workshop == workshop and first.adopted_on == timezone.localdate(workshop.starts_at)
    # Adopting another version steps the first one down: one at a time.
    client.post(vision_url(task_force, f"{second.pk}/adopt/"), {"workshop": ""})
    assert list(VisionVersion.objects.filter(adopted=True)) == [second]
    assert VisionVersion.objects.count() == 2


def test_it_lets_no_leader_adopt_a_version(login, leader_member, task_force):
    version = draft(leader_member, "Min egen vision")
    assert login(leader_member.user).post(vision_url(task_force, f"{version.pk}/adopt/")).status_code == 403
    version.refresh_from_db()
    assert not version.adopted
    html = login(leader_member.user).get(vision_url(task_force)).content.decode()
    assert "Vedtag denne version" not in html


def test_it_gives_404_for_another_task_forces_version(login, facilitator_member, other_leader_member, task_force):
    foreign = draft(other_leader_member, "Odenses vision")
    assert login(facilitator_member.user).post(vision_url(task_force, f"{foreign.pk}/adopt/")).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.adopted


def test_it_allows_only_one_adopted_version_in_the_database(leader_member):
    VisionVersion.objects.create(task_force=leader_member.task_force, author=leader_member, text="A", adopted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisionVersion.objects.create(task_force=leader_member.task_force, author=leader_member, text="B", adopted=True)


def test_it_allows_one_adopted_version_in_each_task_force(leader_member, other_leader_member):
    VisionVersion.objects.create(task_force=leader_member.task_force, author=leader_member, text="A", adopted=True)
    VisionVersion.objects.create(task_force=other_leader_member.task_force, author=other_leader_member, text="B", adopted=True)
    assert VisionVersion.objects.filter(adopted=True).count() == 2


def test_it_shows_the_adopted_vision_with_its_date_on_the_front_page(login, leader_member, task_force):
    draft(leader_member, "Et udkast, der ikke blev vedtaget")
    VisionVersion.objects.create(
        task_force=task_force, author=leader_member, text="Alle kan arbejde nogle timer om ugen.",
        adopted=True, adopted_on=date(2026, 3, 3),
    )
    html = login(leader_member.user).get(f"/taskforce/{task_force.pk}/").content.decode()
    with translation.override("da"):
        shown = dateformat.format(date(2026, 3, 3), "j. F Y")
    assert "Alle kan arbejde nogle timer om ugen." in html
    assert f"Vedtaget {shown}" in html
    assert "Et udkast, der ikke blev vedtaget" not in html


def test_it_gives_the_vision_the_prominence_of_a_lead_paragraph(login, leader_member, task_force):
    """The vision is what the task force stands for: the design system's lead paragraph, with
    the line saying when it was adopted in small text below it."""
    VisionVersion.objects.create(
        task_force=task_force, author=leader_member, text="Alle kan arbejde nogle timer om ugen.",
        adopted=True, adopted_on=date(2026, 3, 3),
    )
    html = login(leader_member.user).get(f"/taskforce/{task_force.pk}/").content.decode()
    lead = re.search(r'<(\w+) class="([^"]*)">([^<]*Alle kan arbejde nogle timer om ugen\.)', html)
    assert lead and "font-lead" in lead.group(2).split()
    below = html[html.index("Alle kan arbejde nogle timer om ugen."):]
    assert re.search(r'<p class="small-text">Vedtaget ', below)


def test_it_says_so_when_no_vision_is_adopted(login, leader_member, task_force):
    draft(leader_member, "Et udkast")
    html = login(leader_member.user).get(f"/taskforce/{task_force.pk}/").content.decode()
    assert "Visionen er ikke vedtaget endnu." in html


def test_it_says_so_and_adopts_nothing_when_the_workshop_is_not_the_task_forces(
    login, facilitator_member, leader_member, other_leader_member, task_force
):
    version = draft(leader_member, "Visionen")
    foreign = make_workshop(other_leader_member.task_force, title="Odenses workshop")
    client = login(facilitator_member.user)
    for bad in (foreign.pk, 999999, "x"):
        response = client.post(vision_url(task_force, f"{version.pk}/adopt/"), {"workshop": bad}, follow=True)
        assert "Visionen er ikke vedtaget: vælg en af task forcens workshops, eller ingen." in response.content.decode()
        version.refresh_from_db()
        assert not version.adopted


def test_it_gives_each_versions_workshop_field_its_own_id_and_label(login, facilitator_member, leader_member, task_force):
    import re

    draft(leader_member, "Første"), draft(leader_member, "Anden")
    make_workshop(task_force, title="Workshop 1")
    make_workshop(task_force, title="Workshop 2")
    html = login(facilitator_member.user).get(vision_url(task_force)).content.decode()
    ids = re.findall(r'<select[^>]*\bid="([^"]+)"', html)
    assert len(ids) == 2 and len(set(ids)) == 2
    for select_id in ids:
        assert f'for="{select_id}"' in html
    assert re.findall(r'<select[^>]*\bname="([^"]+)"', html) == ["workshop", "workshop"]


def test_it_shows_the_vision_page_in_a_constant_number_of_queries(login, facilitator_member, leader_member, task_force):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(facilitator_member.user)
    make_workshop(task_force)
    draft(leader_member, "1")
    client.get(vision_url(task_force))
    with CaptureQueriesContext(connection) as few:
        client.get(vision_url(task_force))
    for i in range(5):
        draft(leader_member, f"Udkast {i}")
        make_workshop(task_force, title=f"Workshop {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(vision_url(task_force))
    assert len(many) == len(few)
