"""Registering, changing and ending placements, from a citizen's or an employer's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import CASEWORK_ROLES, role_required
from citizens.access import get_citizen_for_user
from employers.access import get_employer_for_user

from . import services
from .access import get_placement_for_user
from .forms import PlacementEndForm, PlacementForm


def _fields(form):
    return {k: v for k, v in form.cleaned_data.items() if k in form._meta.fields and k != "employer"}


def _create(request, form, back_url, citizen=None, employer=None):
    if request.method == "POST" and form.is_valid():
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
    form = PlacementForm(request.POST or None, citizen=citizen)
    return _create(request, form, citizen_url(citizen), citizen=citizen)


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


@require_GET
@role_required(*CASEWORK_ROLES)
def placement_detail(request, pk):
    placement = get_placement_for_user(request.user, pk)
    services.placement_page_view(user=request.user, citizen=placement.citizen)
    return render(
        request,
        "placements/detail.html",
        {"placement": placement, "end_form": PlacementEndForm(placement=placement)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def placement_edit(request, pk):
    placement = get_placement_for_user(request.user, pk)
    form = PlacementForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
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
    if form.is_valid():
        try:
            services.placement_end(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ansættelsen er afsluttet."))
            return redirect("placements:detail", pk=placement.pk)
    # The placement's page again, with the error: a page view as any other.
    services.placement_page_view(user=request.user, citizen=placement.citizen)
    return render(request, "placements/detail.html", {"placement": placement, "end_form": form}, status=400)
