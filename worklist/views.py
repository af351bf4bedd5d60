"""The consultant's daily loop: "Mine opgaver" (the start page), marking an item done or
snoozing it, and the team's counts and overdue items for the jobcenter's managers."""

from core import dates
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from accounts.access import CASEWORK_ROLES, municipalities_for, role_required
from accounts.models import Role
from audit.models import AccessLog, Purpose
from audit.services import access_log_record

from . import selectors, services
from .forms import KEY_MESSAGE, DoneForm, SnoozeForm, TeamOverdueForm

TEAM_ROLES = (Role.MANAGER, Role.ADMIN)


def _context(today, **extra):
    return {
        "today": today,
        "snooze_min": today + timedelta(days=1),
        "snooze_max": today + timedelta(days=services.SNOOZE_MAX_DAYS),
        **extra,
    }


def _log(request, sections):
    """The page names citizens: one row, for the follow-up, with the citizens shown."""
    access_log_record(
        user=request.user, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose=Purpose.FOLLOW_UP,
        citizens=selectors.citizens_shown(sections),
    )


def _page_links(sections, query):
    """Each section's previous and next page, the other sections' pages kept."""
    for section in sections:
        section.previous_query, section.next_query = _turn(query, section.name, section.page)
    return sections


@require_GET
@role_required(*CASEWORK_ROLES)
def mine(request):
    today = timezone.localdate()
    pages = {source.name: request.GET.get(source.name) for source in selectors.SOURCES}
    sections = _page_links(selectors.worklist_for(request.user, today, pages), request.GET)
    _log(request, sections)
    return render(request, "worklist/mine.html", _context(today, sections=sections))


def _respond(request, form, *, failed=None, message=None):
    """After a mark: the item's section again, as an htmx fragment (with the bell, whose count
    may have dropped) or, without JavaScript, a redirect to the page (or the page with the
    form's errors)."""
    source = selectors.SOURCE_OF_KIND[form.cleaned_data["kind"]]
    page = form.cleaned_data.get("page")
    if failed is None and not request.htmx:
        messages.success(request, message)
        query = f"?{source.name}={page}" if page else ""
        return redirect(f"{reverse('worklist:mine')}{query}#section-{source.name}")
    today = timezone.localdate()
    context = _context(today, message=message, acted=source.name)
    if failed is not None:
        context.update(failed=failed, failed_section=source.name, failed_key=_key(form.cleaned_data), failed_action=form.action)
    if request.htmx:
        section = selectors.section_for(source, request.user, today, page)
        _log(request, [section])
        return render(request, "worklist/mine.html#swap", {**context, "section": _page_links([section], QueryDict())[0]})
    pages = {name: request.GET.get(name) for name in selectors.SOURCE_NAMED}
    pages[source.name] = page
    sections = _page_links(selectors.worklist_for(request.user, today, pages), request.GET)
    _log(request, sections)
    return render(request, "worklist/mine.html", {**context, "sections": sections}, status=400)


def _key(data):
    return f"{data['kind']}-{data['object_id']}-{data['due_on']:%Y%m%d}"


def _act(request, form, action, message):
    if not form.key_valid:
        # A key no page of ours sends: nothing to show the errors beside.
        messages.error(request, KEY_MESSAGE)
        return HttpResponseClientRefresh() if request.htmx else redirect("worklist:mine")
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _respond(request, form, message=message(result))
    return _respond(request, form, failed=form)


@require_POST
@role_required(*CASEWORK_ROLES)
def done(request):
    form = DoneForm(request.POST)
    return _act(
        request, form,
        lambda data: services.mark_done(
            user=request.user, kind=data["kind"], object_id=data["object_id"], due_on=data["due_on"],
            reason=data["reason"],
        ),
        lambda mark: _("Opgaven er markeret som udført."),
    )


@require_POST
@role_required(*CASEWORK_ROLES)
def snooze(request):
    form = SnoozeForm(request.POST)
    return _act(
        request, form,
        lambda data: services.mark_snooze(
            user=request.user, kind=data["kind"], object_id=data["object_id"], due_on=data["due_on"],
            until=data["until"], reason=data["reason"],
        ),
        lambda mark: _("Opgaven er udsat til %(day)s.") % {"day": dates.day_long(mark.until)},
    )


def _turn(query, name, page):
    """The query strings of the page before and after `page` (None where there is none), by
    the parameter `name`, the page's other parameters kept."""
    links = []
    for number in (page.previous_page_number() if page.has_previous() else None,
                   page.next_page_number() if page.has_next() else None):
        params = query.copy()
        params[name] = number
        links.append(None if number is None else f"?{params.urlencode()}")
    return links


@require_GET
@vary_on_headers("HX-Request")
@role_required(*TEAM_ROLES)
def team(request):
    """The team's counts per consultant, and the overdue items (as htmx asks: the list only).
    No citizen is named here: a manager follows the work, not the cases (SPEC: managers see
    no case notes)."""
    municipalities = list(municipalities_for(request.user, TEAM_ROLES).order_by("code"))
    code = request.GET.get("municipality", "")
    municipality = next((m for m in municipalities if str(m.code) == code), None) if code else (
        municipalities[0] if municipalities else None
    )
    if municipality is None:
        raise Http404
    today = timezone.localdate()
    consultants = list(selectors.team_consultants(municipality))
    form = TeamOverdueForm(request.GET, consultants=consultants)
    chosen = form.chosen()
    overdue = selectors.team_overdue(
        municipality, today, consultants, consultant=chosen, page_number=request.GET.get("overdue_page")
    )
    previous, following = _turn(request.GET, "overdue_page", overdue)
    context = {
        "municipality": municipality, "form": form, "chosen": chosen, "today": today,
        "overdue": overdue, "overdue_previous": previous, "overdue_next": following,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "worklist/team.html#overdue", context)
    page, unassigned = selectors.team_for(municipality, today, request.GET.get("page"), consultants=consultants)
    return render(request, "worklist/team.html", {
        **context,
        "municipalities": municipalities,
        "page": page,
        "unassigned": unassigned,
        "week_end": selectors.week_end(today),
    })
