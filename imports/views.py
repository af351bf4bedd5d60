"""The import page: consultants upload a file of citizens or of placements and get a report
(counts, warnings, or every bad row with its line, column and reason)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import CASEWORK_ROLES, municipalities_for, role_required

from . import services
from .forms import CitizenImportForm, PlacementImportForm

TEMPLATE = "imports/index.html"


def _municipalities(user):
    return municipalities_for(user, CASEWORK_ROLES)


def _page(request, fragment, **context):
    if "citizen_form" not in context:
        context["citizen_form"] = CitizenImportForm()
    if "placement_form" not in context:
        context["placement_form"] = PlacementImportForm(municipalities=_municipalities(request.user))
    template = f"{TEMPLATE}#{fragment}" if request.htmx and fragment else TEMPLATE
    return render(request, template, context)


@require_GET
@role_required(*CASEWORK_ROLES)
def import_page(request):
    return _page(request, None)


@require_POST
@role_required(*CASEWORK_ROLES)
def citizens_upload(request):
    form = CitizenImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.citizens_import(
            user=request.user,
            source=upload,
            filename=upload.name,
            municipalities=_municipalities(request.user),
            dry_run=form.cleaned_data["dry_run"],
        )
    return _page(request, "citizens", citizen_form=form, citizen_report=report)


@require_POST
@role_required(*CASEWORK_ROLES)
def placements_upload(request):
    form = PlacementImportForm(request.POST, request.FILES, municipalities=_municipalities(request.user))
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.placements_import(
            user=request.user,
            source=upload,
            filename=upload.name,
            municipality=form.cleaned_data["municipality"],
            dry_run=form.cleaned_data["dry_run"],
        )
    return _page(request, "placements", placement_form=form, placement_report=report)
