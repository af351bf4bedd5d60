"""The notifications page (newest first, unread marked and then read, paginated), "mark all
read", and the choice of a daily digest; every signed-in user has their own, and no one
else's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification, Preference
from notifications.views import PAGE_SIZE


def remind(user, title, **fields):
    return Notification.objects.create(
        user=user, kind=fields.pop("kind", Kind.FOLLOW_UP), object_id=fields.pop("object_id", Notification.objects.count() + 1),
        due_on=date(2026, 12, 1), title=title, url=fields.pop("url", "/placements/1/"), **fields,
    )


def test_it_lists_the_users_reminders_newest_first_and_marks_the_unread(login, consultant, outsider):
    old = remind(consultant, "Gammel", read_at=timezone.now())
    new = remind(consultant, "Ny påmindelse")
    remind(outsider, "Ikke din")
    page = login(consultant).get(reverse("notifications:list")).content.decode()
    assert page.index("Ny påmindelse") < page.index("Gammel")
    assert "Ikke din" not in page
    assert page.count('<span class="badge badge-info">Ny</span>') == 1
    assert 'href="/placements/1/"' in page
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.read_at is not None


def test_opening_the_page_marks_the_shown_reminders_read_and_the_bell_drops(login, consultant):
    remind(consultant, "A")
    remind(consultant, "B")
    client = login(consultant)
    page = client.get(reverse("notifications:list")).content.decode()
    # Marked as new on this showing; the bell drawn after counts them read.
    assert page.count("badge-info") == 2
    assert 'aria-label="Påmindelser, 0 ulæste"' in page
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "badge-info" not in client.get(reverse("notifications:list")).content.decode()


def test_it_marks_only_the_page_shown_read(login, consultant):
    for n in range(PAGE_SIZE + 3):
        remind(consultant, f"P{n}")
    client = login(consultant)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Side 1 af 2" in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    assert "Side 2 af 2" in client.get(reverse("notifications:list"), {"page": "2"}).content.decode()
    assert client.get(reverse("notifications:list"), {"page": "x"}).status_code == 200


def test_it_shows_a_resolved_reminder_as_done(login, consultant):
    remind(consultant, "Klaret sag", resolved_at=timezone.now())
    assert "badge-success" in login(consultant).get(reverse("notifications:list")).content.decode()


def test_it_says_so_when_there_are_no_reminders(login, leader):
    page = login(leader).get(reverse("notifications:list")).content.decode()
    assert "Du har ingen påmindelser." in page
    assert "Markér alle som læst" not in page


def test_it_lists_in_the_same_number_of_queries_for_one_and_many(login, consultant):
    client = login(consultant)

    def queries():
        Notification.objects.update(read_at=None)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("notifications:list"))
        return len(captured)

    remind(consultant, "En")
    one = queries()
    for n in range(10):
        remind(consultant, f"Flere {n}")
    assert queries() == one


def test_it_marks_all_read_by_post(login, consultant, outsider):
    for n in range(PAGE_SIZE + 3):
        remind(consultant, f"P{n}")
    theirs = remind(outsider, "Ikke din")
    client = login(consultant)
    response = client.post(reverse("notifications:read_all"))
    assert response.url == reverse("notifications:list")
    assert not Notification.objects.filter(user=consultant, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Alle påmindelser er markeret som læst." in client.get(response.url).content.decode()
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_it_saves_the_choice_of_a_daily_digest(login, consultant):
    client = login(consultant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Daglig e-mail med påmindelser" in page
    assert "ingen e-mailadresse" in page
    response = client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert response.url == reverse("notifications:preferences")
    assert Preference.objects.get(user=consultant).daily_digest is True
    client.post(reverse("notifications:preferences"), {})
    assert Preference.objects.get(user=consultant).daily_digest is False
    assert Preference.objects.count() == 1


@pytest.mark.parametrize("value", ["nonsense", "\x00", "x" * 10000, "false", "False"])
def test_it_takes_any_value_of_the_box_without_an_error(login, consultant, value):
    response = login(consultant).post(reverse("notifications:preferences"), {"daily_digest": value})
    assert response.status_code == 302
    assert Preference.objects.get(user=consultant).daily_digest is (value.lower() != "false")


@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences"])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
