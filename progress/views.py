"""Progress toward the municipality's target: the dashboard, its exports and the JSON figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import FIGURES_ROLES, municipalities_for, role_required
from accounts.models import Role

from . import reports, services
from .access import get_municipality_for_figures, get_target_for_user, targets_for_user
from .dashboard import build_dashboard
from .forms import AsOfForm, TargetForm

LEADER_FIGURES_ROLES = (*FIGURES_ROLES, Role.LEADER)


def _dashboard_for(request, roles, stored=False):
    municipality, full_access = get_municipality_for_figures(request.user, request.GET.get("municipality"), roles)
    form = AsOfForm(request.GET or None)
    # Leaders see today's figures only: comparing two as-of dates would give exact counts
    # for the days between, however the figures of each date are masked.
    as_of = form.cleaned_as_of() if full_access else timezone.localdate()
    return build_dashboard(municipality, as_of, masked=not full_access, stored=stored), form


@require_GET
@vary_on_headers("HX-Request")
@role_required(*LEADER_FIGURES_ROLES)
def dashboard(request):
    data, form = _dashboard_for(request, LEADER_FIGURES_ROLES)
    # The as-of picker pushes its URL; going back restores the whole page, not the fragment.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "progress/dashboard.html#figures" if fragment else "progress/dashboard.html"
    municipalities = [] if fragment else list(municipalities_for(request.user, LEADER_FIGURES_ROLES))
    return render(request, template, {"d": data, "form": form, "municipalities": municipalities})


@require_GET
@role_required(*FIGURES_ROLES)
def progress_json(request):
    as_of_given = request.GET.get("as_of", "")
    form = AsOfForm({"as_of": as_of_given})
    if as_of_given and not form.is_valid():
        return JsonResponse({"error": "as_of must be a date, YYYY-MM-DD"}, status=400)
    municipality, _full = get_municipality_for_figures(request.user, request.GET.get("municipality"), FIGURES_ROLES)
    data = build_dashboard(municipality, form.cleaned_as_of(), masked=False, details=False)
    if data.progress is None:
        raise Http404
    return JsonResponse({**data.progress.as_json(), "municipality": municipality.code})


@require_GET
@role_required(*FIGURES_ROLES)
def export(request, fmt):
    data, _form = _dashboard_for(request, FIGURES_ROLES)
    if data.progress is None:
        raise Http404
    if fmt == "csv":
        return reports.placements_csv(data)
    return reports.placements_xlsx(data)


@require_GET
@role_required(*FIGURES_ROLES)
def status_report(request):
    # A day whose figures are stored gives the report as it was then (progress.models.Snapshot).
    data, _form = _dashboard_for(request, FIGURES_ROLES, stored=True)
    if data.progress is None:
        raise Http404
    pdf = reports.status_pdf(request, data)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reports.status_pdf_filename(data)}"'
    return response


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def target_list(request):
    targets = targets_for_user(request.user).select_related("municipality")
    return render(request, "progress/targets.html", {"targets": targets})


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def target_edit(request, pk=None):
    target = get_target_for_user(request.user, pk) if pk else None
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(form=form)
        except ValidationError as error:  # changed by a colleague between the check and the write
            form.add_error(None, error)
        else:
            messages.success(request, _("Målet er gemt."))
            return redirect("progress:targets")
    return render(request, "progress/target_form.html", {"form": form, "target": target})
