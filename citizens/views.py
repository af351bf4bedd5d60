"""Consultants' work with citizens: caseload, registration, record, CPR reveal and journal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CASEWORK_ROLES, municipalities_for, role_required
from audit.forms import PurposeForm
from audit.models import AccessLog, Purpose
from audit.services import CPR_SEARCH, access_log_record, describe_search
from core.pagination import CappedPaginator

from . import services
from .access import citizens_for_user, get_citizen_for_user
from .forms import CaseNoteForm, CitizenForm, CitizenSearchForm, consultants_in
from .models import ANONYMISED_READ_ONLY_MESSAGE
from .selectors import record_placements, unemployment_of, with_hiring

PAGE_SIZE = 25


def _search_description(form, page):
    """The search in short for the access log: what was typed (a CPR number only as
    "CPR-søgning") and the filters chosen."""
    data = form.cleaned_data if form.is_valid() else {}
    parts = [describe_search(form.data.get("q", ""))]
    # In Danish, as the log is kept (the reader's language does not change what was stored).
    names = {"status": "status", "target_group": "målgruppe", "consultant": "konsulent"}
    parts += [f"{label}: {data[name]}" for name, label in names.items() if data.get(name)]
    if page.number > 1:
        parts.append(f"side {page.number}")
    return "; ".join(part for part in parts if part)


@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def citizen_list(request):
    consultants = consultants_in(municipalities_for(request.user, CASEWORK_ROLES))
    if request.method == "POST":
        form = CitizenSearchForm(request.POST, consultants=consultants)
    else:
        # A consultant starts on their own caseload.
        form = CitizenSearchForm({"consultant": "mine"}, consultants=consultants)
    today = timezone.localdate()
    scope = citizens_for_user(request.user)
    citizens = with_hiring(form.filter(scope, request.user, today).select_related("consultant"), today)
    page = CappedPaginator(citizens, PAGE_SIZE).get_page(form.cleaned_data.get("page") if form.is_valid() else 1)
    page.object_list = list(page.object_list)
    for citizen in page.object_list:
        citizen.unemployment = unemployment_of(citizen, today)
    # The list says what its consultant filter hides ("Mine borgere" above all, where a
    # consultant starts): one COUNT more (capped, as the list's), only while such a filter is on.
    hidden, hidden_capped = form.hidden_by_consultant(scope, request.user, today, shown=page.paginator.count)
    consultant_filter = {
        "value": form.consultant_filter,
        "label": form.consultant_filter_label,
        "hidden": hidden,
        "hidden_capped": hidden_capped,
    }
    access_log_record(
        user=request.user, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose=Purpose.CASEWORK,
        citizens=page.object_list, query=_search_description(form, page),
    )
    cpr_searched = describe_search(form.data.get("q", "")) == CPR_SEARCH
    if cpr_searched:
        # The results stay; the number typed is not sent back into the page (nor kept in a
        # local variable, which an error report would show).
        form = CitizenSearchForm({**form.data.dict(), "q": ""}, consultants=consultants)
    # htmx swaps the results as the search changes; "Vis alle" swaps the whole form, whose
    # consultant filter changes with it.
    partial = request.htmx and request.htmx.target != "citizen-search"
    template = "citizens/list.html#results" if partial else "citizens/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "today": today, "cpr_searched": cpr_searched, "consultant_filter": consultant_filter},
    )


@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def citizen_create(request):
    municipalities = municipalities_for(request.user, CASEWORK_ROLES)
    form = CitizenForm(request.POST or None, municipalities=municipalities, initial={"consultant": request.user})
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "cpr"}
        try:
            citizen = services.citizen_create(user=request.user, cpr=form.cleaned_data["cpr"], **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Borgeren er oprettet."))
            if form.cpr_warning:
                messages.warning(request, form.cpr_warning)
            return redirect("citizens:detail", pk=citizen.pk)
    return render(request, "citizens/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def citizen_edit(request, pk):
    citizen = get_citizen_for_user(request.user, pk)
    if citizen.is_anonymised:
        # Nothing to edit: the page says why, without a form (a POST is refused, nothing saved).
        return render(
            request, "citizens/form.html", {"citizen": citizen, "read_only": ANONYMISED_READ_ONLY_MESSAGE},
            status=400 if request.method == "POST" else 200,
        )
    municipalities = municipalities_for(request.user, CASEWORK_ROLES)
    form = CitizenForm(request.POST or None, instance=citizen, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            services.citizen_update(user=request.user, form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("citizens:detail", pk=citizen.pk)
    # The form shows the citizen's personal data, as the record page does: the empty form and
    # the form sent back with its errors alike.
    services.citizen_record_view(user=request.user, citizen=citizen, purpose=services.PURPOSE_EDIT)
    return render(request, "citizens/form.html", {"form": form, "citizen": citizen})


def _detail_context(request, citizen, *, record=True, **extra):
    """The citizen's page; without `record` only what the journal's fragment shows."""
    today = timezone.localdate()
    # The placements with their next open follow-ups, and the unemployment while it lasts or,
    # once hired, whether the citizen was in the target group then: one query.
    placements, unemployment = record_placements(citizen, today) if record else (None, None)
    return {
        "citizen": citizen,
        "placements": placements,
        "unemployment": unemployment,
        "notes": citizen.notes.select_related("author"),
        "note_form": CaseNoteForm(),
        # An anonymised citizen is read-only: the page says so instead of offering the journal's form.
        "read_only": ANONYMISED_READ_ONLY_MESSAGE if citizen.is_anonymised else None,
        "purpose_form": PurposeForm(),
        "today": today,
        **extra,
    }


@require_http_methods(["GET"])
@role_required(*CASEWORK_ROLES)
def citizen_detail(request, pk):
    citizen = get_citizen_for_user(request.user, pk)
    services.citizen_record_view(user=request.user, citizen=citizen)
    return render(request, "citizens/detail.html", _detail_context(request, citizen))


@require_POST
@role_required(*CASEWORK_ROLES)
def citizen_reveal_cpr(request, pk):
    """The full CPR number, for a purpose the consultant chooses: without one (or with one
    too long) the number is not shown and no reveal is logged."""
    citizen = get_citizen_for_user(request.user, pk)
    form = PurposeForm(request.POST)
    if form.is_valid():
        try:
            cpr = services.citizen_reveal_cpr(user=request.user, citizen=citizen, purpose=form.purpose_text)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        if request.htmx:
            return render(request, "citizens/detail.html#cpr", {"citizen": citizen, "purpose_form": form})
        # The whole page again: a page view as any other.
        services.citizen_record_view(user=request.user, citizen=citizen)
        return render(request, "citizens/detail.html", _detail_context(request, citizen, purpose_form=form), status=400)
    if request.htmx:
        return render(request, "citizens/detail.html#cpr", {"citizen": citizen, "revealed_cpr": cpr})
    return render(request, "citizens/detail.html", _detail_context(request, citizen, revealed_cpr=cpr))


@require_POST
@role_required(*CASEWORK_ROLES)
def case_note_add(request, pk):
    citizen = get_citizen_for_user(request.user, pk)
    form = CaseNoteForm(request.POST)
    try:
        # An anonymised citizen's journal is closed, whatever was typed (the service checks
        # again under a lock).
        services.citizen_refuse_if_anonymised(citizen=citizen)
        if form.is_valid():
            # Its row (the note added) stands for the notes shown next, as a fragment or a page.
            services.case_note_add(user=request.user, citizen=citizen, text=form.cleaned_data["text"])
    except ValidationError as error:
        form.add_error(None, error)  # nothing is saved
    if not form.errors:
        if not request.htmx:
            messages.success(request, _("Notatet er tilføjet."))
            return redirect("citizens:detail", pk=citizen.pk)
        form = CaseNoteForm()
    else:
        # The notes shown again with the error, as a fragment or the whole page: a page view.
        services.citizen_record_view(user=request.user, citizen=citizen)
    context = _detail_context(request, citizen, record=not request.htmx, note_form=form)
    if request.htmx:
        return render(request, "citizens/detail.html#notes", context)
    return render(request, "citizens/detail.html", context, status=400)
