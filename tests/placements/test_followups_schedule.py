"""Planning a placement's follow-ups: the regular ones after 1, 3, 6 and 12 months (a setting),
and for a flex job the law's deadlines (the 2½-year follow-up; for a first flex job on the
5-year grant the re-assessment before 4½ years); re-planned when the placement changes, gone
when it ends."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.utils import timezone

from notifications.models import Kind, Notification
from placements import services
from placements.models import FollowUp, Placement, follow_ups_planned
from tests.factories import make_citizen, make_employer, make_placement
from tests.html import form_values

REGULAR, LEGAL, REASSESSMENT = FollowUp.Kind.REGULAR, FollowUp.Kind.LEGAL_FOLLOW_UP, FollowUp.Kind.REASSESSMENT


def plan(placement):
    """{(kind, months): due_on} of the placement's follow-ups as stored."""
    return {(f.kind, f.months): f.due_on for f in FollowUp.objects.filter(placement=placement)}


def create(consultant, citizen, employer, **fields):
    defaults = {"kind": Placement.Kind.FLEXJOB, "hours_per_week": Decimal("6"), "start_date": date(2026, 2, 1)}
    defaults.update(fields)
    return services.placement_create(user=consultant, citizen=citizen, employer=employer, **defaults)


def test_it_plans_the_regular_follow_ups_and_the_legal_follow_up_of_a_flex_job(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2026, 2, 1))
    assert plan(placement) == {
        (REGULAR, 1): date(2026, 3, 1),
        (REGULAR, 3): date(2026, 5, 1),
        (REGULAR, 6): date(2026, 8, 1),
        (REGULAR, 12): date(2027, 2, 1),
        (LEGAL, 30): date(2028, 8, 1),
    }
    assert all(f.done_on is None and f.outcome == "" for f in FollowUp.objects.all())


def test_it_clamps_the_31st_of_january_plus_a_month_to_the_end_of_february(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2027, 1, 31))
    dates = plan(placement)
    assert dates[(REGULAR, 1)] == date(2027, 2, 28)
    assert dates[(REGULAR, 3)] == date(2027, 4, 30)
    assert dates[(LEGAL, 30)] == date(2029, 7, 31)


def test_it_plans_from_a_leap_day(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2028, 2, 29), first_flexjob=True, permanent=False)
    dates = plan(placement)
    assert dates[(REGULAR, 12)] == date(2029, 2, 28)
    assert dates[(LEGAL, 30)] == date(2030, 8, 29)
    assert dates[(REASSESSMENT, 54)] == date(2032, 8, 29)


def test_it_lands_on_a_leap_day_in_a_leap_year(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2027, 8, 31))
    assert plan(placement)[(REGULAR, 6)] == date(2028, 2, 29)


@pytest.mark.parametrize(
    "kind, first_flexjob, permanent, legal",
    [
        (Placement.Kind.FLEXJOB, True, False, {(LEGAL, 30): date(2028, 8, 1), (REASSESSMENT, 54): date(2030, 8, 1)}),
        (Placement.Kind.FLEXJOB, True, True, {(LEGAL, 30): date(2028, 8, 1)}),
        (Placement.Kind.FLEXJOB, False, False, {(LEGAL, 30): date(2028, 8, 1)}),
        (Placement.Kind.FLEXJOB, False, True, {(LEGAL, 30): date(2028, 8, 1)}),
        (Placement.Kind.INTERNSHIP, True, False, {}),
        (Placement.Kind.INTERNSHIP, False, True, {}),
        (Placement.Kind.ORDINARY_JOB, True, False, {}),
        (Placement.Kind.ORDINARY_JOB, False, True, {}),
    ],
)
def test_it_plans_the_legal_deadlines_for_each_kind_first_and_grant(
    consultant, citizen, employer, kind, first_flexjob, permanent, legal
):
    placement = create(
        consultant, citizen, employer, kind=kind, first_flexjob=first_flexjob, permanent=permanent,
        hours_per_week=Decimal("20"),
    )
    stored = plan(placement)
    assert {key: due for key, due in stored.items() if key[0] != REGULAR} == legal
    assert sorted(months for kind_, months in stored if kind_ == REGULAR) == [1, 3, 6, 12]


def test_it_takes_the_regular_months_from_the_setting(consultant, citizen, employer, settings):
    settings.FOLLOW_UP_MONTHS = (2, 9)
    placement = create(consultant, citizen, employer, kind=Placement.Kind.INTERNSHIP)
    assert plan(placement) == {(REGULAR, 2): date(2026, 4, 1), (REGULAR, 9): date(2026, 11, 1)}


