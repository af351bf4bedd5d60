"""What each section of "Mine opgaver" holds: the consultant's own open items, overdue and
coming within the window, and not those of another consultant or municipality, nor those
snoozed (until the day) or marked done (until the due date moves)."""

from datetime import date, datetime, time, timedelta

from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from citizens.models import Citizen
from notifications.models import Kind
from placements.models import FollowUp
from tests.factories import make_citizen, make_placement, make_user
from tests.worklist.conftest import days, make_follow_up, make_meeting_request, make_quiet_citizen
from worklist import selectors
from worklist.models import Mark


def keys(user, name, today=None):
    today = today or timezone.localdate()
    section = selectors.section_for(selectors.SOURCE_NAMED[name], user, today)
    return [(item.kind, item.object_id, item.due_on) for item in section.items]


def mark(item_kind, obj, due_on, user, until=None):
    return Mark.objects.create(kind=item_kind, object_id=obj.pk, due_on=due_on, until=until, reason="Test", user=user)


# --- Follow-ups and deadlines --------------------------------------------------------------

@override_settings(WORKLIST_COMING_DAYS=14)
def test_it_shows_overdue_and_coming_follow_ups_but_not_those_further_ahead(consultant, placement):
    overdue = make_follow_up(placement, days(-3))
    coming = make_follow_up(placement, days(14))
    make_follow_up(placement, days(15))  # not yet
    assert keys(consultant, "followups") == [
        (Kind.FOLLOW_UP, overdue.pk, days(-3)), (Kind.FOLLOW_UP, coming.pk, days(14)),
    ]


def test_it_shows_the_legal_deadlines_as_deadlines(consultant, placement):
    legal = make_follow_up(placement, days(2), kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    status = make_follow_up(placement, days(3), kind=FollowUp.Kind.REASSESSMENT)
    assert keys(consultant, "followups") == [
        (Kind.DEADLINE, legal.pk, days(2)), (Kind.DEADLINE, status.pk, days(3)),
    ]


def test_it_leaves_out_a_recorded_follow_up(consultant, placement):
    follow_up = make_follow_up(placement, days(-3))
    FollowUp.objects.filter(pk=follow_up.pk).update(done_on=days(-1), outcome=FollowUp.Outcome.STILL_EMPLOYED)
    assert keys(consultant, "followups") == []


def test_it_shows_another_consultants_follow_ups_only_to_them(consultant, fredericia, employer):
    colleague = make_user("kollega", fredericia, Role.CONSULTANT)
    theirs = make_placement(make_citizen(fredericia, consultant=colleague), employer)
    follow_up = make_follow_up(theirs, days(-1))
    assert keys(consultant, "followups") == []
    assert keys(colleague, "followups") == [(Kind.FOLLOW_UP, follow_up.pk, days(-1))]


def test_it_shows_no_follow_up_of_a_citizen_in_a_municipality_the_consultant_left(consultant, odense, other_employer):
    # The consultant is still named on a citizen of Odense, but works in Fredericia only.
    stranger = make_citizen(odense, consultant=consultant)
    make_follow_up(make_placement(stranger, other_employer), days(-1))
    assert keys(consultant, "followups") == []


def test_it_shows_no_follow_up_of_another_municipality(consultant, outsider, other_placement):
    make_follow_up(other_placement, days(-1))
    assert keys(consultant, "followups") == []
    assert len(keys(outsider, "followups")) == 1


def test_it_hides_a_snoozed_follow_up_until_the_day(consultant, placement, today):
    follow_up = make_follow_up(placement, days(-2))
    mark(Kind.FOLLOW_UP, follow_up, days(-2), consultant, until=days(3))
    assert keys(consultant, "followups") == []
    assert keys(consultant, "followups", today=days(2)) == []
    # On the day the snooze ends the item is back (and overdue).
    assert keys(consultant, "followups", today=days(3)) == [(Kind.FOLLOW_UP, follow_up.pk, days(-2))]


def test_it_shows_a_snoozed_follow_up_again_when_its_due_date_moves(consultant, placement):
    follow_up = make_follow_up(placement, days(-2))
    mark(Kind.FOLLOW_UP, follow_up, days(-2), consultant, until=days(30))
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=days(-1))
    assert keys(consultant, "followups") == [(Kind.FOLLOW_UP, follow_up.pk, days(-1))]


def test_it_leaves_out_the_follow_ups_of_a_placement_that_has_ended(consultant, citizen, employer, today):
    ended = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=days(-1))
    make_follow_up(ended, days(-30))  # due before the end, never recorded
    make_follow_up(ended, days(-2), kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    assert keys(consultant, "followups") == []
    # The team's counts leave them out too.
    assert selectors.team_counts(ended.citizen.municipality, today) == {}


def test_it_shows_the_follow_ups_of_a_placement_ending_today_or_later(consultant, citizen, employer, today):
    ending_today = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=today)
    today_follow_up = make_follow_up(ending_today, days(-30))
    running = make_placement(
        make_citizen(citizen.municipality, consultant=consultant), employer, start_date=date(2025, 1, 1), end_date=days(60)
    )
    running_follow_up = make_follow_up(running, days(-3))
    assert keys(consultant, "followups") == [
        (Kind.FOLLOW_UP, today_follow_up.pk, days(-30)), (Kind.FOLLOW_UP, running_follow_up.pk, days(-3)),
    ]
    # The day after the end, the ended one's follow-up is gone.
    assert keys(consultant, "followups", today=days(1)) == [(Kind.FOLLOW_UP, running_follow_up.pk, days(-3))]


