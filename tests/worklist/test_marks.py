"""Marking an item done or snoozing it: a reason always, a day ahead within 90 days for a
snooze, only on items of the user's own municipalities (else 404) and only by casework roles
(else 403); the item's reminders are resolved, one access-log row is written, and the page
works with htmx (the section swapped, the bell with it) and without (POST, redirect)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from audit.models import AccessLog
from notifications.models import Kind, Notification
from tests.factories import make_placement
from tests.worklist.conftest import days, make_follow_up, make_quiet_citizen
from worklist import services
from worklist.models import Mark


@pytest.fixture
def ending(citizen, employer):
    return make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=days(10))


@pytest.fixture
def other_ending(other_citizen, other_employer):
    return make_placement(other_citizen, other_employer, start_date=date(2025, 1, 1), end_date=days(10))


def done_data(placement, **changes):
    return {"kind": Kind.ENDING_SOON, "object_id": placement.pk, "due_on": f"{placement.end_date:%Y-%m-%d}",
            "reason": "Aftalt forlængelse med virksomheden", **changes}


def snooze_data(placement, **changes):
    return done_data(placement, **{"until": f"{days(7):%Y-%m-%d}", "reason": "Borgeren er på ferie", **changes})


# --- The services --------------------------------------------------------------------------

def test_it_marks_an_ending_done_and_resolves_its_reminders(consultant, ending):
    reminder = Notification.objects.create(
        user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, title="t", url="/"
    )
    mark = services.mark_done(
        user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, reason="  Klaret  "
    )
    assert (mark.until, mark.reason, mark.user) == (None, "Klaret", consultant)
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None
    row = AccessLog.objects.get()
    assert (row.action, row.citizen_id, row.purpose, row.model) == (
        AccessLog.Action.UPDATE, ending.citizen_id, "opfølgning", "worklist.Mark"
    )


def test_it_snoozes_a_follow_up_until_a_day(consultant, placement):
    follow_up = make_follow_up(placement, days(-1))
    mark = services.mark_snooze(
        user=consultant, kind=Kind.FOLLOW_UP, object_id=follow_up.pk, due_on=days(-1), until=days(90), reason="Syg"
    )
    assert mark.until == days(90)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_it_refuses_a_mark_without_a_reason(consultant, ending, reason):
    with pytest.raises(ValidationError) as error:
        services.mark_done(user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, reason=reason)
    assert error.value.message_dict == {"reason": ["Skriv en begrundelse."]}
    assert not Mark.objects.exists()


@pytest.mark.parametrize("offset, message", [
    (0, "Vælg en dag efter i dag."),
    (-5, "Vælg en dag efter i dag."),
    (91, "En opgave kan højst udsættes 90 dage."),
])
def test_it_refuses_a_snooze_to_today_the_past_or_too_far_ahead(consultant, ending, offset, message):
    with pytest.raises(ValidationError) as error:
        services.mark_snooze(
            user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date,
            until=days(offset), reason="Ferie",
        )
    assert error.value.message_dict == {"until": [message]}
    assert not Mark.objects.exists()


def test_it_marks_a_follow_up_done_only_where_it_is_recorded(consultant, placement):
    follow_up = make_follow_up(placement, days(-1))
    with pytest.raises(ValidationError):
        services.mark_done(user=consultant, kind=Kind.FOLLOW_UP, object_id=follow_up.pk, due_on=days(-1), reason="x")
    assert not Mark.objects.exists()


def test_it_refuses_a_mark_of_an_item_that_has_changed(consultant, ending):
    with pytest.raises(ValidationError) as error:
        services.mark_done(user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=days(11), reason="x")
    assert "ændret eller allerede klaret" in error.value.messages[0]
    services.mark_done(user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, reason="x")
    with pytest.raises(ValidationError):  # already done
        services.mark_done(user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, reason="x")
    assert Mark.objects.count() == 1


def test_it_lets_a_colleague_of_the_municipality_act_on_an_item(consultant, fredericia, ending):
    from accounts.models import Role
    from tests.factories import make_user

    colleague = make_user("kollega", fredericia, Role.CONSULTANT)
    services.mark_done(user=colleague, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, reason="x")
    assert Mark.objects.get().user == colleague


def test_it_gives_404_for_an_item_of_another_municipality(consultant, other_ending):
    with pytest.raises(Http404):
        services.mark_done(
            user=consultant, kind=Kind.ENDING_SOON, object_id=other_ending.pk, due_on=other_ending.end_date, reason="x"
        )
    with pytest.raises(Http404):
        services.mark_snooze(
            user=consultant, kind=Kind.ENDING_SOON, object_id=other_ending.pk, due_on=other_ending.end_date,
            until=days(3), reason="x",
        )
    assert not Mark.objects.exists()


# --- The views, without JavaScript ---------------------------------------------------------

def test_it_marks_done_by_a_plain_post_and_redirects_to_the_list(login, consultant, ending):
    client = login(consultant)
    response = client.post(reverse("worklist:done"), done_data(ending, page="2"))
    assert response.status_code == 302
    assert response.url == f"{reverse('worklist:mine')}?ending=2#section-ending"
    assert Mark.objects.get().reason == "Aftalt forlængelse med virksomheden"
    page = client.get(response.url).content.decode()
    assert "Opgaven er markeret som udført." in page
    assert f"item-ending_soon-{ending.pk}-" not in page


def test_it_snoozes_by_a_plain_post(login, consultant, ending):
    response = login(consultant).post(reverse("worklist:snooze"), snooze_data(ending))
    assert response.status_code == 302
    assert Mark.objects.get().until == days(7)


@pytest.mark.parametrize("changes, field_error", [
    ({"reason": ""}, "Skriv en begrundelse."),
    ({"until": f"{days(-1):%Y-%m-%d}"}, "Vælg en dag efter i dag."),
    ({"until": f"{days(120):%Y-%m-%d}"}, "En opgave kan højst udsættes 90 dage."),
    ({"until": ""}, "Vælg den dag, opgaven skal vises igen."),
    ({"until": "i morgen"}, "Indtast en gyldig dato."),
    ({"until": "9999-12-31"}, "En opgave kan højst udsættes 90 dage."),
    ({"reason": "x" * 301}, "Teksten er for lang: 301 tegn."),
    ({"reason": "ferie\x00"}, "ugyldigt kontroltegn"),
])
def test_it_shows_the_list_again_with_the_error_beside_the_item(login, consultant, ending, changes, field_error):
    response = login(consultant).post(reverse("worklist:snooze"), snooze_data(ending, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error in page
    assert '<details class="details worklist-action" open>' in page
    assert not Mark.objects.exists()
    # The page names the citizen again: its row in the log.
    assert AccessLog.objects.get().action == AccessLog.Action.LIST


@pytest.mark.parametrize("changes", [
    {"kind": "nonsense"}, {"object_id": "abc"}, {"object_id": "-1"}, {"object_id": str(2**70)},
    {"due_on": "2026-02-30"}, {"due_on": ""}, {"page": "0"},
])
def test_it_refuses_a_key_no_page_sends_with_a_message(login, consultant, ending, changes):
    client = login(consultant)
    response = client.post(reverse("worklist:done"), done_data(ending, **changes))
    assert response.status_code == 302 and response.url == reverse("worklist:mine")
    assert "Opgaven kunne ikke findes" in client.get(response.url).content.decode()
    assert not Mark.objects.exists()


def test_it_refuses_a_stale_item_with_a_message_at_its_section(login, consultant, ending):
    response = login(consultant).post(reverse("worklist:done"), done_data(ending, due_on=f"{days(3):%Y-%m-%d}"))
    assert response.status_code == 400
    assert "ændret eller allerede klaret" in response.content.decode()


def test_it_gives_404_for_an_item_of_another_municipality_by_post(login, consultant, other_ending):
    client = login(consultant)
    assert client.post(reverse("worklist:done"), done_data(other_ending)).status_code == 404
    assert client.post(reverse("worklist:snooze"), snooze_data(other_ending)).status_code == 404
    assert not Mark.objects.exists()


@pytest.mark.parametrize("user_fixture", ["manager", "leader"])
def test_it_refuses_roles_without_casework(request, login, user_fixture, ending):
    client = login(request.getfixturevalue(user_fixture))
    assert client.post(reverse("worklist:done"), done_data(ending)).status_code == 403
    assert client.post(reverse("worklist:snooze"), snooze_data(ending)).status_code == 403
    assert client.get(reverse("worklist:mine")).status_code == 403
    assert not Mark.objects.exists()


def test_it_answers_a_get_of_the_mark_urls_with_405(login, consultant):
    client = login(consultant)
    assert client.get(reverse("worklist:done")).status_code == 405
    assert client.get(reverse("worklist:snooze")).status_code == 405


# --- The views, with htmx ------------------------------------------------------------------

def test_it_swaps_the_section_and_the_bell_after_an_htmx_mark(login, consultant, fredericia, ending):
    Notification.objects.create(
        user=consultant, kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=ending.end_date, title="t", url="/"
    )
    other = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))
    Notification.objects.create(user=consultant, kind=Kind.NO_CONTACT, object_id=other.pk, due_on=days(-10), title="u", url="/")
    response = login(consultant).post(reverse("worklist:done"), done_data(ending), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="section-ending"')
    assert "Opgaven er markeret som udført." in page
    assert "Ingen ansættelser slutter den næste tid." in page
    # The bell, out of band, with one reminder left.
    assert 'id="notification-bell" class="function-link notification-bell has-unread d-print-none" hx-swap-oob="true"' in page
    assert 'aria-label="Påmindelser, 1 ulæst"' in page


def test_it_shows_the_error_in_the_swapped_section_after_an_htmx_mark(login, consultant, ending):
    response = login(consultant).post(reverse("worklist:done"), done_data(ending, reason=""), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="section-ending"')
    assert "Skriv en begrundelse." in page and ending.citizen.full_name in page
    assert AccessLog.objects.get().action == AccessLog.Action.LIST
    assert not Mark.objects.exists()


def test_it_reloads_the_page_for_a_broken_key_sent_by_htmx(login, consultant, ending):
    response = login(consultant).post(reverse("worklist:done"), done_data(ending, kind="x"), HTTP_HX_REQUEST="true")
    assert response.headers["HX-Refresh"] == "true"
