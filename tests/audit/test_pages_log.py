"""Every page that shows a citizen's personal data writes exactly one row: who, which
action, the purpose the page implies, and the ids of the citizens it showed."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audit.models import AccessLog
from citizens.models import CaseNote, Citizen
from courses.models import Course, Enrolment
from tests.factories import make_citizen, make_placement, make_user
from workspace.access import candidate_token
from workspace.selectors import CANDIDATE_PURPOSE


def only_row():
    """The one row written, and the ids of the citizens it names."""
    row = AccessLog.objects.get()
    return row, sorted(row.citizen_ids())


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, accommodations="Skal kunne sidde ned")


@pytest.fixture
def course(fredericia, employer):
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=date(2026, 2, 2))
    course.employers.add(employer)
    return course


# --- The consultants' pages -------------------------------------------------------------

def test_the_citizen_list_logs_the_citizens_it_shows(login, consultant, fredericia, citizen):
    colleague = make_user("kollega", fredericia, Role.CONSULTANT)
    mine = make_citizen(fredericia, consultant=consultant, first_name="Jens")
    make_citizen(fredericia, consultant=colleague)  # not on the consultant's own caseload
    login(consultant).get(reverse("citizens:list"))
    row, ids = only_row()
    assert (row.user, row.action, row.model, row.purpose, row.municipality) == (
        consultant, AccessLog.Action.LIST, "citizens.Citizen", "sagsbehandling", fredericia
    )
    assert ids == sorted([citizen.pk, mine.pk])
    assert row.query == "konsulent: mine"


def test_the_citizen_list_logs_the_search_and_its_results(login, consultant, citizen, fredericia):
    make_citizen(fredericia, consultant=consultant, first_name="Jens", last_name="Hansen")
    login(consultant).post(reverse("citizens:list"), {"q": "Sørensen", "consultant": ""})
    row, ids = only_row()
    assert ids == [citizen.pk]
    assert row.query == "Sørensen"


def test_the_citizen_list_logs_a_cpr_search_without_the_number(login, consultant, citizen):
    number = citizen.reveal_cpr()
    login(consultant).post(reverse("citizens:list"), {"q": number, "consultant": ""})
    row, ids = only_row()
    assert ids == [citizen.pk]
    assert row.query == "CPR-søgning"


def test_the_citizen_list_logs_in_a_fixed_number_of_queries(login, consultant, fredericia):
    client = login(consultant)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(reverse("citizens:list"), {"consultant": ""}).status_code == 200
        return len(captured)

    for _ in range(3):
        make_citizen(fredericia, consultant=consultant)
    few = queries()
    for _ in range(30):
        make_citizen(fredericia, consultant=consultant)
    assert queries() == few
    latest = AccessLog.objects.first()
    assert len(latest.citizen_ids()) == 25  # the page's citizens, not all 33


@pytest.mark.parametrize(
    "name, purpose", [("citizens:detail", "sagsbehandling"), ("citizens:edit", "rettelse af borger")]
)
def test_the_citizen_page_and_edit_form_log_the_citizen(login, consultant, citizen, name, purpose):
    assert login(consultant).get(reverse(name, args=[citizen.pk])).status_code == 200
    row, ids = only_row()
    assert (row.user, row.action, row.purpose, row.object_id) == (consultant, AccessLog.Action.VIEW, purpose, citizen.pk)
    assert ids == [citizen.pk]


@pytest.mark.parametrize("name", ["placements:detail", "placements:edit"])
def test_the_placement_page_and_form_log_the_citizen(login, consultant, citizen, placement, name):
    assert login(consultant).get(reverse(name, args=[placement.pk])).status_code == 200
    row, ids = only_row()
    assert (row.user, row.action, row.purpose) == (consultant, AccessLog.Action.VIEW, "ansættelse")
    assert ids == [citizen.pk]


def test_the_placement_form_from_the_citizens_page_logs_the_citizen(login, consultant, citizen):
    assert login(consultant).get(reverse("placements:create_for_citizen", args=[citizen.pk])).status_code == 200
    row, ids = only_row()
    assert (row.user, row.action, row.purpose) == (consultant, AccessLog.Action.VIEW, "ansættelse")
    assert ids == [citizen.pk]


def test_the_placement_form_from_the_employers_page_names_no_citizen_and_logs_nothing(login, consultant, employer):
    assert login(consultant).get(reverse("placements:create_for_employer", args=[employer.pk])).status_code == 200
    assert not AccessLog.objects.exists()


def test_the_employer_page_logs_the_citizens_placed_there(login, consultant, fredericia, employer, citizen):
    other = make_citizen(fredericia)
    make_placement(citizen, employer)
    make_placement(other, employer)
    make_citizen(fredericia)  # placed nowhere: not on the page
    login(consultant).get(reverse("employers:detail", args=[employer.pk]))
    row, ids = only_row()
    assert (row.user, row.action, row.purpose, row.model, row.object_id) == (
        consultant, AccessLog.Action.VIEW, "virksomhedens ansættelser", "employers.Employer", employer.pk
    )
    assert ids == sorted([citizen.pk, other.pk])


def test_the_course_page_logs_the_citizens_enrolled(login, consultant, fredericia, course, citizen):
    Enrolment.objects.create(course=course, citizen=citizen)
    login(consultant).get(reverse("courses:detail", args=[course.pk]))
    row, ids = only_row()
    assert (row.user, row.action, row.purpose, row.model) == (consultant, AccessLog.Action.VIEW, "forløb", "courses.Course")
    assert ids == [citizen.pk]


def test_a_refused_enrolment_shows_the_course_page_again_and_logs_it_once(login, consultant, course, citizen):
    Enrolment.objects.create(course=course, citizen=citizen)
    response = login(consultant).post(reverse("courses:enrol", args=[course.pk]), {"cpr": "311299-0000"})
    assert response.status_code == 400
    row, ids = only_row()
    assert (row.action, row.purpose) == (AccessLog.Action.VIEW, "forløb")
    assert ids == [citizen.pk]


# --- The leaders' candidate profiles --------------------------------------------------

def test_a_candidate_profile_logs_who_saw_it(login, leader, leader_member, task_force, fredericia, consultant):
    candidate = make_citizen(fredericia, consultant=consultant, consent_to_share_profile=True, status=Citizen.Status.READY)
    url = reverse("workspace:candidate", args=[task_force.pk, candidate_token(candidate)])
    assert login(leader).get(url).status_code == 200
    row, ids = only_row()
    assert (row.user, row.role, row.action, row.purpose) == (leader, Role.LEADER, AccessLog.Action.VIEW, CANDIDATE_PURPOSE)
    assert ids == [candidate.pk]


# --- The Django admin -------------------------------------------------------------------

def test_the_admins_citizen_list_logs_the_citizens_listed(admin_client, admin_user, citizen, other_citizen):
    assert admin_client.get(reverse("admin:citizens_citizen_changelist")).status_code == 200
    row, ids = only_row()
    assert (row.user, row.action, row.purpose, row.model) == (
        admin_user, AccessLog.Action.LIST, "administration", "citizens.Citizen"
    )
    assert ids == sorted([citizen.pk, other_citizen.pk])
    # Two municipalities' citizens: each row of the list says whose.
    assert row.municipality is None
    assert set(row.citizens.values_list("municipality_id", flat=True)) == {citizen.municipality_id, other_citizen.municipality_id}


def test_the_admins_citizen_page_logs_the_citizen_and_its_notes(admin_client, admin_user, consultant, citizen):
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Samtale")
    assert admin_client.get(reverse("admin:citizens_citizen_change", args=[citizen.pk])).status_code == 200
    row, ids = only_row()
    assert (row.user, row.action, row.purpose, row.object_id) == (admin_user, AccessLog.Action.VIEW, "administration", citizen.pk)
    assert ids == [citizen.pk]


def test_the_admins_case_note_pages_log_the_citizens(admin_client, admin_user, consultant, citizen, other_citizen):
    note = CaseNote.objects.create(citizen=citizen, author=consultant, text="Samtale")
    CaseNote.objects.create(citizen=other_citizen, author=consultant, text="Anden samtale")
    admin_client.get(reverse("admin:citizens_casenote_changelist"))
    row, ids = only_row()
    assert (row.action, row.model, row.purpose) == (AccessLog.Action.LIST, "citizens.CaseNote", "administration")
    assert ids == sorted([citizen.pk, other_citizen.pk])
    admin_client.get(reverse("admin:citizens_casenote_change", args=[note.pk]))
    page = AccessLog.objects.exclude(pk=row.pk).get()
    assert (page.action, page.model, page.object_id, page.municipality_id) == (
        AccessLog.Action.VIEW, "citizens.CaseNote", note.pk, citizen.municipality_id
    )
    assert page.citizen_ids() == [citizen.pk]


def test_the_admins_placement_pages_log_the_citizens(admin_client, admin_user, citizen, placement):
    admin_client.get(reverse("admin:placements_placement_changelist"))
    listed, ids = only_row()
    assert (listed.action, listed.purpose, ids) == (AccessLog.Action.LIST, "administration", [citizen.pk])
    admin_client.get(reverse("admin:placements_placement_change", args=[placement.pk]))
    page = AccessLog.objects.exclude(pk=listed.pk).get()
    assert (page.action, page.model, page.object_id) == (AccessLog.Action.VIEW, "placements.Placement", placement.pk)
    assert page.citizen_ids() == [citizen.pk]


def test_the_admins_course_page_logs_the_enrolled_and_its_list_nothing(admin_client, course, citizen):
    Enrolment.objects.create(course=course, citizen=citizen)
    admin_client.get(reverse("admin:courses_course_changelist"))
    assert not AccessLog.objects.exists()
    admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    row, ids = only_row()
    assert (row.action, row.model, ids) == (AccessLog.Action.VIEW, "courses.Course", [citizen.pk])


def test_the_admins_citizen_list_logs_in_a_fixed_number_of_queries(admin_client, fredericia):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("admin:citizens_citizen_changelist")).status_code == 200
        return len(captured)

    make_citizen(fredericia)
    few = queries()
    for _ in range(10):
        make_citizen(fredericia)
    assert queries() == few
