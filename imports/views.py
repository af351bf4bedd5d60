"""The import page: consultants upload a file of citizens or of placements, a worker imports
it, and the job's page shows its progress and then the report (counts, warnings, or every
bad row with its line, column and reason)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import CASEWORK_ROLES, municipalities_for, role_required

from . import services
from .access import get_job_for_user, jobs_for_user
from .forms import CitizenImportForm, PlacementImportForm
from .models import ImportJob

TEMPLATE = "imports/index.html"
JOB_TEMPLATE = "imports/job.html"
# The uploader's latest jobs listed on the import page.
RECENT_JOBS = 5


def _municipalities(user):
    return municipalities_for(user, CASEWORK_ROLES)


def _page(request, fragment, **context):
    if "citizen_form" not in context:
        # The importer is the citizens' consultant unless they choose another.
        context["citizen_form"] = CitizenImportForm(
            municipalities=_municipalities(request.user), initial={"consultant": request.user.pk}
        )
    if "placement_form" not in context:
        context["placement_form"] = PlacementImportForm(municipalities=_municipalities(request.user))
    if request.htmx and fragment:
        return render(request, f"{TEMPLATE}#{fragment}", context)
    context["recent_jobs"] = jobs_for_user(request.user)[:RECENT_JOBS]
    return render(request, TEMPLATE, context)


def _to_job(request, job):
    """POST/redirect/GET to the job's page; htmx, which posted the form, is told to go there."""
    url = reverse("imports:job", args=[job.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@role_required(*CASEWORK_ROLES)
def import_page(request):
    return _page(request, None)


@require_POST
@role_required(*CASEWORK_ROLES)
def citizens_upload(request):
    form = CitizenImportForm(request.POST, request.FILES, municipalities=_municipalities(request.user))
    if not form.is_valid():
        return _page(request, "citizens", citizen_form=form)
    job = services.import_job_create(
        user=request.user,
        kind=ImportJob.Kind.CITIZENS,
        upload=form.cleaned_data["file"],
        consultant=form.cleaned_data["consultant"],
        dry_run=form.cleaned_data["dry_run"],
    )
    return _to_job(request, job)


@require_POST
@role_required(*CASEWORK_ROLES)
def placements_upload(request):
    form = PlacementImportForm(request.POST, request.FILES, municipalities=_municipalities(request.user))
    if not form.is_valid():
        return _page(request, "placements", placement_form=form)
    job = services.import_job_create(
        user=request.user,
        kind=ImportJob.Kind.PLACEMENTS,
        upload=form.cleaned_data["file"],
        municipality=form.cleaned_data["municipality"],
        dry_run=form.cleaned_data["dry_run"],
    )
    return _to_job(request, job)


@require_GET
@role_required(*CASEWORK_ROLES)
def job_page(request, pk):
    """The job's progress while it runs (htmx asks for the #job region every second), then
    its report."""
    job = get_job_for_user(request.user, pk)
    template = f"{JOB_TEMPLATE}#job" if request.htmx else JOB_TEMPLATE
    return render(request, template, {"job": job, "report": job.report_object()})