# --- Meeting requests ----------------------------------------------------------------------

def test_it_shows_open_meeting_requests_for_the_consultants_citizens(consultant, citizen, leader_member):
    request = make_meeting_request(citizen, leader_member)
    assert keys(consultant, "requests") == [(Kind.MEETING_REQUEST, request.pk, timezone.localdate())]


def test_it_dates_a_meeting_request_by_the_local_day_it_arrived(consultant, citizen, leader_member):
    # Just after midnight in Copenhagen is still the evening before in UTC.
    arrived = datetime.combine(days(-1), time(0, 30), tzinfo=timezone.get_current_timezone())
    request = make_meeting_request(citizen, leader_member, created_at=arrived)
    assert keys(consultant, "requests") == [(Kind.MEETING_REQUEST, request.pk, days(-1))]


def test_it_leaves_out_a_handled_meeting_request(consultant, citizen, leader_member):
    request = make_meeting_request(citizen, leader_member)
    request.handled_at = timezone.now()
    request.save(update_fields=["handled_at"])
    assert keys(consultant, "requests") == []


def test_it_shows_a_meeting_request_only_to_the_citizens_consultant(consultant, fredericia, leader_member):
    colleague = make_user("kollega", fredericia, Role.CONSULTANT)
    make_meeting_request(make_citizen(fredericia, consultant=colleague), leader_member)
    assert keys(consultant, "requests") == []
    assert len(keys(colleague, "requests")) == 1


# --- Placements ending soon ----------------------------------------------------------------

@override_settings(WORKLIST_ENDING_SOON_DAYS=30)
def test_it_shows_placements_ending_from_today_to_the_window(consultant, citizen, employer):
    today = timezone.localdate()
    ends_today = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=today)
    ends_in_30 = make_placement(citizen, employer, start_date=today + timedelta(days=1), end_date=days(30))
    make_placement(citizen, employer, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))  # ended
    make_placement(citizen, employer, start_date=days(40), end_date=days(60))  # later
    make_placement(citizen, employer, start_date=days(100))  # running, no end
    assert keys(consultant, "ending") == [
        (Kind.ENDING_SOON, ends_today.pk, today), (Kind.ENDING_SOON, ends_in_30.pk, days(30)),
    ]


def test_it_hides_an_ending_marked_done_and_shows_it_again_when_the_end_moves(consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=days(10))
    mark(Kind.ENDING_SOON, placement, days(10), consultant)
    assert keys(consultant, "ending") == []
    placement.end_date = days(12)
    placement.save(update_fields=["end_date"])
    assert keys(consultant, "ending") == [(Kind.ENDING_SOON, placement.pk, days(12))]


def test_it_shows_no_ending_of_another_municipality(consultant, other_citizen, other_employer):
    make_placement(other_citizen, other_employer, start_date=date(2025, 1, 1), end_date=days(10))
    assert keys(consultant, "ending") == []


# --- Citizens without contact --------------------------------------------------------------

@override_settings(WORKLIST_NO_CONTACT_DAYS=90)
def test_it_shows_citizens_in_the_target_group_without_contact_for_the_set_days(consultant, fredericia):
    due_today = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-90))
    long_ago = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-200))
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-89))  # spoken to lately
    assert keys(consultant, "no_contact") == [
        (Kind.NO_CONTACT, long_ago.pk, days(-110)), (Kind.NO_CONTACT, due_today.pk, timezone.localdate()),
    ]


def test_it_asks_about_job_seekers_in_the_target_group_only(consultant, fredericia):
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-200), status="placed")
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-200), status="ended")
    # Unemployed for less than a year: not in the target group.
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-200), unemployed_since=days(-300))
    in_course = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-200), status="in_course")
    assert [key[1] for key in keys(consultant, "no_contact")] == [in_course.pk]


def test_it_shows_a_citizen_again_when_a_new_contact_runs_out_after_a_mark(consultant, fredericia):
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))
    mark(Kind.NO_CONTACT, quiet, days(-10), consultant)
    assert keys(consultant, "no_contact") == []
    quiet.last_contact_on = days(-95)  # a later contact, itself long ago again
    quiet.save(update_fields=["last_contact_on"])
    assert keys(consultant, "no_contact") == [(Kind.NO_CONTACT, quiet.pk, days(-5))]


def test_it_leaves_out_an_anonymised_citizen(consultant, fredericia):
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))
    quiet.anonymised_at = timezone.now()
    quiet.save(update_fields=["anonymised_at"])
    assert keys(consultant, "no_contact") == []


def test_it_shows_no_quiet_citizen_of_another_consultant_or_municipality(consultant, outsider, fredericia, odense):
    make_quiet_citizen(odense, outsider, last_contact_on=days(-100))
    make_quiet_citizen(fredericia, None, last_contact_on=days(-100))
    assert keys(consultant, "no_contact") == []


@override_settings(WORKLIST_NO_CONTACT_DAYS=90)
def test_it_counts_a_citizen_without_a_recorded_contact_from_the_day_of_registration(consultant, fredericia):
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=None)
    # Registered at noon, local time, 95 days ago (late in the evening, "now - 95 days" can be
    # the next local day across a change of summer time).
    registered = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=95), time(12)))
    Citizen.objects.filter(pk=quiet.pk).update(created_at=registered)
    make_quiet_citizen(fredericia, consultant, last_contact_on=None)  # registered today
    assert keys(consultant, "no_contact") == [(Kind.NO_CONTACT, quiet.pk, days(-5))]
