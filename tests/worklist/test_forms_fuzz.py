"""Whatever is posted to the worklist's marks (control characters, lone surrogates, huge or
odd values in any field), nothing breaks and nothing half is saved: the view answers with a
page, a message or a redirect, never a server error, and a Mark is saved only as the rules
allow. Whatever the team page is asked for (a consultant, a page, a municipality), it answers
with a page or a 404. The forms are bound as a request carries them, past the test client's
own encoding."""

from datetime import date

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from django_htmx.middleware import HtmxDetails
from hypothesis import given
from hypothesis import strategies as st

from notifications.models import Kind
from tests.factories import make_placement
from tests.strategies import NASTY, query_dict
from tests.worklist.conftest import days, make_follow_up
from worklist import views
from worklist.models import Mark

FIELDS = ("kind", "object_id", "due_on", "page", "until", "reason")
TEAM_FIELDS = ("municipality", "consultant", "page", "overdue_page")


def as_sent(value):
    """A value as a browser's request body can carry it: UTF-8, where a lone surrogate cannot
    be written and arrives as the replacement character."""
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@pytest.fixture
def ending(citizen, employer):
    return make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=days(10))


@pytest.mark.parametrize("view", [views.done, views.snooze], ids=["done", "snooze"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@given(data=st.data())
def test_no_post_breaks_a_mark_or_saves_half_of_one(rf, consultant, ending, view, htmx, data):
    valid = {
        "kind": Kind.ENDING_SOON, "object_id": str(ending.pk), "due_on": f"{ending.end_date:%Y-%m-%d}",
        "page": "1", "until": f"{days(5):%Y-%m-%d}", "reason": "Ferie",
    }
    changed = data.draw(st.sets(st.sampled_from(FIELDS)))
    post = {**valid, **{name: as_sent(data.draw(NASTY)) for name in changed}}
    Mark.objects.all().delete()
    request = rf.post("/tasks/", **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    request._post, request._files = query_dict(post), MultiValueDict()
    request.user, request.htmx = consultant, HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    try:
        response = view(request)
    except Http404:
        return  # an object id of no item of the user's
    assert response.status_code in (200, 302, 400)
    if Mark.objects.exists():
        mark = Mark.objects.get()
        assert mark.reason.strip() and len(mark.reason) <= 300
        assert mark.until is None or days(1) <= mark.until <= days(90)


@pytest.mark.parametrize("reason", ["a\x00b", "\ufffe", "\x1b[31m"])
def test_a_reason_that_cannot_be_stored_is_refused_and_not_echoed_broken(rf, consultant, ending, reason):
    request = rf.post("/tasks/")
    request._post, request._files = query_dict({
        "kind": Kind.ENDING_SOON, "object_id": str(ending.pk), "due_on": f"{ending.end_date:%Y-%m-%d}",
        "until": f"{days(5):%Y-%m-%d}", "reason": reason,
    }), MultiValueDict()
    request.user, request.htmx = consultant, HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    response = views.snooze(request)
    assert response.status_code == 400
    assert "ugyldigt kontroltegn" in response.content.decode()
    assert not Mark.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@given(data=st.data())
def test_no_query_breaks_the_team_page(rf, manager, consultant, placement, htmx, data):
    make_follow_up(placement, days(-2))
    valid = {"municipality": "607", "consultant": str(consultant.pk), "page": "1", "overdue_page": "1"}
    changed = data.draw(st.sets(st.sampled_from(TEAM_FIELDS)))
    query = {**valid, **{name: as_sent(data.draw(NASTY)) for name in changed}}
    request = rf.get("/tasks/team/", **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    request.GET = query_dict(query)
    request.user, request.htmx = manager, HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    try:
        response = views.team(request)
    except Http404:
        assert "municipality" in changed  # only a municipality the manager does not lead
        return
    assert response.status_code == 200
    assert "Bente" not in response.content.decode()
