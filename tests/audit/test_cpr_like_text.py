"""No piece of a CPR number reaches the log in clear, in whatever shape it was typed: the
caseload search posts on every keystroke, so typing a number sends each piece of it; the log
keeps each such search as "CPR-søgning" and masks what a purpose or a query text holds
(core.cpr_text, the one rule)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from audit.services import CPR_SEARCH, access_log_record, describe_search

# What a search box sends while 010190-1234 is typed, and the shapes it is typed in.
TYPED = [
    "010190", "0101901", "010190-", "010190-1", "010190-12", "010190-123", "010190-1234",
    "01.01.90-1234", "01.01.90", "01/01/90 1234", "010190 1234", "01019O-1234", "O1O19O1234",
    "Bente 010190-12",
]


@pytest.mark.parametrize("typed", TYPED)
def test_a_search_that_may_hold_a_cpr_number_is_kept_as_a_cpr_search(typed):
    assert describe_search(typed) == CPR_SEARCH


@pytest.mark.parametrize("typed", ["Sørensen", "Bente S", "01019", "Ole 12"])
def test_other_searches_are_kept_as_typed(typed):
    assert describe_search(typed) == typed


def test_typing_a_number_into_the_caseload_search_logs_no_piece_of_it(login, consultant, citizen):
    client = login(consultant)
    number = citizen.reveal_cpr()
    for length in range(6, len(number) + 1):
        client.post(reverse("citizens:list"), {"q": number[:length], "consultant": ""}, HTTP_HX_REQUEST="true")
    for typed in TYPED:
        client.post(reverse("citizens:list"), {"q": typed, "consultant": ""}, HTTP_HX_REQUEST="true")
    queries = list(AccessLog.objects.values_list("query", flat=True))
    assert len(queries) == len(number) - 5 + len(TYPED)
    assert set(queries) == {CPR_SEARCH}


def test_the_admins_list_search_for_a_piece_of_a_number_is_a_cpr_search(admin_client, citizen):
    admin_client.get(reverse("admin:citizens_citizen_changelist"), {"q": "01.01.90-12"})
    assert AccessLog.objects.get().query == CPR_SEARCH


@pytest.mark.parametrize("text", ["ringede fra 010190-123", "om 01.01.90-1234", "om 01019O-1234"])
def test_a_purpose_or_query_holding_a_piece_of_a_number_is_masked(consultant, citizen, text):
    row = access_log_record(
        user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose=f"andet: {text}", query=text
    )
    stored = f"{row.purpose} {row.query}"
    assert text.split()[-1] not in stored
    assert "XXXXXX-XXXX" in row.purpose and "XXXXXX-XXXX" in row.query


def test_the_logs_own_search_keeps_its_period_readable(login, manager):
    today = timezone.localdate()
    login(manager).post(reverse("audit:search"), {"date_from": today.replace(day=1), "date_to": today})
    row = AccessLog.objects.get(user=manager)
    assert "XXXX" not in row.query
    assert row.query.startswith("periode: 1. ") and str(today.year) in row.query


@pytest.mark.parametrize("typed, kept", [("Bente\x00", "Bente"), ("\x00", ""), ("Ole\x1fHansen", "Ole Hansen")])
def test_control_characters_are_not_kept(typed, kept):
    """A NUL typed (or posted) into a search: no database column takes it, and no one means it."""
    assert describe_search(typed) == kept


def test_a_cpr_number_split_by_a_control_character_is_still_a_cpr_search():
    assert describe_search("010190\x00-1234") == CPR_SEARCH


def test_a_search_with_a_nul_lists_and_logs(login, consultant, citizen):
    response = login(consultant).post(reverse("citizens:list"), {"q": "\x00", "consultant": ""})
    assert response.status_code in (200, 400)
