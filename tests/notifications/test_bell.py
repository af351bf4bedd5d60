"""The bell in the header: the user's unread reminders whose work is not done, on every page
for a signed-in user, in one query, read aloud as "Påmindelser, 3 ulæste"; its count drops
when the work is done (a follow-up recorded) and when the reminders are read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from placements.models import FollowUp
from tests.factories import make_placement
from worklist.services import reminders_send


def remind(user, n, kind=Kind.FOLLOW_UP, **fields):
    start = Notification.objects.count()
    return [
        Notification.objects.create(user=user, kind=kind, object_id=1000 + start + i, due_on=date(2026, 12, 1),
                                    title=f"Påmindelse {i}", url="/tasks/", **fields)
        for i in range(n)
    ]


def bell_label(page):
    start = page.index('id="notification-bell"')
    return page[start:page.index(">", start)]


def test_it_shows_the_unread_count_with_an_accessible_name(login, consultant):
    remind(consultant, 3)
    page = login(consultant).get(reverse("worklist:mine")).content.decode()
    assert 'aria-label="Påmindelser, 3 ulæste"' in bell_label(page)
    assert '<span class="notification-count" aria-hidden="true">3</span>' in page
    assert f'href="{reverse("notifications:list")}" id="notification-bell"' in page


def test_it_says_one_unread_in_the_singular_and_none_without_a_count(login, consultant):
    remind(consultant, 1)
    client = login(consultant)
    assert 'aria-label="Påmindelser, 1 ulæst"' in bell_label(client.get(reverse("worklist:mine")).content.decode())
    Notification.objects.update(read_at=timezone.now())
    page = client.get(reverse("worklist:mine")).content.decode()
    assert 'aria-label="Påmindelser, 0 ulæste"' in bell_label(page)
    assert "notification-count" not in page


def test_it_counts_neither_read_nor_resolved_reminders_nor_another_users(login, consultant, outsider):
    remind(consultant, 2)
    remind(consultant, 1, read_at=timezone.now())
    remind(outsider, 1)
    Notification.objects.create(user=consultant, kind=Kind.NO_CONTACT, object_id=1, due_on=date(2026, 12, 1),
                                title="x", url="/", resolved_at=timezone.now())
    page = login(consultant).get(reverse("worklist:mine")).content.decode()
    assert 'aria-label="Påmindelser, 2 ulæste"' in bell_label(page)


@pytest.mark.parametrize("user_fixture, url", [
    ("consultant", "citizens:list"), ("manager", "progress:dashboard"), ("leader", "employers:mine"),
    ("admin_user", "worklist:team"),
])
def test_it_is_on_every_page_for_a_signed_in_user(request, login, user_fixture, url, leader_member):
    page = login(request.getfixturevalue(user_fixture)).get(reverse(url)).content.decode()
    assert 'id="notification-bell"' in page and 'id="notification-bell-mobile"' in page


def test_it_is_not_shown_before_sign_in(client, db):
    assert 'notification-bell' not in client.get(reverse("accounts:login")).content.decode()


def test_it_costs_one_query_per_page_however_many_reminders(login, consultant):
    client = login(consultant)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("notifications:preferences"))
        return [q["sql"] for q in captured if "notifications_notification" in q["sql"]]

    remind(consultant, 1)
    assert len(queries()) == 1
    remind(consultant, 1)  # more of them, the same one query (both bells share it)
    Notification.objects.bulk_create(
        Notification(user=consultant, kind=Kind.DEADLINE, object_id=i, due_on=date(2026, 12, 1), title="t", url="/")
        for i in range(20)
    )
    assert len(queries()) == 1


def test_its_count_drops_when_the_follow_up_is_recorded(login, consultant, citizen, employer):
    """The browser journey's steps: an overdue follow-up on the list and in the bell; recorded,
    it leaves both."""
    from placements import services as placement_services

    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    FollowUp.objects.filter(placement=placement).delete()  # whatever was planned: this test's own
    today = timezone.localdate()
    follow_up = FollowUp.objects.create(placement=placement, kind=FollowUp.Kind.REGULAR, months=9, due_on=today - timedelta(days=3))
    assert reminders_send(as_of=today) == 1
    client = login(consultant)
    page = client.get(reverse("worklist:mine")).content.decode()
    assert f"item-follow_up-{follow_up.pk}-" in page
    assert 'aria-label="Påmindelser, 1 ulæst"' in bell_label(page)

    if hasattr(placement_services, "followup_record"):
        placement_services.followup_record(
            user=consultant, follow_up=follow_up, done_on=today, outcome=FollowUp.Outcome.STILL_EMPLOYED, note="Godt"
        )
    else:  # until the placements' own page is there
        from notifications.services import notifications_resolve

        FollowUp.objects.filter(pk=follow_up.pk).update(done_on=today, outcome=FollowUp.Outcome.STILL_EMPLOYED)
        notifications_resolve(kind=Kind.FOLLOW_UP, object_id=follow_up.pk)

    page = client.get(reverse("worklist:mine")).content.decode()
    assert f"item-follow_up-{follow_up.pk}-" not in page
    assert 'aria-label="Påmindelser, 0 ulæste"' in bell_label(page)