def test_it_is_idempotent(consultant, citizen, employer):
    placement = create(consultant, citizen, employer)
    before = {f.pk: (f.kind, f.months, f.due_on) for f in FollowUp.objects.all()}
    assert services.followups_schedule(placement=placement) == 0
    assert {f.pk: (f.kind, f.months, f.due_on) for f in FollowUp.objects.all()} == before


def year_ago():
    """The first of the month a year ago: follow-ups of a placement started then can be recorded."""
    return (timezone.localdate() - relativedelta(years=1)).replace(day=1)


def test_it_re_plans_the_open_follow_ups_on_a_new_start_date_and_keeps_the_recorded(
    login, consultant, citizen, employer, placement_post
):
    start = year_ago()
    placement = create(consultant, citizen, employer, start_date=start)
    first = FollowUp.objects.get(placement=placement, months=1)
    done_on = start + relativedelta(months=1, days=1)
    services.followup_record(user=consultant, follow_up=first, done_on=done_on, outcome="still_employed", note="Godt i gang")
    moved = start + relativedelta(months=1)
    response = login(consultant).post(
        f"/placements/{placement.pk}/edit/", placement_post(employer=employer, start_date=str(moved), hours_per_week="6")
    )
    assert response.status_code == 302
    dates = plan(placement)
    assert dates[(REGULAR, 1)] == start + relativedelta(months=1)  # recorded: kept as it was
    assert dates[(REGULAR, 3)] == moved + relativedelta(months=3)
    assert dates[(LEGAL, 30)] == moved + relativedelta(months=30)
    first.refresh_from_db()
    assert (first.done_on, first.outcome, first.note) == (done_on, "still_employed", "Godt i gang")


