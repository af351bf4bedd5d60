"""The main menu: each role's items, and the one for the current page marked."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def menu(html):
    return re.search(r'<ul class="mainmenu">(.*?)</ul>', html, re.S).group(1)


def item(html, label):
    return re.search(rf"<li[^>]*>\s*<a [^>]*>\s*<span>{label}</span>", menu(html))


@pytest.mark.parametrize("who", ["consultant", "admin_user"])
def test_it_takes_consultants_to_the_courses(db, login, who, request):
    client = login(request.getfixturevalue(who))
    html = client.get("/citizens/").content.decode()
    courses = item(html, "Forløb")
    assert courses and 'href="/courses/"' in courses.group(0)
    assert 'aria-current="page"' not in courses.group(0)
    on_courses = client.get("/courses/").content.decode()
    current = item(on_courses, "Forløb").group(0)
    assert 'class="active current"' in current and 'aria-current="page"' in current
    assert 'aria-current="page"' not in item(on_courses, "Borgere").group(0)


def test_it_shows_no_courses_to_leaders(db, login, leader):
    html = login(leader).get("/", follow=True).content.decode()
    assert item(html, "Forløb") is None


def test_it_shows_managers_the_courses_they_report_on(db, login, manager):
    """The course funnel is what a manager reports on (issue 10): the menu leads there."""
    client = login(manager)
    html = client.get("/", follow=True).content.decode()
    courses = item(html, "Forløb")
    assert courses and 'href="/courses/"' in courses.group(0)
    current = item(client.get("/courses/").content.decode(), "Forløb").group(0)
    assert 'aria-current="page"' in current


def test_it_shows_an_outside_facilitator_the_task_force_menu_item(client, facilitator_member, task_force):
    client.force_login(facilitator_member.user)
    html = client.get(f"/taskforce/{task_force.pk}/").content.decode()
    assert 'href="/taskforce/"' in html


def test_it_asks_once_per_page_whether_a_facilitator_is_in_a_task_force(client, facilitator_member, task_force):
    """The desktop menu and the mobile drawer both show the item; the membership is looked up
    for the first and kept for the second."""
    client.force_login(facilitator_member.user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/taskforce/{task_force.pk}/").content.decode()
    assert html.count('<a href="/taskforce/" class="nav-link"') == 2
    # The menu's question: every task force the user works in, with no other condition.
    asked = [q["sql"] for q in queries.captured_queries
             if 'FROM "workspace_taskforce"' in q["sql"] and "LIMIT 1" in q["sql"] and '"workspace_taskforce"."id" =' not in q["sql"]]
    assert len(asked) == 1, asked


def test_it_shows_consultants_the_import_menu_item(login, consultant):
    html = login(consultant).get("/citizens/").content.decode()
    assert 'href="/imports/"' in html
