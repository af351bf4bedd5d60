"""Registering, changing and ending placements, from a citizen's or an employer's page, and
recording their follow-ups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import CASEWORK_ROLES, role_required
from citizens.access import get_citizen_for_user
from citizens.models import ANONYMISED_READ_ONLY_MESSAGE
from citizens.services import citizen_refuse_if_anonymised
from core.choosers import chooser_search_requested
from employers.access import get_employer_for_user

from . import services
from .access import get_follow_up_for_user, get_placement_for_user
from .forms import FollowUpForm, PlacementEndForm, PlacementForm
from .models import FollowUp


def _read_only(citizen):
    """Why nothing about the citizen can be written (anonymised), or None."""
    return ANONYMISED_READ_ONLY_MESSAGE if citizen.is_anonymised else None


def _refused(request, template, context):
    """The form's page without a form, saying why (an anonymised citizen): a GET shows it, a
    POST is refused with it (400) and nothing is saved."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _fields(form):
    return {k: v for k, v in form.cleaned_data.items() if k in form._meta.fields and k != "employer"}


def _create(request, form, back_url, citizen=None, employer=None):
    # The employer chooser's "Søg" without JavaScript: the form again, with the results.
    if request.method == "POST" and not chooser_search_requested(form) and form.is_valid():
        try:
            placement = services.placement_create(
                user=request.user,
                citizen=form.citizen,
                employer=form.employer or form.cleaned_data["employer"],
                **_fields(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ansættelsen er registreret."))
            return redirect("placements:detail", pk=placement.pk)
    if citizen is not None:
        # The form names the citizen, the empty form and the form sent back with its errors
        # alike (from the employer's page it names none: no row there).
        services.placement_page_view(user=request.user, citizen=citizen)
    return render(
        request,
        "placements/form.html",
        {"form": form, "citizen": citizen, "employer": employer, "back_url": back_url},
    )


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def placement_create_for_citizen(request, citizen_pk):
    citizen = get_citizen_for_user(request.user, citizen_pk)
    if citizen.is_anonymised:
        return _refused(
            request, "placements/form.html",
            {"citizen": citizen, "back_url": citizen_url(citizen), "read_only": _read_only(citizen)},
        )
    form = PlacementForm(
        request.POST or None, citizen=citizen,
        openings_url=reverse("placements:openings_for_citizen", args=[citizen.pk]),
    )
    return _create(request, form, citizen_url(citizen), citizen=citizen)


@require_GET
@role_required(*CASEWORK_ROLES)
def openings_for_citizen(request, citizen_pk):
    """The opening field of the placement form on a citizen's page, for the employer chosen in
    it: htmx swaps it in when the employer changes."""
    citizen = get_citizen_for_user(request.user, citizen_pk)
    return _opening_field(request, citizen=citizen)


@require_GET
@role_required(*CASEWORK_ROLES)
def openings_for_placement(request, pk):
    """The opening field of a placement's edit form, for the employer chosen in it."""
    placement = get_placement_for_user(request.user, pk)
    return _opening_field(request, instance=placement)


def _opening_field(request, **form_kwargs):
    """The form's opening field for `?employer=` (none: the placement's, or none chosen), with
    the value the form was opened with (`?initial-opening=`, an edit form's). An employer that
    is not one of the form's municipality is not found: nothing of it is shown. No page view
    to log: the field names no citizen."""
    initial = {}
    if "employer" in request.GET:
        initial["employer"] = request.GET["employer"]
    if "initial-opening" in request.GET:
        initial["opening"] = request.GET["initial-opening"]
    form = PlacementForm(initial=initial, **form_kwargs)
    if initial.get("employer"):
        employer_id = form.chosen_employer_id()
        if employer_id is None or not form.fields["employer"].queryset.filter(pk=employer_id).exists():
            raise Http404
    return render(request, "placements/form.html#opening", {"form": form})


@sensitive_post_parameters("citizen_cpr")
@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def placement_create_for_employer(request, employer_pk):
    employer = get_employer_for_user(request.user, employer_pk)
    form = PlacementForm(request.POST or None, employer=employer)
    return _create(request, form, employer_url(employer), employer=employer)


def citizen_url(citizen):
    return reverse("citizens:detail", args=[citizen.pk])


def employer_url(employer):
    return reverse("employers:detail", args=[employer.pk])


def _detail(request, placement, end_form, status=200):
    """The placement's page, with its follow-ups (planned, overdue, recorded): a page view."""
    services.placement_page_view(user=request.user, citizen=placement.citizen)
    follow_ups = FollowUp.objects.filter(placement=placement).select_related("done_by")
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement, "end_form": end_form, "follow_ups": follow_ups,
            "read_only": _read_only(placement.citizen),
        },
        status=status,
    )


