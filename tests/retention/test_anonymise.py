"""Anonymising: what goes, what stays, the log, the dry run, the batches, the command and the
nightly task."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

import retention.services
from audit.models import AccessLog
from citizens.models import CaseNote, Citizen
from placements.models import FollowUp, Placement
from retention.services import (
    ANONYMOUS_FIRST_NAME,
    ANONYMOUS_LAST_NAME,
    citizens_anonymise_expired,
    retention_system_user,
)
from retention.tasks import anonymise_expired
from tests.factories import make_citizen, make_placement
from worklist.models import Kind, Mark
from workspace.models import MeetingRequest

from .conftest import AS_OF, DAY_BEFORE_CUTOFF

PERSONAL = dict(
    first_name="Birthe",
    last_name="Hemmeligsen",
    phone="12345678",
    email="birthe@example.dk",
    address="Vestergade 1, 7000 Fredericia",
    competences="Køkken og rengøring",
    wishes="Vil gerne arbejde om morgenen",
    travel_distance="5-15",
    consent_to_share_profile=True,
    unemployed_since=date(2015, 3, 1),
    flexjob_approved_on=date(2016, 1, 1),
    weekly_hours=Decimal("6"),
    status="ended",
)


@pytest.fixture
def gone(fredericia, employer, consultant, leader_member):
    """A citizen whose case closed and flex job ended long ago, with everything a case holds."""
    citizen = make_citizen(fredericia, consultant=consultant, case_closed_on=DAY_BEFORE_CUTOFF, **PERSONAL)
    placement = make_placement(
        citizen, employer, start_date=date(2020, 1, 1), end_date=date(2025, 12, 31),
        accommodations="Skal kunne sidde ned; ryglidelse", end_reason="health",
    )
    follow_up = FollowUp.objects.create(placement=placement, months=1, due_on=date(2020, 2, 1),
                                        done_on=date(2020, 2, 3), outcome="still_employed",
                                        note="Birthe trives, men har ondt i ryggen")
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Samtale om helbred")
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Ny aftale")
    request = MeetingRequest.objects.create(citizen=citizen, member=leader_member, message="Vi kender Birthe fra før")
    # The reasons given on the worklist, for each kind of item about her.
    for kind, object_id, reason in (
        (Kind.NO_CONTACT, citizen.pk, "Birthe er indlagt"),
        (Kind.ENDING_SOON, placement.pk, "Birthe flytter"),
        (Kind.FOLLOW_UP, follow_up.pk, "Birthe på ferie"),
        (Kind.MEETING_REQUEST, request.pk, "Birthe vil ikke"),
    ):
        Mark.objects.create(kind=kind, object_id=object_id, due_on=date(2020, 2, 1), reason=reason, user=consultant)
    LogEntry.objects.log_actions(
        user_id=consultant.pk, queryset=[citizen], action_flag=CHANGE, change_message="[]", single_object=True
    )
    return citizen


@pytest.fixture
def kept(fredericia, employer, consultant):
    """A citizen still in a flex job, with a note and accommodations."""
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Karl", phone="87654321")
    make_placement(citizen, employer, start_date=date(2024, 1, 1), accommodations="Korte dage")
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Går godt")
    return citizen


def row(citizen):
    return Citizen.objects.filter(pk=citizen.pk).values().get()


def test_it_removes_what_identifies_the_citizen(gone):
    assert citizens_anonymise_expired(as_of=AS_OF) == 1
    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name) == (ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME)
    assert gone.full_name == "Anonymiseret borger"
    assert (gone.phone, gone.email, gone.address, gone.competences, gone.wishes, gone.travel_distance) == ("",) * 6
    assert gone.consent_to_share_profile is False
    assert (gone.cpr_encrypted, gone.cpr_hash, gone.birth_date) == ("", f"anonymised-{gone.pk}", None)
    assert gone.cpr_masked == ""
    assert gone.anonymised_at is not None


def test_it_keeps_what_the_figures_are_counted_from(gone, fredericia, consultant, employer):
    placements = list(Placement.objects.filter(citizen=gone).values(
        "pk", "employer", "kind", "hours_per_week", "start_date", "end_date", "in_target_group",
        "first_flexjob", "retention_flexjob", "end_reason", "permanent",
    ))
    citizens_anonymise_expired(as_of=AS_OF)
    gone.refresh_from_db()
    assert (gone.municipality, gone.consultant, gone.status, gone.case_closed_on) == (
        fredericia, consultant, "ended", DAY_BEFORE_CUTOFF
    )
    assert (gone.unemployed_since, gone.flexjob_approved_on, gone.weekly_hours) == (
        date(2015, 3, 1), date(2016, 1, 1), Decimal("6")
    )
    assert list(Placement.objects.filter(citizen=gone).values(*placements[0])) == placements
    follow_up = FollowUp.objects.get(placement__citizen=gone)
    assert (follow_up.done_on, follow_up.outcome) == (date(2020, 2, 3), "still_employed")


def test_it_deletes_the_notes_and_blanks_the_free_text(gone, kept):
    citizens_anonymise_expired(as_of=AS_OF)
    assert not CaseNote.objects.filter(citizen=gone).exists()
    assert Placement.objects.get(citizen=gone).accommodations == ""
    assert FollowUp.objects.get(placement__citizen=gone).note == ""
    assert MeetingRequest.objects.get(citizen=gone).message == ""
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Citizen), object_id=str(gone.pk))
    assert entry.object_repr == "Anonymiseret borger"
    # Another citizen's are not touched.
    assert CaseNote.objects.filter(citizen=kept).count() == 1
    assert Placement.objects.get(citizen=kept).accommodations == "Korte dage"


def test_nothing_of_the_citizen_is_left_in_the_database(gone):
    citizens_anonymise_expired(as_of=AS_OF)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f'SELECT * FROM "{table}"')
            for values in cursor.fetchall():
                text = " ".join(str(v) for v in values)
                for secret in ("Hemmeligsen", "Birthe", "12345678", "Vestergade", "ryglidelse", "ryggen", "helbred"):
                    if secret in text:
                        found.append((table, secret, columns))
    assert found == []


def test_it_leaves_the_others_alone(gone, kept):
    before = row(kept)
    citizens_anonymise_expired(as_of=AS_OF)
    assert row(kept) == before


def test_it_writes_one_log_row_per_citizen_as_the_retention_user(gone, former):
    second = former(ended_on=date(2019, 1, 1))
    assert citizens_anonymise_expired(as_of=AS_OF) == 2
    rows = AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).order_by("citizen_id")
    assert [(r.citizen_id, r.object_id, r.model, r.municipality_id) for r in rows] == [
        (gone.pk, gone.pk, "citizens.Citizen", gone.municipality_id),
        (second.pk, second.pk, "citizens.Citizen", second.municipality_id),
    ]
    user = retention_system_user()
    assert {r.user for r in rows} == {user}
    assert (user.username, user.is_active, user.has_usable_password()) == ("retention", False, False)
    assert rows[0].purpose == "opbevaringsperiode udløbet"
    assert rows[0].get_action_display() == "Anonymisering"


def test_it_does_not_act_as_a_person_called_retention(db, django_user_model):
    person = django_user_model.objects.create_user(username="retention", password="hemmelig-kode-123")
    user = retention_system_user()
    assert user != person and user.username == "retention-system"
    assert retention_system_user() == user


def test_a_second_run_anonymises_none(gone):
    citizens_anonymise_expired(as_of=AS_OF)
    first = row(gone)
    assert citizens_anonymise_expired(as_of=AS_OF) == 0
    assert row(gone) == first
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).count() == 1


def test_a_dry_run_counts_and_changes_nothing(gone, kept):
    def state():
        return (row(gone), row(kept), CaseNote.objects.count(), AccessLog.objects.count(),
                Placement.objects.get(citizen=gone).accommodations, FollowUp.objects.get().note)

    before = state()
    assert citizens_anonymise_expired(as_of=AS_OF, dry_run=True) == 1
    assert state() == before


def test_two_anonymised_citizens_of_a_municipality_keep_unique_keys(former):
    citizens = [former(ended_on=date(2019, 1, 1)) for _ in range(3)]
    assert citizens_anonymise_expired(as_of=AS_OF) == 3
    assert len({c.cpr_hash for c in Citizen.objects.filter(pk__in=[c.pk for c in citizens])}) == 3


def test_it_works_in_batches(monkeypatch, former):
    monkeypatch.setattr(retention.services, "BATCH_SIZE", 2)
    for _ in range(5):
        former(ended_on=date(2019, 1, 1))
    assert citizens_anonymise_expired(as_of=AS_OF) == 5
    assert not Citizen.objects.filter(anonymised_at__isnull=True).exists()


def test_a_batch_that_fails_is_undone_whole(monkeypatch, former):
    monkeypatch.setattr(retention.services, "BATCH_SIZE", 2)
    citizens = [former(ended_on=date(2019, 1, 1), first_name=f"Navn{i}") for i in range(4)]
    real = retention.services.access_log_record
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["object_id"])
        if len(calls) == 3:
            raise RuntimeError("the log is down")
        return real(**kwargs)

    monkeypatch.setattr(retention.services, "access_log_record", failing_on_the_third)
    with pytest.raises(RuntimeError):
        citizens_anonymise_expired(as_of=AS_OF)
    anonymised = set(Citizen.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert anonymised == {citizens[0].pk, citizens[1].pk}
    untouched = Citizen.objects.filter(pk__in=[citizens[2].pk, citizens[3].pk])
    assert set(untouched.values_list("first_name", flat=True)) == {"Navn2", "Navn3"}
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).count() == 2


# --- The command and the task -----------------------------------------------------------------------

def run(*args, **kwargs):
    out = StringIO()
    call_command("anonymise_expired", *args, stdout=out, **kwargs)
    return out.getvalue().strip()


def test_the_command_says_how_many_it_would_and_did(former):
    for _ in range(3):
        former(ended_on=date(2019, 1, 1))
    assert run("--as-of", "2031-06-01", "--dry-run") == "Ville anonymisere 3 borgere."
    assert Citizen.objects.filter(anonymised_at__isnull=True).count() == 3
    assert run("--as-of", "2031-06-01", "--dry-run") == "Ville anonymisere 3 borgere."
    # A day ahead is for the dry run only; today is the latest a real run may use.
    with pytest.raises(CommandError, match="after today"):
        run("--as-of", "2031-06-01")
    assert run() == "Anonymiserede 3 borgere."
    assert run() == "Anonymiserede 0 borgere."


def test_the_command_says_one_in_the_singular(former):
    former(ended_on=date(2019, 1, 1))
    assert run("--dry-run") == "Ville anonymisere 1 borger."
    assert run() == "Anonymiserede 1 borger."


@pytest.mark.parametrize("bad", ["2031-02-30", "snart", ""])
def test_the_command_refuses_a_bad_date(former, bad):
    former(ended_on=date(2019, 1, 1))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--as-of", bad)
    assert not Citizen.objects.filter(anonymised_at__isnull=False).exists()


def test_the_nightly_task_runs_as_of_today(former):
    citizen = former(ended_on=date(2019, 1, 1))
    assert anonymise_expired() == 1
    citizen.refresh_from_db()
    assert citizen.anonymised_at is not None
    assert anonymise_expired("2031-06-01") == 0
