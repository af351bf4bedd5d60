"""The manager's figures: progress toward the municipality's target, as a page and as JSON."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import FIGURES_ROLES, role_required

from .access import get_municipality_for_figures
from .counting import progress_for
from .forms import AsOfForm
from .models import Target


@require_GET
@role_required(*FIGURES_ROLES)
def dashboard(request):
    municipality = get_municipality_for_figures(request.user, request.GET.get("municipality"))
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_as_of()
    target = Target.objects.current_for(municipality, as_of)
    progress = progress_for(target, as_of) if target else None
    template = "progress/dashboard.html"
    if request.htmx:
        template += "#figures"
    return render(
        request,
        template,
        {"municipality": municipality, "target": target, "progress": progress, "form": form, "as_of": as_of},
    )


@require_GET
@role_required(*FIGURES_ROLES)
def progress_json(request):
    municipality = get_municipality_for_figures(request.user, request.GET.get("municipality"))
    form = AsOfForm({"as_of": request.GET.get("as_of", "")})
    if request.GET.get("as_of") and not form.is_valid():
        return JsonResponse({"error": "as_of must be a date, YYYY-MM-DD"}, status=400)
    as_of = form.cleaned_as_of()
    target = Target.objects.current_for(municipality, as_of)
    if target is None:
        raise Http404
    return JsonResponse({"municipality": municipality.code, **progress_for(target, as_of).as_json()})