@require_GET
@role_required(*CASEWORK_ROLES)
def placement_detail(request, pk):
    placement = get_placement_for_user(request.user, pk)
    return _detail(request, placement, PlacementEndForm(placement=placement))


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def placement_edit(request, pk):
    placement = get_placement_for_user(request.user, pk)
    if placement.citizen.is_anonymised:
        return _refused(
            request, "placements/form.html",
            {"placement": placement, "back_url": citizen_url(placement.citizen), "read_only": _read_only(placement.citizen)},
        )
    form = PlacementForm(
        request.POST or None, instance=placement,
        openings_url=reverse("placements:openings_for_placement", args=[placement.pk]),
    )
    if request.method == "POST" and not chooser_search_requested(form) and form.is_valid():
        try:
            services.placement_update(user=request.user, form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("placements:detail", pk=placement.pk)
    # The form shows the placement, the empty form and the form sent back with its errors alike.
    services.placement_page_view(user=request.user, citizen=placement.citizen)
    return render(
        request,
        "placements/form.html",
        {"form": form, "placement": placement, "back_url": citizen_url(placement.citizen)},
    )


@require_http_methods(["POST"])
@role_required(*CASEWORK_ROLES)
def placement_end(request, pk):
    placement = get_placement_for_user(request.user, pk)
    form = PlacementEndForm(request.POST, placement=placement)
    try:
        # An anonymised citizen's placement is not changed, whatever was sent (the service
        # checks again under a lock).
        citizen_refuse_if_anonymised(citizen=placement.citizen)
        if form.is_valid():
            services.placement_end(user=request.user, placement=placement, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)  # nothing is saved
    if not form.errors:
        messages.success(request, _("Ansættelsen er afsluttet."))
        return redirect("placements:detail", pk=placement.pk)
    # The placement's page again, with the error: a page view as any other.
    return _detail(request, placement, form, status=400)


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def followup_record(request, pk, follow_up_pk):
    """A follow-up's page: the form to record it, or, once recorded, what was recorded, with
    the next step the outcome calls for (end the placement, or correct its hours)."""
    follow_up = get_follow_up_for_user(request.user, pk, follow_up_pk)
    placement = follow_up.placement
    # Bound on every POST, an empty one included: it is told what is missing.
    form = FollowUpForm(request.POST if request.method == "POST" else None, follow_up=follow_up)
    if request.method == "POST":
        try:
            # Nothing is recorded about an anonymised citizen, whatever was sent (the service
            # checks again under a lock).
            citizen_refuse_if_anonymised(citizen=placement.citizen)
            if form.is_valid():
                services.followup_record(user=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # nothing is saved
        if not form.errors:
            messages.success(request, _("Opfølgningen er registreret."))
            return redirect("placements:followup_record", pk=placement.pk, follow_up_pk=follow_up.pk)
    end_form = None
    read_only = _read_only(placement.citizen)
    if follow_up.outcome == FollowUp.Outcome.ENDED and placement.end_date is None and not read_only:
        # The end form, dated the day the follow-up found the job ended: the consultant checks and sends it.
        end_form = PlacementEndForm(placement=placement, initial={"end_date": follow_up.done_on})
    services.followup_page_view(user=request.user, citizen=placement.citizen)
    return render(
        request,
        "placements/followup.html",
        {"follow_up": follow_up, "placement": placement, "form": form, "end_form": end_form, "read_only": read_only},
        status=400 if form.errors else 200,
    )