def edit(client, placement, **changes):
    """The edit form as the browser sends it, with these changes (None unticks a box)."""
    data = form_values(client.get(f"/placements/{placement.pk}/edit/").content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    response = client.post(f"/placements/{placement.pk}/edit/", {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_it_re_plans_when_the_kind_or_grant_changes(login, consultant, citizen, employer):
    placement = create(consultant, citizen, employer, first_flexjob=True, permanent=True)
    assert (REASSESSMENT, 54) not in plan(placement)
    client = login(consultant)
    edit(client, placement, permanent=None)
    assert plan(placement)[(REASSESSMENT, 54)] == date(2030, 8, 1)
    edit(client, placement, first_flexjob=None)
    assert (REASSESSMENT, 54) not in plan(placement) and (LEGAL, 30) in plan(placement)
    edit(client, placement, kind="internship")
    assert {kind for kind, _ in plan(placement)} == {REGULAR}


def test_it_deletes_what_is_due_after_the_end_and_the_legal_deadlines_when_the_placement_ends(consultant, citizen, employer):
    start = year_ago()
    placement = create(consultant, citizen, employer, start_date=start, first_flexjob=True, permanent=False)
    first = FollowUp.objects.get(placement=placement, months=1)
    services.followup_record(
        user=consultant, follow_up=first, done_on=start + relativedelta(months=1), outcome="still_employed", note=""
    )
    services.placement_end(user=consultant, placement=placement, end_date=start + relativedelta(months=3), end_reason="health")
    # The recorded one stays, the open one due on the end date stays; the rest is gone.
    assert plan(placement) == {(REGULAR, 1): start + relativedelta(months=1), (REGULAR, 3): start + relativedelta(months=3)}


def test_it_keeps_a_recorded_legal_deadline_when_the_placement_ends(consultant, citizen, employer):
    start = year_ago() - relativedelta(years=3)
    placement = make_placement(citizen, employer, start_date=start)
    services.followups_schedule(placement=placement)
    legal = FollowUp.objects.get(placement=placement, kind=LEGAL)
    done_on = start + relativedelta(months=30)
    services.followup_record(user=consultant, follow_up=legal, done_on=done_on, outcome="still_employed", note="")
    services.placement_end(user=consultant, placement=placement, end_date=start + relativedelta(months=40), end_reason="other")
    assert FollowUp.objects.filter(placement=placement, kind=LEGAL).get().done_on == done_on


def test_a_flex_job_with_an_end_date_ahead_keeps_the_deadlines_that_fall_before_it(consultant, citizen, employer):
    """The law's deadlines go when the placement ends, not when an end date is set: a first
    flex job on the grant registered with the grant's end keeps both, and one ending in two
    years keeps the 2½-year follow-up due before that."""
    start = timezone.localdate() - relativedelta(years=2)
    grant = create(consultant, citizen, employer, start_date=start, first_flexjob=True, permanent=False,
                   end_date=start + relativedelta(years=5) - timedelta(days=1))
    assert plan(grant)[(LEGAL, 30)] == start + relativedelta(months=30)
    assert plan(grant)[(REASSESSMENT, 54)] == start + relativedelta(months=54)

    other = make_employer(grant.employer.municipality, name="Vaskeriet")
    shorter = create(consultant, citizen, other, start_date=start, first_flexjob=True, permanent=False,
                     end_date=start + relativedelta(years=4))
    assert (LEGAL, 30) in plan(shorter) and (REASSESSMENT, 54) not in plan(shorter)


def test_it_plans_no_legal_deadline_for_a_placement_registered_as_ended(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2026, 2, 1), end_date=date(2026, 4, 15))
    assert plan(placement) == {(REGULAR, 1): date(2026, 3, 1)}


def test_it_resolves_the_reminders_of_the_follow_ups_it_deletes_or_moves(consultant, citizen, employer):
    placement = create(consultant, citizen, employer, start_date=date(2026, 2, 1))
    legal = FollowUp.objects.get(placement=placement, kind=LEGAL)
    twelve = FollowUp.objects.get(placement=placement, months=12)
    one = FollowUp.objects.get(placement=placement, months=1)
    for follow_up in (legal, twelve, one):
        Notification.objects.create(
            user=consultant, kind=follow_up.reminder_kind, object_id=follow_up.pk, due_on=follow_up.due_on,
            title="Opfølgning", url=f"/placements/{placement.pk}/",
        )
    services.placement_end(user=consultant, placement=placement, end_date=date(2026, 6, 30), end_reason="health")
    resolved = set(Notification.objects.filter(resolved_at__isnull=False).values_list("kind", "object_id"))
    assert resolved == {(Kind.DEADLINE, legal.pk), (Kind.FOLLOW_UP, twelve.pk)}


def test_it_plans_no_regular_follow_up_due_before_not_before(citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    services.followups_schedule(placement=placement, not_before=date(2026, 7, 1))
    assert plan(placement) == {(REGULAR, 6): date(2026, 8, 1), (REGULAR, 12): date(2027, 2, 1), (LEGAL, 30): date(2028, 8, 1)}


def test_the_pure_plan_says_the_same(settings):
    settings.FOLLOW_UP_MONTHS = (1, 3, 6, 12)
    assert follow_ups_planned(
        start_date=date(2026, 1, 31), kind=Placement.Kind.FLEXJOB, first_flexjob=True, permanent=False
    ) == [
        (REGULAR, 1, date(2026, 2, 28)),
        (REGULAR, 3, date(2026, 4, 30)),
        (REGULAR, 6, date(2026, 7, 31)),
        (REGULAR, 12, date(2027, 1, 31)),
        (LEGAL, 30, date(2028, 7, 31)),
        (REASSESSMENT, 54, date(2030, 7, 31)),
    ]


# --- The upgrade ---------------------------------------------------------------------------

def _migration():
    return importlib.import_module("placements.migrations.0006_plan_follow_ups_and_statuses")


def test_the_upgrade_plans_only_what_is_not_yet_due_and_the_legal_deadlines(citizen, fredericia, employer):
    today = timezone.localdate()
    old = make_placement(citizen, employer, start_date=today - timedelta(days=400))
    ended = make_placement(make_citizen(fredericia), employer, start_date=today - timedelta(days=400),
                           end_date=today - timedelta(days=1))
    ending_later = make_placement(make_citizen(fredericia), make_employer(fredericia, name="Anden ApS"),
                                  kind=Placement.Kind.INTERNSHIP, start_date=today - timedelta(days=20),
                                  end_date=today + timedelta(days=100))
    _migration().plan_follow_ups(apps, None)
    assert set(plan(old)) == {(LEGAL, 30)}  # every regular one was due already
    assert plan(ended) == {}
    assert all(due >= today and due <= ending_later.end_date for due in plan(ending_later).values())
    assert (REGULAR, 3) in plan(ending_later)
    _migration().plan_follow_ups(apps, None)  # run again: nothing more
    assert FollowUp.objects.count() == 1 + len(plan(ending_later))


def test_the_upgrade_sets_the_statuses_from_the_placements(citizen, fredericia, employer):
    from citizens.models import Citizen

    today = timezone.localdate()
    make_placement(citizen, employer, start_date=today - timedelta(days=30))
    idle = make_citizen(fredericia, status=Citizen.Status.PLACED)
    _migration().refresh_statuses(apps, None)
    citizen.refresh_from_db()
    idle.refresh_from_db()
    assert (citizen.status, idle.status) == (Citizen.Status.PLACED, Citizen.Status.READY)
