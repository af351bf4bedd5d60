"""Enrolling citizens by CPR number, recording how they finished, and the funnel
enrolled → completed → hired (Odense: 25 → 23 → 23)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AccessLog
from courses.models import Course, Enrolment
from placements.models import Placement
from progress.dashboard import build_dashboard
from tests.factories import make_citizen, make_employer, make_placement

from .conftest import COURSE_START


def enrol_url(course):
    return reverse("courses:enrol", args=[course.pk])


def status_url(enrolment):
    return reverse("courses:enrolment_status", args=[enrolment.course_id, enrolment.pk])


def messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response):
    return [str(e) for errors in response.context["enrol_form"].errors.values() for e in errors]


def funnel(course):
    c = Course.objects.with_funnel().get(pk=course.pk)
    return c.enrolled, c.completed, c.hired


def test_it_enrols_a_citizen_by_cpr_number(login, consultant, course, fredericia):
    citizen = make_citizen(fredericia, cpr="0101901234")
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert response.status_code == 302
    assert messages(response) == ["Borgeren er tilmeldt forløbet."]
    enrolment = Enrolment.objects.get()
    assert (enrolment.course, enrolment.citizen, enrolment.status) == (course, citizen, "enrolled")
    log = AccessLog.objects.get(purpose="tilmelding til forløb")
    assert (log.user, log.object_id, log.municipality) == (consultant, citizen.pk, fredericia)


def test_it_enrols_by_cpr_number_without_the_dash(login, consultant, course, fredericia):
    make_citizen(fredericia, cpr="0101901234")
    assert login(consultant).post(enrol_url(course), {"cpr": "0101901234"}).status_code == 302
    assert Enrolment.objects.count() == 1


def test_it_says_so_in_danish_when_no_citizen_has_the_cpr_number(login, consultant, course):
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert response.status_code == 400
    assert form_errors(response) == ["Der er ingen borger med dette CPR-nummer i kommunen."]
    assert not Enrolment.objects.exists()


def test_it_does_not_find_a_citizen_of_another_municipality(login, consultant, course, odense):
    make_citizen(odense, cpr="0101901234")
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert form_errors(response) == ["Der er ingen borger med dette CPR-nummer i kommunen."]
    assert not Enrolment.objects.exists()


def test_it_says_so_in_danish_when_the_citizen_is_already_enrolled(login, consultant, course, fredericia, enrol):
    enrol(course, citizen=make_citizen(fredericia, cpr="0101901234"))
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert form_errors(response) == ["Borgeren er allerede tilmeldt forløbet."]
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("cpr", ["", "12345", "320190-1234"])
def test_it_rejects_a_cpr_number_that_is_not_one_in_danish(login, consultant, course, cpr):
    response = login(consultant).post(enrol_url(course), {"cpr": cpr})
    assert response.status_code == 400
    assert form_errors(response)
    assert not Enrolment.objects.exists()


def test_it_enrols_the_same_citizen_in_two_courses(login, consultant, course, fredericia, enrol):
    citizen = make_citizen(fredericia, cpr="0101901234")
    second = Course.objects.create(municipality=fredericia, title="Andet forløb", start_date=date(2026, 6, 1))
    enrol(second, citizen=citizen)
    assert login(consultant).post(enrol_url(course), {"cpr": "010190-1234"}).status_code == 302
    assert citizen.enrolments.count() == 2


def test_it_changes_the_status_of_an_enrolment(login, consultant, course, enrol):
    enrolment = enrol(course)
    response = login(consultant).post(status_url(enrolment), {"status": "completed", "expected_status": "enrolled"})
    assert response.status_code == 302
    assert messages(response) == ["Status er gemt."]
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert AccessLog.objects.filter(purpose="status i forløb", object_id=enrolment.citizen_id).count() == 1


def test_it_refuses_a_status_change_when_someone_else_changed_it_first(login, consultant, course, enrol):
    enrolment = enrol(course, status="dropped")
    response = login(consultant).post(status_url(enrolment), {"status": "completed", "expected_status": "enrolled"})
    assert response.status_code == 302
    assert messages(response) == ["Tilmeldingen er ændret af en anden. Genindlæs siden og prøv igen."]
    enrolment.refresh_from_db()
    assert enrolment.status == "dropped"
    assert not AccessLog.objects.filter(purpose="status i forløb").exists()


def test_it_refuses_a_status_that_does_not_exist(login, consultant, course, enrol):
    enrolment = enrol(course)
    response = login(consultant).post(status_url(enrolment), {"status": "hired", "expected_status": "enrolled"})
    assert messages(response) == ["Vælg en gyldig status."]
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_it_gives_404_for_an_enrolment_of_another_course(login, consultant, course, fredericia, enrol):
    other = Course.objects.create(municipality=fredericia, title="Andet", start_date=date(2026, 6, 1))
    enrolment = enrol(other)
    url = reverse("courses:enrolment_status", args=[course.pk, enrolment.pk])
    assert login(consultant).post(url, {"status": "completed"}).status_code == 404


def test_it_gives_an_outsider_404_on_the_status_change(login, outsider, course, enrol):
    enrolment = enrol(course)
    assert login(outsider).post(status_url(enrolment), {"status": "completed"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_leaders_and_managers_the_status_change(request, login, course, enrol, user):
    enrolment = enrol(course)
    client = login(request.getfixturevalue(user))
    assert client.post(status_url(enrolment), {"status": "completed"}).status_code == 403


def test_it_counts_as_hired_those_with_a_job_starting_on_or_after_the_course_start(course, enrol, care_home):
    on_the_day = enrol(course, status="completed")
    later = enrol(course, status="completed")
    before = enrol(course, status="completed")
    enrol(course, status="dropped")
    make_placement(on_the_day.citizen, care_home, start_date=COURSE_START)
    make_placement(later.citizen, care_home, start_date=date(2026, 4, 1), kind=Placement.Kind.ORDINARY_JOB)
    make_placement(before.citizen, care_home, start_date=COURSE_START - timedelta(days=1))
    assert funnel(course) == (4, 3, 2)


def test_it_does_not_count_an_internship_as_hired(course, enrol, care_home):
    enrolment = enrol(course, status="completed")
    make_placement(enrolment.citizen, care_home, start_date=date(2026, 4, 1), kind=Placement.Kind.INTERNSHIP)
    assert funnel(course) == (1, 1, 0)


def test_it_counts_a_citizen_with_two_jobs_once(course, enrol, care_home, fredericia):
    enrolment = enrol(course, status="completed")
    make_placement(enrolment.citizen, care_home, start_date=date(2026, 4, 1))
    make_placement(enrolment.citizen, make_employer(fredericia, name="Anden"), start_date=date(2026, 5, 1))
    assert funnel(course) == (1, 1, 1)


def test_it_counts_each_course_on_its_own(course, enrol, care_home, fredericia):
    later_course = Course.objects.create(municipality=fredericia, title="Senere", start_date=date(2026, 5, 1))
    citizen = enrol(course, status="completed").citizen
    enrol(later_course, citizen=citizen)
    make_placement(citizen, care_home, start_date=date(2026, 4, 1))  # after the first, before the second
    assert (funnel(course), funnel(later_course)) == ((1, 1, 1), (1, 0, 0))


def test_it_shows_zero_for_a_course_without_enrolments(course):
    assert funnel(course) == (0, 0, 0)


@pytest.fixture
def odense_course(odense, enrol):
    """OK-Fonden's course in Odense: 25 with a job promise, 23 completed, 23 hired in mini flex
    jobs of 4–6 hours a week at the two care homes."""
    homes = [
        make_employer(odense, name=name, social_economic=True, size="medium", industry="Pleje")
        for name in ("OK-Fonden Gurli-Vibeke", "OK-Fonden Dyruphus")
    ]
    course = Course.objects.create(
        municipality=odense,
        title="Jobforløb på OK-Fondens plejehjem",
        start_date=date(2026, 1, 12),
        end_date=date(2026, 2, 20),
    )
    course.employers.set(homes)
    for n in range(25):
        enrolment = enrol(
            course, status="completed" if n < 23 else "dropped", unemployed_since=date(2018 + n % 7, 3, 1)
        )
        if n < 23:
            make_placement(
                enrolment.citizen,
                homes[n % 2],
                start_date=date(2026, 3, 1),
                hours_per_week=Decimal(4 + n % 3),
                first_flexjob=True,
            )
    return course


def test_it_reproduces_the_odense_funnel_25_23_23(odense_course):
    assert funnel(odense_course) == (25, 23, 23)


def test_it_shows_the_odense_funnel_on_the_course_page(login, outsider, odense_course):
    response = login(outsider).get(reverse("courses:detail", args=[odense_course.pk]))
    html = " ".join(response.content.decode().split())
    assert "Tilmeldt <strong>25</strong>" in html
    assert "Gennemført <strong>23</strong>" in html
    assert "Ansat <strong>23</strong>" in html


def test_it_shows_the_odense_funnel_and_mini_flex_jobs_on_the_dashboard(odense_course, odense):
    from progress.models import Target

    Target.objects.create(
        municipality=odense,
        title="Odense 2026",
        number=120,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    data = build_dashboard(odense, date(2026, 4, 1), masked=False)
    assert [(c["enrolled"], c["completed"], c["hired"]) for c in data.courses] == [(25, 23, 23)]
    assert (data.progress.new_flex_jobs, data.progress.mini_flex_jobs, data.progress.social_economic) == (23, 23, 23)
    assert data.progress.hours_over_10 == 0


def test_it_refuses_a_second_enrolment_made_at_the_same_time(consultant, course, enrol):
    from django.core.exceptions import ValidationError

    from courses.services import enrolment_create

    citizen = enrol(course).citizen
    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        enrolment_create(user=consultant, course=course, citizen=citizen)
    assert not AccessLog.objects.filter(purpose="tilmelding til forløb").exists()


def test_it_shows_the_form_error_when_the_enrolment_is_made_meanwhile(
    login, consultant, course, fredericia, monkeypatch
):
    from courses import forms

    citizen = make_citizen(fredericia, cpr="0101901234")
    # The form's check passes, then a colleague's enrolment lands before ours.
    clean_cpr = forms.EnrolForm.clean_cpr

    def racing_clean_cpr(form):
        number = clean_cpr(form)
        Enrolment.objects.create(course=course, citizen=citizen)
        return number

    monkeypatch.setattr(forms.EnrolForm, "clean_cpr", racing_clean_cpr)
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert response.status_code == 400
    assert form_errors(response) == ["Borgeren er allerede tilmeldt forløbet."]
    assert Enrolment.objects.count() == 1


def test_it_counts_as_hired_by_a_date_only_the_jobs_started_by_then(course, enrol, care_home):
    enrolment = enrol(course, status="completed")
    make_placement(enrolment.citizen, care_home, start_date=date(2026, 4, 1))
    assert Course.objects.with_funnel(date(2026, 3, 31)).get(pk=course.pk).hired == 0
    assert Course.objects.with_funnel(date(2026, 4, 1)).get(pk=course.pk).hired == 1


def test_it_counts_as_hired_only_those_who_completed(course, enrol, care_home):
    completed = enrol(course, status="completed")
    dropped = enrol(course, status="dropped")
    still_enrolled = enrol(course)
    for enrolment in (completed, dropped, still_enrolled):
        make_placement(enrolment.citizen, care_home, start_date=date(2026, 4, 1))
    assert funnel(course) == (3, 1, 1)


def test_it_marks_the_cpr_number_sensitive_in_error_reports(login, consultant, course, fredericia):
    from django.views.debug import SafeExceptionReporterFilter

    make_citizen(fredericia, cpr="0101901234")
    response = login(consultant).post(enrol_url(course), {"cpr": "010190-1234"})
    assert response.status_code == 302
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["cpr"] == SafeExceptionReporterFilter.cleansed_substitute


def test_it_changes_nothing_about_an_anonymised_citizen(login, consultant, course, enrol):
    """The course's figures stay as retention left them: no new enrolment, no new status."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from citizens.models import Citizen
    from courses.services import enrolment_create

    enrolment = enrol(course)
    Citizen.objects.filter(pk=enrolment.citizen_id).update(anonymised_at=timezone.now())
    enrolment.citizen.refresh_from_db()
    response = login(consultant).post(status_url(enrolment), {"status": "completed", "expected_status": enrolment.status})
    assert response.status_code in (200, 302, 400)
    assert Enrolment.objects.get(pk=enrolment.pk).status == enrolment.status
    assert "anonymiseret" in " ".join(messages(response)).lower() or "anonymiseret" in response.content.decode().lower()
    other = Course.objects.create(municipality=course.municipality, title="Vaskeri", start_date=course.start_date)
    with pytest.raises(ValidationError, match="anonymiseret"):
        enrolment_create(user=consultant, course=other, citizen=enrolment.citizen)
    assert not Enrolment.objects.filter(course=other).exists()
