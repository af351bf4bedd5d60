"""Property tests of every form of the project: whatever is typed into any of its fields (NUL
and other control characters, lone surrogates, odd unicode, huge strings, odd numbers and
dates), binding and validating the form never raises; an invalid form renders again and saves
nothing; a valid one saves as its view does, and the row reads back as the form cleaned it.

Each case starts from a valid form's data and replaces some of its fields (none, one or all)
with such values, so both the refusals and the saves are exercised. Each example rolls its
writes back."""

import importlib
import importlib.util
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from django import forms as django_forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from hypothesis import event, given
from hypothesis import strategies as st

from citizens.models import Citizen
from employers.models import Employer

from tests.factories import make_cpr, make_cvr
from tests.strategies import ANY_TEXT, SPECIAL, mutated, query_dict, row_counts

from .conftest import fresh


def assert_intact(form, obj):
    """The row, read again, holds each model field as the form cleaned it."""
    row = type(obj)._base_manager.get(pk=obj.pk)
    fields = {f.name: f for f in type(obj)._meta.get_fields()}
    for name, value in form.cleaned_data.items():
        field = fields.get(name)
        if field is None or getattr(field, "primary_key", False) or not (getattr(field, "concrete", False) or field.many_to_many):
            continue
        if field.many_to_many:
            assert set(getattr(row, name).all()) == set(value), name
        elif field.is_relation:
            assert getattr(row, field.attname) == (value.pk if value is not None else None), name
        else:
            assert getattr(row, name) == value, name


def saved(form, **attrs):
    """Save a model form as its view's service does: a new record with the attributes the view
    sets, an edited one through form.save(), which is save_changed (core.edits)."""
    if getattr(form, "editing", False):
        obj = form.save()
    else:
        obj = form.save(commit=False)
        for name, value in attrs.items():
            setattr(obj, name, value)
        obj.save()
        form.save_m2m()
    assert_intact(form, obj)
    return obj


@dataclass
class Case:
    name: str
    build: Callable  # (world, data, files) → a bound form
    base: Callable  # world → valid data
    save: Callable = None  # (world, form) → saves as the view does; a ValidationError is a clean refusal


def _citizen_data(w):
    return {
        "municipality": w.fredericia.pk, "cpr": make_cpr(), "first_name": "Mette", "last_name": "Frederiksen",
        "phone": "75 10 20 30", "email": "mette@example.dk", "address": "", "unemployed_since": str(w.today - timedelta(days=500)),
        "flexjob_approved_on": "", "weekly_hours": "7.5", "competences": "Køkken", "wishes": "", "travel_distance": "",
        "consent_to_share_profile": "on", "consultant": w.consultant.pk, "status": "registered",
    }


def _employer_data(w):
    return {"municipality": w.fredericia.pk, "name": "Kanalbyens Café", "cvr": make_cvr(), "sector": "private",
            "social_economic": "", "size": "micro", "industry": "Café", "address": "", "last_contact": str(w.today),
            "next_step": ""}


def _opening_data(w):
    return {"title": "Køkkenhjælp", "catalogue_tasks": [w.task.pk], "tasks": "Opvask", "hours_min": "4",
            "hours_max": "8", "positions": "2", "from_task_force": "", "is_open": "on"}


def _placement_data(w, **extra):
    return {"opening": "", "kind": "flexjob", "hours_per_week": "8", "contracted_hours": "",
            "start_date": str(w.today - timedelta(days=10)), "end_date": "", "permanent": "on", "first_flexjob": "",
            "retention_flexjob": "", "accommodations": "", **extra}


def _workshop_data(w):
    day = w.today + timedelta(days=14)
    return {"title": "Workshop 2", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00", "place": "Jobcentret",
            "agenda": "Idéer", "minutes": ""}


def _course_data(w):
    return {"municipality": w.fredericia.pk, "title": "Vaskeri med jobløfte", "description": "",
            "start_date": str(w.today), "end_date": str(w.today + timedelta(days=60)), "job_promise": "on",
            "employers": [w.employer.pk]}


