"""`manage.py generate_data --citizens N`: the database brought to N synthetic citizens, topped up
deterministically, and left as the app itself would leave it: valid, encrypted CPR numbers,
placements in their citizen's and employer's municipality and never overlapping, statuses that
follow the placements, follow-ups as the app plans them. SQLite by default; the COPY path runs
where the suite runs on PostgreSQL."""

import json
from datetime import date
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr

from accounts.models import Membership, Municipality, Role
from citizens.cpr import cpr_birth_date, cpr_decrypt, cpr_hash, cpr_normalize
from citizens.models import CaseNote, Citizen
from courses.models import Course, Enrolment
from employers.models import ContactPerson, Employer, Opening
from placements.models import FollowUp, Placement, follow_ups_planned
from placements.services import citizens_status_refresh
from progress.models import Target
from taskforce import synthetic
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def generate(citizens, municipality=None, seed=7):
    out = StringIO()
    call_command("generate_data", citizens=citizens, municipality=municipality, seed=seed, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_batches(monkeypatch):
    """Batches, employer windows, courses and caseloads small enough that 120 citizens cross
    each of their boundaries, so a top-up has to pick every one of them up again."""
    for name, value in {
        "FLUSH": 16, "BATCH": 32, "EMPLOYER_WINDOW": 3, "CITIZENS_PER_COURSE": 20,
        "CITIZENS_PER_CONSULTANT": 7, "MAX_CONSULTANTS_PER_MUNICIPALITY": 4, "ENROL_SHARE": 0.3,
    }.items():
        monkeypatch.setattr(synthetic, name, value)


def snapshot():
    """What the generated data says, in the order it was generated (ids only in it)."""
    return {
        "citizens": list(Citizen.objects.order_by("pk").values_list(
            "cpr_hash", "first_name", "last_name", "municipality__code", "status", "unemployed_since",
            "weekly_hours", "consultant__username", "last_contact_on",
        )),
        "employers": list(Employer.objects.order_by("pk").values_list(
            "municipality__code", "cvr", "name", "sector", "social_economic", "size",
        )),
        "placements": list(Placement.objects.order_by("pk").values_list(
            "citizen__cpr_hash", "employer__cvr", "kind", "hours_per_week", "start_date", "end_date",
            "in_target_group",
        )),
        "follow_ups": list(FollowUp.objects.order_by("pk").values_list(
            "placement__citizen__cpr_hash", "kind", "months", "due_on", "done_on", "outcome",
        )),
        "enrolments": list(
            Enrolment.objects.order_by("pk").values_list("citizen__cpr_hash", "course__title", "status")
        ),
        "notes": list(CaseNote.objects.order_by("pk").values_list("citizen__cpr_hash", "text", "created_at")),
    }


def wipe():
    for model in (FollowUp, Placement, Enrolment, Course, CaseNote, Citizen, Opening, ContactPerson, Employer, Target):
        model.objects.all().delete()
    get_user_model().objects.filter(username__startswith=synthetic.CONSULTANT_PREFIX).delete()


# --- N, and only what is missing ---------------------------------------------------------------


def test_it_brings_the_database_to_n_citizens_and_a_second_run_adds_nothing():
    output = generate(200)
    assert Citizen.objects.count() == 200
    assert "Added 200 citizens" in output
    assert Municipality.objects.count() == 98
    # In proportion: an employer per ten citizens of a municipality (rounded up in each),
    # a placement for about every second citizen.
    assert 20 <= Employer.objects.count() <= 200
    assert 60 <= Placement.objects.count() <= 140
    assert FollowUp.objects.exists() and CaseNote.objects.exists()

    counts = {model: model.objects.count() for model in (Employer, Placement, FollowUp, CaseNote, Course)}
    output = generate(200)
    assert "nothing added" in output
    assert Citizen.objects.count() == 200
    assert counts == {model: model.objects.count() for model in counts}


def test_it_tops_up_with_the_rest_and_counts_the_citizens_already_there(fredericia, consultant):
    for _ in range(3):
        make_citizen(fredericia, consultant=consultant)
    generate(20, municipality=607)
    assert Citizen.objects.filter(municipality=fredericia).count() == 20
    assert synthetic.generated_citizens().count() == 17
    generate(45, municipality=607)
    assert Citizen.objects.filter(municipality=fredericia).count() == 45
    generate(30, municipality=607)
    assert Citizen.objects.count() == 45


@pytest.mark.parametrize("municipality", [None, 607])
def test_a_top_up_gives_the_same_citizens_as_one_run(small_batches, municipality):
    generate(50, municipality=municipality)
    first_50 = snapshot()["citizens"]
    generate(120, municipality=municipality)
    topped_up = snapshot()
    wipe()
    generate(120, municipality=municipality)
    at_once = snapshot()
    assert len(at_once["citizens"]) == 120
    assert at_once["citizens"][:50] == first_50
    assert topped_up == at_once
    assert at_once["enrolments"] and at_once["placements"]


def test_another_seed_gives_other_citizens_with_other_numbers():
    generate(30, municipality=607, seed=1)
    one = set(Citizen.objects.values_list("first_name", "last_name", "unemployed_since"))
    wipe()
    generate(30, municipality=607, seed=2)
    assert one != set(Citizen.objects.values_list("first_name", "last_name", "unemployed_since"))


# --- As the app would leave it -----------------------------------------------------------------


@pytest.fixture
def generated(db):
    generate(200, seed=3)


def test_cpr_numbers_are_valid_encrypted_and_hashed_as_the_app_does(generated):
    today = timezone.localdate()
    hashes = set()
    for citizen in Citizen.objects.all():
        number = cpr_decrypt(citizen.cpr_encrypted)
        assert cpr_normalize(number) == number
        assert cpr_hash(number) == citizen.cpr_hash
        assert cpr_birth_date(number) == citizen.birth_date
        assert 18 <= relativedelta(today, citizen.birth_date).years <= 67
        # The last digit says the sex, and the first name follows it.
        names = synthetic.FEMALE_NAMES if int(number[-1]) % 2 == 0 else synthetic.MALE_NAMES
        assert citizen.first_name in names
        hashes.add(citizen.cpr_hash)
    assert len(hashes) == 200


def test_cpr_numbers_are_unique_for_millions_and_never_another_years():
    today = date(2026, 6, 1)
    ks = set(range(0, 5_000_000, 997)) | set(range(20_000))
    numbers = {synthetic.cpr_number(k, today) for k in ks}
    assert len(numbers) == len(ks)
    next_year = {synthetic.cpr_number(k, date(2027, 1, 1)) for k in range(20_000)}
    assert not numbers & next_year
    for number in list(numbers)[:2000]:
        assert cpr_normalize(number) == number


def test_it_refuses_more_citizens_than_the_numbers_hold(monkeypatch):
    monkeypatch.setattr(synthetic, "SERIALS_PER_YEAR", 0)
    with pytest.raises(CommandError, match="at most"):
        generate(10, municipality=607)


def test_employers_have_valid_cvr_numbers_unique_in_their_municipality(generated):
    for cvr, sector, social_economic in Employer.objects.values_list("cvr", "sector", "social_economic"):
        assert stdnum_cvr.is_valid(cvr)
        assert sector == "private" or not social_economic
    assert not Employer.objects.values("municipality", "cvr").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Employer.objects.filter(sector="private").count() > Employer.objects.filter(sector="public").count()


def test_placements_are_in_their_citizens_and_employers_municipality(generated):
    assert Placement.objects.exists()
    assert not Placement.objects.exclude(municipality=F("citizen__municipality")).exists()
    assert not Placement.objects.exclude(municipality=F("employer__municipality")).exists()


def test_no_citizen_holds_overlapping_placements_at_one_employer(generated):
    for placement in Placement.objects.all():
        assert not Placement.objects.overlapping(
            citizen=placement.citizen_id, employer=placement.employer_id, start_date=placement.start_date,
            end_date=placement.end_date, exclude_pk=placement.pk,
        ).exists()


def test_statuses_follow_the_placements(generated):
    today = timezone.localdate()
    running = set(Placement.objects.filter(Placement.running_q(today)).values_list("citizen_id", flat=True))
    placed = set(Citizen.objects.filter(status=Citizen.Status.PLACED).values_list("pk", flat=True))
    assert running and running == placed
    # The nightly job finds nothing to change.
    assert citizens_status_refresh() == 0
    assert not Citizen.objects.filter(status=Citizen.Status.ENDED, case_closed_on__isnull=True).exists()
    assert not Citizen.objects.exclude(status=Citizen.Status.ENDED).filter(case_closed_on__isnull=False).exists()


def test_placements_are_in_the_target_group_by_the_apps_rule(generated):
    placements = list(Placement.objects.select_related("citizen"))
    for placement in placements:
        assert placement.in_target_group == placement.citizen.is_in_target_group(placement.start_date)
    assert any(p.in_target_group for p in placements) and not all(p.in_target_group for p in placements)


def test_follow_ups_are_those_the_app_plans_and_past_ones_mostly_done(generated):
    today = timezone.localdate()
    for placement in Placement.objects.prefetch_related("follow_ups"):
        planned = follow_ups_planned(
            start_date=placement.start_date, kind=placement.kind, first_flexjob=placement.first_flexjob,
            permanent=placement.permanent, end_date=placement.end_date,
        )
        have = placement.follow_ups.all()
        assert {(f.kind, f.months, f.due_on) for f in have} == {(k.value, m, d) for k, m, d in planned}
        for follow_up in have:
            if follow_up.done_on:
                assert placement.start_date <= follow_up.done_on <= today
                assert follow_up.done_by_id
    past = FollowUp.objects.filter(due_on__lt=today)
    assert past.filter(done_on__isnull=False).count() > past.filter(done_on__isnull=True).count() > 0


def test_every_row_passes_the_models_own_validation(generated):
    for model in (Citizen, Employer, Opening, ContactPerson, Placement, FollowUp, Course, Enrolment, CaseNote):
        for obj in model.objects.all()[:40]:
            obj.full_clean(validate_unique=False, validate_constraints=True)


def test_courses_show_a_funnel_of_enrolled_completed_hired(generated):
    assert Course.objects.exists()
    for course in Course.objects.with_funnel():
        assert course.enrolled >= course.completed >= course.hired


# --- Municipalities, consultants, targets --------------------------------------------------------


def test_it_creates_a_missing_real_municipality_with_its_consultants_and_a_target():
    generate(40, municipality=751)
    aarhus = Municipality.objects.get(code=751)
    assert aarhus.name == "Aarhus"
    assert Municipality.objects.count() == 1
    assert Citizen.objects.filter(municipality=aarhus).count() == 40
    consultant = get_user_model().objects.get(username="gen-konsulent-751-1")
    assert not consultant.has_usable_password()
    assert Membership.objects.filter(user=consultant, municipality=aarhus, role=Role.CONSULTANT).exists()
    assert set(Citizen.objects.values_list("consultant", flat=True)) == {consultant.pk}
    target = Target.objects.get(municipality=aarhus)
    year = timezone.localdate().year
    assert (target.title, target.period_start) == (f"Nye fleksjob {year} (genererede data)", date(year, 1, 1))
    # A top-up moves the generated target with the flex jobs it adds.
    generate(400, municipality=751)
    flex_jobs = Placement.objects.filter(kind="flexjob", start_date__gt=timezone.localdate() - relativedelta(days=365))
    assert list(Target.objects.values_list("number", flat=True)) == [max(5, round(flex_jobs.count() * 1.2))]


def test_it_uses_a_municipality_already_there_and_keeps_its_target(fredericia):
    Target.objects.create(
        municipality=fredericia, title="Nye fleksjob", number=164,
        period_start=date(timezone.localdate().year, 1, 1), period_end=date(timezone.localdate().year, 12, 31),
    )
    generate(25, municipality=607)
    assert Municipality.objects.count() == 1
    assert Citizen.objects.filter(municipality=fredericia).count() == 25
    assert list(Target.objects.values_list("number", flat=True)) == [164]


def test_it_refuses_a_code_that_is_no_municipality():
    with pytest.raises(CommandError, match="Unknown municipality code 999"):
        generate(10, municipality=999)
    assert not Municipality.objects.exists()


def test_the_progress_command_runs_on_the_generated_data():
    generate(150, municipality=607)
    out = StringIO()
    call_command("progress", municipality=607, json=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["target"] == Target.objects.get(municipality__code=607).number
    assert figures["municipality"] == 607


def test_the_dashboard_s_kept_figures_agree_with_the_rules_on_the_generated_data():
    from progress import counting
    from progress.figures import kept_figures

    generate(300, municipality=607)
    target = Target.objects.get(municipality__code=607)
    as_of = timezone.localdate()
    periods = counting.periods(target, as_of)
    assert kept_figures(target, as_of) == (
        counting.progress_for(target, as_of), counting.monthly_counts(target, as_of, periods),
        counting.retention(target, as_of, periods), counting.by_industry(target, as_of),
    )
    assert kept_figures(target, as_of)[0].new_flex_jobs > 0


# --- PostgreSQL: COPY, and the database's own keys ----------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and the composite keys are PostgreSQL's"
)


@on_postgresql
def test_copy_rows_satisfy_the_composite_keys_and_the_exclusion_constraint():
    generate(300, seed=5)
    with connection.cursor() as cursor:
        # The foreign keys are checked at commit, which a test never reaches: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Citizen.objects.count() == 300
    assert not Placement.objects.exclude(municipality=F("citizen__municipality")).exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_threaded_copy_commits_its_batches(monkeypatch):
    monkeypatch.setattr(synthetic, "FLUSH", 50)
    monkeypatch.setattr(synthetic, "BATCH", 100)
    generate(250, municipality=607)
    assert Citizen.objects.count() == 250
    assert citizens_status_refresh() == 0
    generate(250, municipality=607)
    assert Citizen.objects.count() == 250


def test_it_says_why_when_the_database_refuses_a_row():
    """Generated citizens are counted by their consultant: one taken from them makes the next
    run draw its number again, which the database refuses as a second citizen with that CPR."""
    generate(5, municipality=607)
    Citizen.objects.filter(pk=Citizen.objects.order_by("-pk").first().pk).update(consultant=None)
    with pytest.raises(CommandError, match="refused a generated row .*(cpr_hash|citizen_cpr_unique_in_municipality)"):
        generate(6, municipality=607)
    assert Citizen.objects.count() == 5


def test_the_employers_placement_counts_are_counted_after_the_load():
    generate(200, municipality=607)
    counted = dict(Employer.objects.annotate(n=Count("placements")).values_list("pk", "n"))
    assert dict(Employer.objects.values_list("pk", "placement_count")) == counted
    assert sum(counted.values()) > 0
