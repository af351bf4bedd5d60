"""Recording a follow-up from the placement's page: a date, an outcome and a note, once; the
citizen's last contact moves, the access log says who, its reminders leave the bell; "ended"
offers the end form dated that day, "hours changed" the edit form."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessLog
from citizens.models import Citizen
from notifications.models import Kind, Notification
from placements import services
from placements.models import FollowUp, Placement
from tests.factories import make_placement
from tests.html import form_values

ALREADY = "Opfølgningen er allerede registreret."
FUTURE = "Datoen må ikke ligge i fremtiden."


def today():
    return timezone.localdate()


def log_mark():
    """The log is append-only: a test reads the rows written after this mark."""
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def rows_since(mark):
    return AccessLog.objects.filter(pk__gt=mark).order_by("pk")


@pytest.fixture
def placement(consultant, citizen, employer):
    """A flex job started four months ago, its follow-ups planned."""
    return services.placement_create(
        user=consultant, citizen=citizen, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("6"), start_date=today() - relativedelta(months=4),
    )


@pytest.fixture
def follow_up(placement):
    return FollowUp.objects.get(placement=placement, kind=FollowUp.Kind.REGULAR, months=1)


def url(follow_up):
    return f"/placements/{follow_up.placement_id}/follow-ups/{follow_up.pk}/"


def record(client, follow_up, **data):
    body = {"done_on": str(today()), "outcome": "still_employed", "note": "Trives godt"}
    body.update(data)
    return client.post(url(follow_up), body)


def test_it_shows_the_form_with_today_as_the_date(login, consultant, follow_up):
    response = login(consultant).get(url(follow_up))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opfølgning efter 1 måned" in html and "Bente Sørensen" in html
    values = form_values(html)
    assert values["done_on"] == str(today())
    assert "Registrér opfølgning" in html


def test_it_records_a_follow_up(login, consultant, citizen, follow_up):
    mark = log_mark()
    client = login(consultant)
    done_on = today() - timedelta(days=3)
    response = record(client, follow_up, done_on=str(done_on), note="Trives godt")
    assert response.status_code == 302
    assert response["Location"] == url(follow_up)
    follow_up.refresh_from_db()
    assert (follow_up.done_on, follow_up.outcome, follow_up.note, follow_up.done_by) == (
        done_on, "still_employed", "Trives godt", consultant
    )
    citizen.refresh_from_db()
    assert citizen.last_contact_on == done_on
    row = rows_since(mark).get()
    assert (row.user, row.action, row.model, row.object_id, row.purpose) == (
        consultant, AccessLog.Action.UPDATE, "citizens.Citizen", citizen.pk, "opfølgning"
    )
    html = client.get(url(follow_up)).content.decode()
    assert "Opfølgningen er registreret." in html and "Stadig ansat" in html and "Trives godt" in html
    assert "Registrér opfølgning" not in html


def test_it_lists_the_follow_ups_on_the_placement_page(login, consultant, placement, follow_up):
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="not_reached", note="Ringede")
    html = login(consultant).get(f"/placements/{placement.pk}/").content.decode()
    assert "Ikke truffet" in html and "Ringede" in html
    three = FollowUp.objects.get(placement=placement, months=3)
    assert f'href="{url(three)}"' in html
    assert "Over fristen" in html  # the 3-month one, due a month ago
    assert "Planlagt" in html  # the 6-month one
    assert "Lovpligtig opfølgning efter 2½ år" in html


def test_not_reached_leaves_the_last_contact(consultant, citizen, follow_up):
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_on=today() - timedelta(days=40))
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="not_reached", note="")
    citizen.refresh_from_db()
    assert citizen.last_contact_on == today() - timedelta(days=40)


def test_a_follow_up_recorded_late_does_not_move_the_last_contact_back(consultant, citizen, follow_up):
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_on=today())
    services.followup_record(
        user=consultant, follow_up=follow_up, done_on=today() - timedelta(days=20), outcome="still_employed", note=""
    )
    citizen.refresh_from_db()
    assert citizen.last_contact_on == today()


def test_it_resolves_the_follow_ups_reminders(consultant, placement, follow_up):
    legal = FollowUp.objects.get(placement=placement, kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    for item, kind in ((follow_up, Kind.FOLLOW_UP), (legal, Kind.DEADLINE)):
        Notification.objects.create(user=consultant, kind=kind, object_id=item.pk, due_on=item.due_on,
                                    title="Opfølgning", url=url(item))
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="still_employed", note="")
    assert list(Notification.objects.filter(resolved_at__isnull=False).values_list("object_id", flat=True)) == [follow_up.pk]
    legal = FollowUp.objects.select_related("placement").get(pk=legal.pk)
    services.followup_record(user=consultant, follow_up=legal, done_on=today(), outcome="still_employed", note="")
    assert not Notification.objects.filter(resolved_at__isnull=True).exists()


@pytest.mark.parametrize("outcome, resolved", [("still_employed", True), ("not_reached", False)])
def test_a_contact_resolves_the_no_contact_reminder_as_a_case_note_does(consultant, citizen, follow_up, outcome, resolved):
    Notification.objects.create(user=consultant, kind=Kind.NO_CONTACT, object_id=citizen.pk, due_on=today(),
                                title="Ingen kontakt", url=f"/citizens/{citizen.pk}/")
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome=outcome, note="")
    assert Notification.objects.filter(kind=Kind.NO_CONTACT, resolved_at__isnull=False).exists() == resolved


def test_it_refuses_to_record_a_follow_up_twice(login, consultant, follow_up):
    client = login(consultant)
    assert record(client, follow_up).status_code == 302
    response = record(client, follow_up, outcome="ended", note="Anden version")
    assert response.status_code == 400
    assert ALREADY in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.note) == ("still_employed", "Trives godt")


def test_the_service_refuses_a_stale_second_recording(consultant, follow_up):
    stale = FollowUp.objects.select_related("placement__citizen").get(pk=follow_up.pk)
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="still_employed", note="")
    with pytest.raises(ValidationError) as error:
        services.followup_record(user=consultant, follow_up=stale, done_on=today(), outcome="ended", note="")
    assert error.value.messages == [ALREADY]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"done_on": "tomorrow"}, "done_on", FUTURE),
        ({"done_on": "before_start"}, "done_on", "Opfølgningen kan ikke være udført før ansættelsens start"),
        ({"done_on": ""}, "done_on", None),
        ({"done_on": "9999-12-31"}, "done_on", None),
        ({"done_on": "31-02-2026"}, "done_on", None),
        ({"outcome": ""}, "outcome", None),
        ({"outcome": "fired"}, "outcome", None),
        ({"note": "x" * 5001}, "note", "Teksten er for lang"),
        ({"note": "nul\x00tegn"}, "note", "kontroltegn"),
    ],
)
def test_it_refuses_bad_input_with_a_danish_message(login, consultant, follow_up, placement, data, field, message):
    mark = log_mark()
    if data.get("done_on") == "tomorrow":
        data = {"done_on": str(today() + timedelta(days=1))}
    elif data.get("done_on") == "before_start":
        data = {"done_on": str(placement.start_date - timedelta(days=1))}
    response = record(login(consultant), follow_up, **data)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if message:
        assert any(message in error for error in errors), errors
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.outcome == ""
    # The page sent back with its errors is a page view: one row, no update.
    assert list(rows_since(mark).values_list("action", flat=True)) == [AccessLog.Action.VIEW]


def test_an_empty_post_is_told_what_is_missing(login, consultant, follow_up):
    response = login(consultant).post(url(follow_up), {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"done_on", "outcome"}
    assert "Der er fejl i formularen" in response.content.decode()


def test_the_service_refuses_bad_dates_too(consultant, follow_up, placement):
    for done_on, message in ((today() + timedelta(days=1), FUTURE), (placement.start_date - timedelta(days=1), "før ansættelsens start")):
        with pytest.raises(ValidationError) as error:
            services.followup_record(user=consultant, follow_up=follow_up, done_on=done_on, outcome="ended", note="")
        assert message in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="bored", note="")
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_it_allows_recording_on_the_start_date(consultant, follow_up, placement):
    services.followup_record(user=consultant, follow_up=follow_up, done_on=placement.start_date, outcome="still_employed", note="")
    follow_up.refresh_from_db()
    assert follow_up.done_on == placement.start_date


def test_after_ended_it_offers_the_end_form_dated_that_day(login, consultant, citizen, follow_up, placement):
    client = login(consultant)
    done_on = today() - timedelta(days=2)
    response = record(client, follow_up, done_on=str(done_on), outcome="ended", note="Stoppede i sidste uge")
    assert response.status_code == 302
    html = client.get(url(follow_up)).content.decode()
    assert f'action="/placements/{placement.pk}/end/"' in html
    values = form_values(html[html.index('id="end-placement"'):])
    assert values["end_date"] == str(done_on)
    assert values["citizen_status"] == "ready"
    # Sending the offered form ends the placement; the citizen is job-seeking again.
    response = client.post(f"/placements/{placement.pk}/end/", {**values, "end_reason": "resigned"})
    assert response.status_code == 302
    placement.refresh_from_db()
    citizen.refresh_from_db()
    assert (placement.end_date, citizen.status) == (done_on, Citizen.Status.READY)
    # Once ended, the offer is gone.
    assert 'id="end-placement"' not in client.get(url(follow_up)).content.decode()


def test_after_hours_changed_it_offers_the_edit_form(login, consultant, follow_up, placement):
    client = login(consultant)
    record(client, follow_up, outcome="hours_changed", note="Nu 8 timer")
    html = client.get(url(follow_up)).content.decode()
    assert f'href="/placements/{placement.pk}/edit/"' in html and "Ret ansættelsen" in html
    assert 'id="end-placement"' not in html


def test_it_gives_404_for_another_municipalitys_follow_up(login, outsider, follow_up):
    client = login(outsider)
    assert client.get(url(follow_up)).status_code == 404
    assert record(client, follow_up).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_it_gives_404_for_a_follow_up_of_another_placement(login, consultant, follow_up, fredericia, employer):
    from tests.factories import make_citizen

    other = make_placement(make_citizen(fredericia), employer)
    assert login(consultant).get(f"/placements/{other.pk}/follow-ups/{follow_up.pk}/").status_code == 404


@pytest.mark.parametrize("ids", [(1, 2**63), (2**63, 1), (99999999999999999999999, 1)])
def test_it_gives_404_for_ids_too_large(login, consultant, ids):
    assert login(consultant).get(f"/placements/{ids[0]}/follow-ups/{ids[1]}/").status_code == 404


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_other_roles(login, request, follow_up, user):
    client = login(request.getfixturevalue(user))
    assert client.get(url(follow_up)).status_code == 403
    assert record(client, follow_up).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_it_sends_anonymous_users_to_log_in(client, follow_up):
    response = client.get(url(follow_up))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_logs_the_page_view(login, consultant, citizen, follow_up):
    mark = log_mark()
    login(consultant).get(url(follow_up))
    row = rows_since(mark).get()
    assert (row.action, row.object_id, row.purpose) == (AccessLog.Action.VIEW, citizen.pk, "opfølgning")


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_placement_page_costs_the_same_with_one_or_many_follow_ups(login, consultant, citizen, employer, settings):
    settings.FOLLOW_UP_MONTHS = (1,)
    placement = services.placement_create(
        user=consultant, citizen=citizen, employer=employer, kind=Placement.Kind.INTERNSHIP,
        hours_per_week=Decimal("20"), start_date=today() - relativedelta(years=3),
    )
    assert FollowUp.objects.filter(placement=placement).count() == 1
    client = login(consultant)
    path = f"/placements/{placement.pk}/"
    client.get(path)  # warm up the session
    one = count_queries(client, path)
    settings.FOLLOW_UP_MONTHS = (1, 3, 6, 12, 18, 24)
    services.followups_schedule(placement=placement)
    for follow_up in FollowUp.objects.filter(placement=placement, months__in=[1, 3, 6]).select_related("placement__citizen"):
        services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="still_employed", note="ok")
    assert FollowUp.objects.filter(placement=placement).count() == 6
    assert count_queries(client, path) == one


def test_the_follow_up_page_costs_a_fixed_number_of_queries(login, consultant, follow_up):
    client = login(consultant)
    client.get(url(follow_up))  # warm up the session
    before = count_queries(client, url(follow_up))
    services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="ended", note="")
    assert count_queries(client, url(follow_up)) == before