def _target_data(w):
    year = w.today.year + 1
    return {"municipality": w.fredericia.pk, "title": "Nye fleksjob", "number": "164",
            "period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "target_group_only": ""}


def _item_key(w, **extra):
    """The worklist's key of the internship ending in ten days, as its row's forms send it."""
    return {"kind": "ending_soon", "object_id": str(w.ending.pk), "due_on": str(w.ending.end_date), "page": "1", **extra}


def _marked(service, w, form):
    """Mark as the view does; an item that is not the user's (a changed id) is the view's 404,
    a clean refusal."""
    try:
        service(user=w.consultant, **{name: value for name, value in form.cleaned_data.items() if name != "page"})
    except Http404:
        raise ValidationError("404") from None


def _dashboard_works(w, as_of):
    from progress.dashboard import build_dashboard

    build_dashboard(w.fredericia, as_of, masked=False)
    build_dashboard(w.fredericia, as_of, masked=True)


def _cases():
    from accounts.forms import TokenForm
    from citizens import services as citizen_services
    from citizens.forms import CaseNoteForm, CitizenAdminForm, CitizenForm, CitizenSearchForm
    from courses import services as course_services
    from courses.forms import CourseForm, EnrolForm, EnrolmentStatusForm
    from employers.forms import ContactFormSet, ContactPersonForm, EmployerForm, EmployerSearchForm, OpeningForm
    from imports.forms import CitizenImportForm, PlacementImportForm
    from placements import services as placement_services
    from notifications.forms import PreferenceForm
    from notifications.models import Preference
    from placements.forms import FollowUpForm, PlacementEndForm, PlacementForm
    from worklist import selectors as worklist_selectors
    from worklist import services as worklist_services
    from worklist.forms import DoneForm, SnoozeForm, TeamOverdueForm
    from progress.forms import AsOfForm, TargetForm
    from workspace import services as workspace_services
    from workspace.forms import (
        AcceptInvitationForm, ActionForm, ActionStatusForm, AdoptVisionForm, CommentForm, ContributionForm,
        InvitationForm, MeetingRequestForm, PledgeForm, RoundForm, ScoreForm, SolutionForm, VisionForm, WorkshopForm,
    )

    def import_form(form_class, prefix, **kwargs):
        def build(w, data, files):
            return form_class(data, files, **{k: v(w) for k, v in kwargs.items()})

        return build

    cases = [
        # citizens
        Case("CitizenForm", lambda w, d, f: CitizenForm(d, municipalities=w.only_fredericia), _citizen_data,
             lambda w, form: saved(form)),
        Case("CitizenForm (edit)", lambda w, d, f: CitizenForm(d, instance=fresh(w.citizen), municipalities=w.only_fredericia),
             lambda w: {k: v for k, v in _citizen_data(w).items() if k != "cpr"}, lambda w, form: saved(form)),
        Case("CitizenAdminForm", lambda w, d, f: CitizenAdminForm(d), _citizen_data, lambda w, form: saved(form)),
        Case("CitizenSearchForm", lambda w, d, f: CitizenSearchForm(d, consultants=[w.consultant]),
             lambda w: {"q": "Bente", "status": "", "target_group": "yes", "consultant": "mine", "sort": "unemployed", "page": "1"},
             lambda w, form: list(form.filter(Citizen.objects.all(), w.consultant, w.today))),
        Case("CaseNoteForm", lambda w, d, f: CaseNoteForm(d), lambda w: {"text": "Samtale om fleksjob."},
             lambda w, form: citizen_services.case_note_add(user=w.consultant, citizen=w.citizen, **form.cleaned_data)),
        # employers
        Case("EmployerForm", lambda w, d, f: EmployerForm(d, municipalities=w.only_fredericia), _employer_data,
             lambda w, form: saved(form)),
        Case("EmployerForm (edit)", lambda w, d, f: EmployerForm(d, instance=fresh(w.employer), municipalities=w.only_fredericia),
             lambda w: {**_employer_data(w), "cvr": w.employer.cvr}, lambda w, form: saved(form)),
        Case("ContactPersonForm", lambda w, d, f: ContactPersonForm(d),
             lambda w: {"name": "Lise Lund", "title": "Direktør", "phone": "", "email": "lise@example.dk"},
             lambda w, form: saved(form, employer=w.employer)),
        Case("ContactFormSet", lambda w, d, f: ContactFormSet(d, instance=fresh(w.employer), prefix="contacts"),
             lambda w: {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
                        "contacts-MAX_NUM_FORMS": "1000", "contacts-0-name": "Lise", "contacts-0-title": "",
                        "contacts-0-phone": "", "contacts-0-email": ""},
             lambda w, formset: [assert_intact(form, obj) for form, obj in zip(formset.forms, formset.save())]),
        Case("OpeningForm", lambda w, d, f: OpeningForm(d), _opening_data, lambda w, form: saved(form, employer=w.employer)),
        Case("OpeningForm (edit)", lambda w, d, f: OpeningForm(d, instance=fresh(w.opening)), _opening_data,
             lambda w, form: saved(form)),
        Case("EmployerSearchForm", lambda w, d, f: EmployerSearchForm(d),
             lambda w: {"q": "Byg", "sector": "private", "size": "", "sort": "placements", "page": "2"},
             lambda w, form: list(form.filter(Employer.objects.all()).order_by(*form.ordering()))),
        # placements
        Case("PlacementForm (citizen's page)", lambda w, d, f: PlacementForm(d, citizen=w.newcomer),
             lambda w: _placement_data(w, employer=w.employer.pk), lambda w, form: saved(form)),
        Case("PlacementForm (employer's page)", lambda w, d, f: PlacementForm(d, employer=w.employer),
             lambda w: _placement_data(w, citizen_cpr=w.newcomer.reveal_cpr()),
             lambda w, form: saved(form, employer=w.employer)),
        Case("PlacementForm (edit)", lambda w, d, f: PlacementForm(d, instance=fresh(w.placement)),
             lambda w: {**_placement_data(w, employer=w.employer.pk), "start_date": str(w.placement.start_date)},
             lambda w, form: saved(form)),
        Case("PlacementEndForm", lambda w, d, f: PlacementEndForm(d, placement=fresh(w.placement)),
             lambda w: {"end_date": str(w.today), "end_reason": "health"},
             lambda w, form: placement_services.placement_end(user=w.consultant, placement=fresh(w.placement), **form.cleaned_data)),
        Case("FollowUpForm", lambda w, d, f: FollowUpForm(d, follow_up=fresh(w.follow_up)),
             lambda w: {"done_on": str(w.today), "outcome": "still_employed", "note": "Trives"},
             lambda w, form: placement_services.followup_record(user=w.consultant, follow_up=fresh(w.follow_up),
                                                                 **form.cleaned_data)),
        # the worklist and the reminders
        Case("DoneForm", lambda w, d, f: DoneForm(d), lambda w: _item_key(w, reason="Talt med virksomheden"),
             lambda w, form: _marked(worklist_services.mark_done, w, form)),
        Case("SnoozeForm", lambda w, d, f: SnoozeForm(d),
             lambda w: _item_key(w, reason="Venter på svar", until=str(w.today + timedelta(days=5))),
             lambda w, form: _marked(worklist_services.mark_snooze, w, form)),
        Case("TeamOverdueForm", lambda w, d, f: TeamOverdueForm(d, consultants=[w.consultant]),
             lambda w: {"consultant": str(w.consultant.pk)},
             lambda w, form: list(worklist_selectors.team_overdue(w.fredericia, w.today, [w.consultant],
                                                                  consultant=form.chosen()).object_list)),
        Case("PreferenceForm", lambda w, d, f: PreferenceForm(d, instance=Preference(user=w.consultant)),
             lambda w: {"daily_digest": "on"}, lambda w, form: saved(form)),
        # courses
        Case("CourseForm", lambda w, d, f: CourseForm(d, municipalities=w.only_fredericia), _course_data,
             lambda w, form: saved(form)),
        Case("CourseForm (edit)", lambda w, d, f: CourseForm(d, instance=fresh(w.course), municipalities=w.only_fredericia),
             _course_data, lambda w, form: saved(form)),
        Case("EnrolForm", lambda w, d, f: EnrolForm(d, course=w.course), lambda w: {"cpr": w.newcomer.reveal_cpr()},
             lambda w, form: course_services.enrolment_create(user=w.consultant, course=w.course, citizen=form.citizen)),
        Case("EnrolmentStatusForm", lambda w, d, f: EnrolmentStatusForm(d),
             lambda w: {"status": "completed", "expected_status": "enrolled"},
             lambda w, form: course_services.enrolment_set_status(
                 user=w.consultant, enrolment=fresh(w.enrolment), status=form.cleaned_data["status"],
                 expected_status=form.cleaned_data["expected_status"] or fresh(w.enrolment).status)),
        # progress
        Case("AsOfForm", lambda w, d, f: AsOfForm(d), lambda w: {"as_of": str(w.today)},
             lambda w, form: _dashboard_works(w, form.cleaned_as_of())),
        Case("TargetForm", lambda w, d, f: TargetForm(d, user=w.manager), _target_data,
             lambda w, form: _dashboard_works(w, saved(form).period_end)),
        Case("TargetForm (edit)", lambda w, d, f: TargetForm(d, instance=fresh(w.target), user=w.manager),
             lambda w: {**_target_data(w), "period_start": str(w.target.period_start), "period_end": str(w.target.period_end)},
             lambda w, form: _dashboard_works(w, saved(form).period_start)),
        # the task force
        Case("InvitationForm", lambda w, d, f: InvitationForm(d, task_force=w.task_force),
             lambda w: {"first_name": "Kasper", "last_name": "Krogh", "email": "kasper@example.dk", "kind": "leader",
                        "employer": w.employer.pk},
             lambda w, form: saved(form, task_force=w.task_force, invited_by=w.consultant)),
        Case("AcceptInvitationForm", lambda w, d, f: AcceptInvitationForm(d, invitation=w.invitation),
             lambda w: {"username": "ny-leder", "password1": "Et-langt-kodeord-42", "password2": "Et-langt-kodeord-42"}),
        Case("WorkshopForm", lambda w, d, f: WorkshopForm(d), _workshop_data,
             lambda w, form: saved(form, task_force=w.task_force)),
        Case("WorkshopForm (edit)", lambda w, d, f: WorkshopForm(d, instance=fresh(w.workshop)), _workshop_data,
             lambda w, form: saved(form)),
        Case("VisionForm", lambda w, d, f: VisionForm(d), lambda w: {"text": "Alle kan arbejde nogle timer."},
             lambda w, form: saved(form, task_force=w.task_force, author=w.leader_member)),
        Case("AdoptVisionForm", lambda w, d, f: AdoptVisionForm(d, workshops=[w.workshop]),
             lambda w: {"workshop": w.workshop.pk},
             lambda w, form: workspace_services.vision_adopt(version=fresh(w.vision), **form.cleaned_data)),
        Case("SolutionForm", lambda w, d, f: SolutionForm(d, task_force=w.task_force),
             lambda w: {"title": "Jobdeling", "description": "Små virksomheder deler et job.", "problem": "", "target": w.target.pk},
             lambda w, form: saved(form, task_force=w.task_force, proposed_by=w.leader_member)),
        Case("CommentForm", lambda w, d, f: CommentForm(d), lambda w: {"text": "Vi vil gerne være med!"},
             lambda w, form: saved(form, solution=w.solution, author=w.leader_member)),
        Case("RoundForm", lambda w, d, f: RoundForm(d), lambda w: {"title": "Runde 2", "dot_budget": "5"},
             lambda w, form: assert_intact(form, workspace_services.round_open(task_force=w.task_force, **form.cleaned_data))),
        Case("ScoreForm", lambda w, d, f: ScoreForm(d), lambda w: {"impact": "4", "effort": "2", "dots": "3"},
             lambda w, form: workspace_services.score_save(round=w.round, member=w.leader_member, solution=w.solution,
                                                           **form.cleaned_data)),
        Case("ActionForm", lambda w, d, f: ActionForm(d, task_force=w.task_force),
             lambda w: {"title": "Tre mini-fleksjob", "description": "", "solution": w.solution.pk,
                        "owner": w.leader_member.pk, "due_date": str(w.today + timedelta(days=30))},
             lambda w, form: saved(form, task_force=w.task_force)),
        Case("ActionStatusForm", lambda w, d, f: ActionStatusForm(d),
             lambda w: {"status": "in_progress", "progress": "40", "expected_status": "planned"},
             lambda w, form: workspace_services.action_update_status(action=fresh(w.action), **form.cleaned_data)),
        Case("ContributionForm", lambda w, d, f: ContributionForm(d),
             lambda w: {"kind": "competence", "description": "Mentortimer hver uge"},
             lambda w, form: saved(form, action=w.action, member=w.leader_member)),
        Case("PledgeForm", lambda w, d, f: PledgeForm(d),
             lambda w: {"title": "Køkken", "positions": "3", "hours_min": "4", "hours_max": "8",
                        "catalogue_tasks": [w.task.pk], "tasks": ""},
             lambda w, form: workspace_services.pledge_create(action=w.action, member=w.leader_member, **form.cleaned_data)),
        Case("MeetingRequestForm", lambda w, d, f: MeetingRequestForm(d), lambda w: {"message": "Hej"},
             lambda w, form: workspace_services.meeting_request_create(
                 member=w.leader_member, citizen=w.citizen, base_url="http://testserver/", **form.cleaned_data)),
        # imports (the files themselves are fuzzed in tests/imports/test_parser_fuzz.py)
        Case("CitizenImportForm", import_form(CitizenImportForm, "citizens", municipalities=lambda w: w.only_fredericia),
             lambda w: {"citizens-dry_run": "on", "citizens-consultant": w.consultant.pk}),
        Case("PlacementImportForm", import_form(PlacementImportForm, "placements", municipalities=lambda w: w.only_fredericia),
             lambda w: {"placements-municipality": w.fredericia.pk}),
        # accounts
        Case("TokenForm", lambda w, d, f: TokenForm(d), lambda w: {"token": "123 456"}),
    ]
    cases += _audit_cases()
    return cases


def _audit_cases():
    if importlib.util.find_spec("audit.forms") is None:
        return []  # the access log has no forms of its own yet
    from audit.forms import AccessLogSearchForm, PeriodForm, PurposeForm, SignInSearchForm
    from audit.models import AccessLog, Purpose, SignInEvent

    return [
        Case("PurposeForm", lambda w, d, f: PurposeForm(d), lambda w: {"purpose": Purpose.OTHER, "detail": "Opfølgning"}),
        Case("PeriodForm", lambda w, d, f: PeriodForm(d), lambda w: {"date_from": str(w.today), "date_to": str(w.today)}),
        Case("AccessLogSearchForm", lambda w, d, f: AccessLogSearchForm(d),
             lambda w: {"user": w.consultant.pk, "cpr": "", "citizen": str(w.citizen.pk), "action": "",
                        "date_from": str(w.today), "date_to": "", "page": "1"},
             lambda w, form: list(form.filter(AccessLog.objects.all()))),
        Case("SignInSearchForm", lambda w, d, f: SignInSearchForm(d),
             lambda w: {"user": "", "kind": "", "date_from": "", "date_to": str(w.today), "page": "1"},
             lambda w, form: list(form.filter(SignInEvent.objects.all()))),
    ]


CASES = _cases()


def _files(data, draw):
    """An uploaded file for the import forms: any name, any bytes."""
    name = draw(st.one_of(st.sampled_from(["a.csv", "a.xlsx", "a.CSV", "a.txt", "", ".csv", "a.csv\x00.exe"]), ANY_TEXT, SPECIAL),
                label="file name")
    content = draw(st.binary(max_size=200), label="file content")
    files = MultiValueDict()
    try:
        for prefix in ("citizens", "placements"):
            files[f"{prefix}-file"] = SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:
        pass  # no file name at all: a request carries no such file
    return files


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
@given(data=st.data())
def test_no_input_breaks_a_form_or_saves_half_a_record(world, case, data):
    values = mutated(data, case.base(world))
    files = _files(values, data.draw) if "Import" in case.name else None
    with transaction.atomic():
        before = row_counts()
        form = case.build(world, query_dict(values), files)
        valid = form.is_valid()
        event("valid" if valid else "refused")
        if not valid:
            str(form)  # a refused form is shown again with whatever it was given
            assert row_counts() == before
        elif case.save is not None:
            try:
                with transaction.atomic():
                    case.save(world, form)
            except ValidationError:
                # A rule the service checks (a dot budget, a status changed meanwhile): a clean
                # refusal, and nothing of it saved.
                assert row_counts() == before
        transaction.set_rollback(True)


def test_every_form_of_the_project_is_fuzzed():
    """A form added later gets a case here, or this fails."""
    found = set()
    for app in ("accounts", "notifications", "audit", "citizens", "employers", "placements", "courses", "progress",
                "workspace", "imports", "worklist", "retention"):
        if importlib.util.find_spec(f"{app}.forms") is None:
            continue
        module = importlib.import_module(f"{app}.forms")
        for name, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, (django_forms.BaseForm, django_forms.BaseFormSet))
                    and value.__module__ == module.__name__):
                found.add(name)
    # Helpers and bases that are no form of their own.
    found -= {"ImportForm", "ItemKeyForm"}
    fuzzed = {case.name.split(" ")[0] for case in CASES}
    assert found <= fuzzed, sorted(found - fuzzed)
