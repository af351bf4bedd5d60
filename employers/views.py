"""Consultants' employer register and openings; a business leader's own company page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.access import CASEWORK_ROLES, municipalities_for, role_required
from accounts.models import Role
from core.choosers import chooser_response, record_id
from core.edits import StaleEdit
from core.pagination import CappedPaginator

from . import services
from .access import employers_for_user, get_employer_for_user, get_opening_for_user, led_employers_for_user
from .choosers import EmployerChooserField
from .forms import ContactFormSet, EmployerForm, EmployerSearchForm, OpeningForm
from .models import Employer

PAGE_SIZE = 25


def _count(relation, **filters):
    """How many rows of a reverse relation (`openings`, `placements`) each employer has, as a
    subquery: two counts over joins in one query would multiply each other's rows."""
    related = Employer._meta.get_field(relation).related_model
    counts = (
        related.objects.filter(employer=OuterRef("pk"), **filters)
        .order_by()
        .values("employer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@require_GET
@vary_on_headers("HX-Request")
@role_required(*CASEWORK_ROLES)
def employer_list(request):
    form = EmployerSearchForm(request.GET)
    employers = form.filter(employers_for_user(request.user)).annotate(
        open_positions=_count("openings", is_open=True),
    ).order_by(*form.ordering())
    page = CappedPaginator(employers, PAGE_SIZE).get_page(form.cleaned_data.get("page") if form.is_valid() else 1)
    # The URL is pushed to history, so going back may ask again for it: that needs the page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "employers/list.html#results" if fragment else "employers/list.html"
    return render(request, template, {"form": form, "page": page})


@require_GET
@role_required(*CASEWORK_ROLES)
def employer_choose(request):
    """The employers that match what was typed into a form's employer chooser (htmx; see
    core.choosers.chooser_response), among the user's own, in one municipality with
    `?municipality=` (a placement's)."""
    employers = employers_for_user(request.user)
    if "municipality" in request.GET:
        employers = employers.filter(municipality_id=record_id(request.GET["municipality"]) or 0)
    return chooser_response(request, EmployerChooserField(queryset=employers))


def _employer_form(request, employer=None):
    municipalities = municipalities_for(request.user, CASEWORK_ROLES)
    form = EmployerForm(request.POST or None, instance=employer, municipalities=municipalities)
    contacts = ContactFormSet(request.POST or None, instance=employer, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            employer = services.employer_save(form=form, contacts=contacts)
        except StaleEdit as error:
            # A field this user changed, of the employer or a contact person, was changed by a
            # colleague meanwhile: nothing is saved, and the form says which.
            error.form.add_error(None, error)
        except ValidationError as error:  # deleted by a colleague meanwhile
            form.add_error(None, error)
        else:
            messages.success(request, _("Virksomheden er gemt."))
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/form.html", {"form": form, "contacts": contacts, "employer": employer})


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def employer_create(request):
    return _employer_form(request)


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def employer_edit(request, pk):
    return _employer_form(request, get_employer_for_user(request.user, pk))


@require_GET
@role_required(*CASEWORK_ROLES)
def employer_detail(request, pk):
    employer = get_employer_for_user(request.user, pk)
    placements = list(employer.placements.select_related("citizen").order_by("-start_date", "-pk"))
    services.employer_record_view(user=request.user, employer=employer, citizens=[p.citizen for p in placements])
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "contacts": employer.contacts.all(),
            "openings": employer.openings.annotate(filled=Count("placements")).prefetch_related("catalogue_tasks").order_by("-created_at", "-pk"),
            "placements": placements,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def opening_create(request, pk):
    employer = get_employer_for_user(request.user, pk)
    form = OpeningForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        services.opening_create(form=form, employer=employer)
        messages.success(request, _("Stillingsopslaget er oprettet."))
        return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/opening_form.html", {"form": form, "employer": employer})


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def opening_edit(request, pk):
    opening = get_opening_for_user(request.user, pk)
    form = OpeningForm(request.POST or None, instance=opening)
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_update(form=form)
        except ValidationError as error:  # changed by a colleague between the check and the write
            form.add_error(None, error)
        else:
            messages.success(request, _("Stillingsopslaget er gemt."))
            return redirect("employers:detail", pk=opening.employer_id)
    return render(request, "employers/opening_form.html", {"form": form, "employer": opening.employer, "opening": opening})


@require_GET
@role_required(Role.LEADER)
def my_company(request):
    """A business leader's start page: their company and its openings, no personal data."""
    employers = led_employers_for_user(request.user).prefetch_related("openings__catalogue_tasks")
    return render(request, "employers/mine.html", {"employers": employers})
