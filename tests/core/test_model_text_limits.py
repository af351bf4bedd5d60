"""One rule for a free text's length: the model field names its limit (so the admin and every
ModelForm check it), and limit_length reads it from there for the text box, refusing a form
that names another."""

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone

from citizens.models import Citizen
from core.forms import limit_length
from core.limits import MINUTES_MAX_LENGTH, TEXT_MAX_LENGTH
from core.validators import TextLengthValidator
from courses.models import Course
from employers.models import Opening
from placements.models import Placement
from tests.factories import make_action, make_course, make_placement, make_solution, make_workshop
from workspace.forms import WorkshopForm
from workspace.models import Action, Solution, Workshop


def too_long_message(length, limit):
    return f"Teksten er for lang: {length} tegn. Der er plads til højst {limit} tegn."


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


# --- The admin's default forms ------------------------------------------------------------------

def _course(w, text):
    return "courses_course", "description", {
        "municipality": w["fredericia"].pk,
        "title": "Køkken med jobløfte",
        "description": text,
        "start_date": f"{timezone.localdate():%Y-%m-%d}",
        "job_promise": "on",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
    }


def _placement(w, text):
    return "placements_placement", "accommodations", {
        "citizen": w["citizen"].pk,
        "employer": w["employer"].pk,
        "kind": Placement.Kind.FLEXJOB,
        "hours_per_week": "8",
        "start_date": f"{timezone.localdate():%Y-%m-%d}",
        "permanent": "on",
        "accommodations": text,
    }


def _workshop_minutes(w, text):
    day = f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}"
    return "workspace_workshop", "minutes", {
        "task_force": w["task_force"].pk,
        "title": "Workshop om fleksjob",
        "starts_at_0": day,
        "starts_at_1": "09:00",
        "ends_at_0": day,
        "ends_at_1": "12:00",
        "minutes": text,
    }


def _solution_problem(w, text):
    return "workspace_solution", "problem", {
        "task_force": w["task_force"].pk,
        "title": "Jobdeling i små virksomheder",
        "description": "Små virksomheder deler et job.",
        "problem": text,
        "proposed_by": w["leader_member"].pk,
    }


def _action(w, text):
    return "workspace_action", "description", {
        "task_force": w["task_force"].pk,
        "title": "Mini-fleksjob",
        "description": text,
        "owner": w["leader_member"].pk,
        "status": Action.Status.PLANNED,
        "progress": "0",
        "contributions-TOTAL_FORMS": "0",
        "contributions-INITIAL_FORMS": "0",
    }


@pytest.fixture
def records(fredericia, citizen, employer, task_force, leader_member):
    return {
        "fredericia": fredericia,
        "citizen": citizen,
        "employer": employer,
        "task_force": task_force,
        "leader_member": leader_member,
    }


@pytest.mark.parametrize(
    "post_data, model, limit",
    [
        (_course, Course, TEXT_MAX_LENGTH),
        (_placement, Placement, TEXT_MAX_LENGTH),
        (_workshop_minutes, Workshop, MINUTES_MAX_LENGTH),
        (_solution_problem, Solution, TEXT_MAX_LENGTH),
        (_action, Action, TEXT_MAX_LENGTH),
    ],
    ids=["course", "placement", "workshop-minutes", "solution-problem", "action"],
)
def test_the_admin_refuses_too_long_a_text_and_saves_nothing(admin_client, records, post_data, model, limit):
    admin_name, field, data = post_data(records, "x" * (limit + 1))
    url = reverse(f"admin:{admin_name}_add")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [too_long_message(limit + 1, limit)]
    assert not model.objects.exists()

    # At the limit it is saved: the admin's form refused the length, nothing else.
    response = admin_client.post(url, post_data(records, "x" * limit)[2])
    assert response.status_code == 302
    assert len(getattr(model.objects.get(), field)) == limit


# --- The models themselves ----------------------------------------------------------------------

@pytest.fixture
def instances(fredericia, citizen, employer, task_force, leader_member):
    return {
        Citizen: citizen,
        Course: make_course(fredericia),
        Placement: make_placement(citizen, employer, start_date=timezone.localdate()),
        Opening: Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8),
        Workshop: make_workshop(task_force),
        Solution: make_solution(task_force, leader_member),
        Action: make_action(task_force, leader_member),
    }


@pytest.mark.parametrize(
    "model, field, limit",
    [
        (Citizen, "competences", TEXT_MAX_LENGTH),
        (Citizen, "wishes", TEXT_MAX_LENGTH),
        (Course, "description", TEXT_MAX_LENGTH),
        (Placement, "accommodations", TEXT_MAX_LENGTH),
        (Opening, "tasks", TEXT_MAX_LENGTH),
        (Workshop, "agenda", TEXT_MAX_LENGTH),
        (Workshop, "minutes", MINUTES_MAX_LENGTH),
        (Solution, "description", TEXT_MAX_LENGTH),
        (Solution, "problem", TEXT_MAX_LENGTH),
        (Action, "description", TEXT_MAX_LENGTH),
    ],
)
def test_full_clean_refuses_too_long_a_text(instances, model, field, limit):
    instance = instances[model]
    setattr(instance, field, "x" * limit)
    instance.full_clean()

    setattr(instance, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert refused.value.message_dict == {field: [too_long_message(limit + 1, limit)]}


# --- limit_length --------------------------------------------------------------------------------

class CourseTextForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea}

    def __init__(self, *args, max_length=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, max_length, "description")


def test_it_reads_the_limit_from_the_model_field():
    form = CourseTextForm({"title": "Køkken", "description": "x" * (TEXT_MAX_LENGTH + 1)})
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in str(form["description"])
    assert form.errors["description"] == [too_long_message(TEXT_MAX_LENGTH + 1, TEXT_MAX_LENGTH)]


def test_it_takes_the_same_limit_named_by_the_form_once():
    form = CourseTextForm(max_length=TEXT_MAX_LENGTH)
    limits = [v for v in form.fields["description"].validators if isinstance(v, TextLengthValidator)]
    assert limits == [TextLengthValidator(TEXT_MAX_LENGTH)]


def test_it_refuses_a_form_that_names_another_limit_than_the_model():
    with pytest.raises(ImproperlyConfigured, match="description"):
        CourseTextForm(max_length=100)


def test_an_apps_form_offers_the_models_limit():
    form = WorkshopForm()
    assert f'maxlength="{MINUTES_MAX_LENGTH}"' in str(form["minutes"])
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in str(form["agenda"])


def test_a_plain_forms_field_needs_a_limit():
    class PlainForm(forms.Form):
        note = forms.CharField(widget=forms.Textarea)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limit_length(self, None, "note")

    with pytest.raises(ImproperlyConfigured, match="note"):
        PlainForm()


def test_the_limit_deconstructs_for_a_migration():
    assert TextLengthValidator(TEXT_MAX_LENGTH).deconstruct() == (
        "core.validators.TextLengthValidator", (TEXT_MAX_LENGTH,), {}
    )
