"""Project-wide views (the start page each role lands on, the health check) and the
task-force workspace: members, workshops, vision, solutions and ranking, the action plan
with contributions and pledges, and anonymised candidate profiles."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import municipality_ids_for, user_roles
from accounts.models import Role
from progress.dashboard import HIDDEN, build_dashboard, shown_unit
from progress.counting import counted_placements, shown_to_leader

from . import reports, services
from .access import (
    can_facilitate,
    can_invite,
    candidate_token_for_pk,
    candidates_for_task_force,
    get_candidate_for_user,
    get_object_in,
    get_task_force_for_user,
    may_handle_requests,
    may_open_citizen_records,
    may_see_candidates,
    member_for,
    require_facilitator,
    require_member,
    sees_exact_figures,
    task_forces_for_user,
)
from .forms import (
    AcceptInvitationForm,
    ActionForm,
    ActionStatusForm,
    AdoptVisionForm,
    CommentForm,
    ContributionForm,
    InvitationForm,
    MeetingRequestForm,
    PledgeForm,
    RoundForm,
    ScoreForm,
    SolutionForm,
    VisionForm,
    WorkshopForm,
)
from .ics import workshop_ics
from .models import (
    Action,
    Attendance,
    Invitation,
    MeetingRequest,
    Pledge,
    RankingRound,
    Score,
    Solution,
    VisionVersion,
    Workshop,
)

CANDIDATES_PER_PAGE = 25


@require_GET
def home(request):
    """Send each role to its own start page."""
    roles = user_roles(request.user)
    if Role.CONSULTANT in roles:
        return redirect("citizens:list")
    if Role.MANAGER in roles or Role.ADMIN in roles:
        return redirect("progress:dashboard")
    # Leaders in a task force, and outside facilitators who hold no municipal role, work
    # in the task-force workspace.
    if task_forces_for_user(request.user).exists():
        return redirect("taskforce:list")
    if Role.LEADER in roles:
        return redirect("employers:mine")
    return redirect("accounts:no_role")


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception:
        return "down"


def _check_redis():
    if not settings.REDIS_URL:
        return None
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return "ok"
    except Exception:
        return "down"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database()}
    redis_state = _check_redis()
    if redis_state is not None:
        checks["redis"] = redis_state
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )


# --- Workspace ------------------------------------------------------------------------------


def _ws(request, pk):
    """The task force, the user's membership (or None) and whether they facilitate."""
    task_force = get_task_force_for_user(request.user, pk)
    member = member_for(request.user, task_force)
    return task_force, member, can_facilitate(request.user, task_force, member)


def _render(request, template, task_force, member, facilitator, context, status=200):
    return render(
        request,
        template,
        {"tf": task_force, "member": member, "facilitator": facilitator, "today": timezone.localdate(),
         "candidates_tab": member is not None or facilitator,
         "requests_tab": may_handle_requests(request.user, task_force, member), **context},
        status=status,
    )


@require_GET
def task_force_list(request):
    task_forces = list(task_forces_for_user(request.user).select_related("municipality"))
    if len(task_forces) == 1:
        return redirect("taskforce:home", pk=task_forces[0].pk)
    return render(request, "taskforce/list.html", {"task_forces": task_forces})


def _task_force_pledges(task_force):
    return services.pledges_with_path(Pledge.objects.filter(action__task_force=task_force))


@require_GET
def workspace_home(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    today = timezone.localdate()
    vision = task_force.vision_versions.filter(adopted=True).select_related("adopted_at_workshop").first()
    upcoming = task_force.workshops.filter(ends_at__gte=timezone.now())[:3]
    actions = list(_actions(task_force).exclude(status__in=[Action.Status.DONE, Action.Status.STOPPED]))
    dashboard = build_dashboard(task_force.municipality, today, masked=True, details=False)
    # Leaders and outside facilitators see aggregated figures only (progress.dashboard).
    masked = not sees_exact_figures(request.user, task_force)
    pledges = list(_task_force_pledges(task_force))
    path = services.pledge_path(pledges, masked=masked)
    new_flex_jobs = contribution = None
    if dashboard.target is not None:
        total = dashboard.progress.new_flex_jobs
        filled = counted_placements(dashboard.target, today).filter(opening__pledge__action__task_force=task_force).count()
        new_flex_jobs, contribution = total, filled
        if masked:
            new_flex_jobs = shown_to_leader(total)
            # The contribution and the rest of the municipality's new flex jobs are one unit;
            # beside an exact pledge path, the jobs filled outside the count are one more figure.
            derived = [total - filled] + ([path.filled - filled] if path.filled != HIDDEN else [])
            contribution = shown_unit({"contribution": filled}, derived)["contribution"]
    return _render(request, "taskforce/home.html", task_force, member, facilitator, {
        "vision": vision,
        "upcoming": upcoming,
        "actions": actions,
        "overdue": [a for a in actions if a.is_overdue(today)],
        "path": path,
        "masked": masked,
        "dashboard": dashboard,
        "new_flex_jobs": new_flex_jobs,
        "contribution": contribution,
        "figures_link": not masked or task_force.municipality_id in municipality_ids_for(request.user, (Role.LEADER,)),
        "employer": member.employer if member else None,
        "openings": member.employer.openings.all() if member and member.employer else [],
    })


@require_http_methods(["GET", "POST"])
def members(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    may_invite = can_invite(request.user, task_force)
    if request.method == "POST" and not may_invite:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, task_force=task_force) if may_invite else None
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            invitation=form.save(commit=False), task_force=task_force, invited_by=request.user,
            base_url=services.base_url(request),
        )
        messages.success(request, _("Invitationen er sendt til %(email)s.") % {"email": invitation.email})
        return redirect("taskforce:members", pk=task_force.pk)
    return _render(request, "taskforce/members.html", task_force, member, facilitator, {
        "members": task_force.members.select_related("user", "employer"),
        "invitations": task_force.invitations.filter(accepted_at__isnull=True) if may_invite else [],
        "form": form,
    })


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("task_force", "employer"), token=token)
    if not invitation.is_usable():
        return render(request, "taskforce/invitation_used.html", status=410)
    form = AcceptInvitationForm(
        request.POST or None, invitation=invitation, initial={"username": invitation.email.split("@")[0]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.invitation_accept(
                invitation=invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Velkommen til %(name)s.") % {"name": invitation.task_force.name})
            return redirect("taskforce:home", pk=invitation.task_force_id)
    return render(request, "taskforce/accept_invitation.html", {"form": form, "invitation": invitation})


# Workshops

@require_http_methods(["GET", "POST"])
def workshops(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    form = WorkshopForm(request.POST or None) if facilitator else None
    if request.method == "POST":
        require_facilitator(request.user, task_force, member)
        if form.is_valid():
            workshop = form.save(commit=False)
            workshop.task_force = task_force
            workshop.save()
            messages.success(request, _("Workshoppen er oprettet."))
            return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    now = timezone.now()
    all_workshops = task_force.workshops.annotate(
        registered=Count("attendances", filter=Q(attendances__registered=True)),
        attended=Count("attendances", filter=Q(attendances__attended=True)),
    ).order_by("starts_at", "pk")
    return _render(request, "taskforce/workshops.html", task_force, member, facilitator, {
        "upcoming": [w for w in all_workshops if w.ends_at >= now],
        "past": sorted((w for w in all_workshops if w.ends_at < now), key=lambda w: w.starts_at, reverse=True),
        "form": form,
    })


@require_http_methods(["GET", "POST"])
def workshop_detail(request, pk, workshop_pk):
    task_force, member, facilitator = _ws(request, pk)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    form = WorkshopForm(request.POST or None, instance=workshop) if facilitator else None
    if request.method == "POST":
        require_facilitator(request.user, task_force, member)
        if form.is_valid():
            form.save()
            messages.success(request, _("Workshoppen er gemt."))
            return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    attendance = {a.member_id: a for a in workshop.attendances.all()}
    rows = [(m, attendance.get(m.pk)) for m in task_force.members.select_related("user", "employer")]
    return _render(request, "taskforce/workshop.html", task_force, member, facilitator, {
        "workshop": workshop, "rows": rows, "form": form,
        "my_attendance": attendance.get(member.pk) if member else None,
    })


@require_POST
def workshop_register(request, pk, workshop_pk):
    task_force, member, _f = _ws(request, pk)
    member = require_member(request.user, task_force)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    if workshop.is_past:
        messages.error(request, _("Workshoppen er afholdt, så tilmeldingen er lukket."))
        return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    register = request.POST.get("register") == "1"
    Attendance.objects.update_or_create(workshop=workshop, member=member, defaults={"registered": register})
    messages.success(request, _("Du er tilmeldt.") if register else _("Du er afmeldt."))
    return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)


@require_POST
def workshop_attendance(request, pk, workshop_pk):
    task_force, member, _f = _ws(request, pk)
    require_facilitator(request.user, task_force, member)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    if not workshop.has_started:
        messages.error(request, _("Fremmødet kan først registreres, når workshoppen er begyndt."))
        return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    present = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    services.attendance_record(workshop=workshop, present_member_ids=present)
    messages.success(request, _("Fremmødet er gemt."))
    return redirect("taskforce:workshop", pk=task_force.pk, workshop_pk=workshop.pk)


@require_GET
def workshop_calendar(request, pk, workshop_pk):
    task_force, _m, _f = _ws(request, pk)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    response = HttpResponse(workshop_ics(workshop, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response


# Vision

@require_http_methods(["GET", "POST"])
def vision(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    form = VisionForm(request.POST or None, initial={"text": (task_force.vision_versions.first() or VisionVersion()).text})
    if request.method == "POST":
        member = require_member(request.user, task_force)
        if form.is_valid():
            version = form.save(commit=False)
            version.task_force, version.author = task_force, member
            version.save()
            messages.success(request, _("Dit udkast til visionen er gemt som en ny version."))
            return redirect("taskforce:vision", pk=task_force.pk)
    versions = list(task_force.vision_versions.select_related("author__user", "adopted_at_workshop"))
    adopt_forms = {}
    if facilitator:
        workshops = list(task_force.workshops.order_by("-starts_at"))
        adopt_forms = {
            v.pk: AdoptVisionForm(workshops=workshops, auto_id=f"id_v{v.pk}_%s") for v in versions if not v.adopted
        }
    return _render(request, "taskforce/vision.html", task_force, member, facilitator, {
        "versions": [(v, adopt_forms.get(v.pk)) for v in versions],
        "form": form,
    })


@require_POST
def vision_adopt(request, pk, version_pk):
    task_force, member, _f = _ws(request, pk)
    require_facilitator(request.user, task_force, member)
    version = get_object_in(task_force, VisionVersion, version_pk)
    form = AdoptVisionForm(request.POST, workshops=task_force.workshops.all())
    if not form.is_valid():
        messages.error(request, _("Visionen er ikke vedtaget: vælg en af task forcens workshops, eller ingen."))
        return redirect("taskforce:vision", pk=task_force.pk)
    services.vision_adopt(version=version, workshop=form.cleaned_data["workshop"])
    messages.success(request, _("Visionen er vedtaget."))
    return redirect("taskforce:vision", pk=task_force.pk)


# Solutions and ranking

@require_http_methods(["GET", "POST"])
def solutions(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    form = SolutionForm(request.POST or None, task_force=task_force)
    if request.method == "POST":
        member = require_member(request.user, task_force)
        if form.is_valid():
            solution = form.save(commit=False)
            solution.task_force, solution.proposed_by = task_force, member
            solution.save()
            messages.success(request, _("Løsningen er foreslået."))
            return redirect("taskforce:solution", pk=task_force.pk, solution_pk=solution.pk)
    items = task_force.solutions.select_related("proposed_by__user", "target").annotate(comment_count=Count("comments")).order_by("-created_at", "-pk")
    return _render(request, "taskforce/solutions.html", task_force, member, facilitator, {"solutions": items, "form": form})


@require_http_methods(["GET", "POST"])
def solution_detail(request, pk, solution_pk):
    task_force, member, facilitator = _ws(request, pk)
    solution = get_object_in(task_force, Solution, solution_pk, select=["proposed_by__user", "target"])
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        member = require_member(request.user, task_force)
        if form.is_valid():
            comment = form.save(commit=False)
            comment.solution, comment.author = solution, member
            comment.save()
            return redirect("taskforce:solution", pk=task_force.pk, solution_pk=solution.pk)
    return _render(request, "taskforce/solution.html", task_force, member, facilitator, {
        "solution": solution,
        "comments": solution.comments.select_related("author__user"),
        "actions": solution.actions.select_related("owner__user"),
        "form": form,
    })


def _ranking_context(task_force, member, round):
    ranked = services.ranking_for(round) if round else []
    mine = {}
    if round and member:
        mine = {s.solution_id: s for s in Score.objects.filter(round=round, member=member)}
    rows = [(r, mine.get(r.solution.pk)) for r in ranked]
    spent = sum(s.dots for s in mine.values())
    return {
        "round": round,
        "rows": rows,
        "board": services.board_for(ranked),
        "dots_left": (round.dot_budget - spent) if round else 0,
        "rounds": task_force.rounds.all(),
    }


@require_GET
def ranking(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    round_pk = request.GET.get("round")
    rounds = task_force.rounds.all()
    round = get_object_or_404(rounds, pk=round_pk) if round_pk and round_pk.isdigit() else rounds.first()
    context = _ranking_context(task_force, member, round)
    context["round_form"] = RoundForm(initial={"dot_budget": 5}) if facilitator else None
    template = "taskforce/ranking.html#ranking" if request.htmx else "taskforce/ranking.html"
    return _render(request, template, task_force, member, facilitator, context)


@require_POST
def score(request, pk, round_pk, solution_pk):
    task_force, member, facilitator = _ws(request, pk)
    member = require_member(request.user, task_force)
    round = get_object_in(task_force, RankingRound, round_pk)
    solution = get_object_in(task_force, Solution, solution_pk)
    form = ScoreForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.score_save(round=round, member=member, solution=solution, **form.cleaned_data)
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = _("Giv effekt og indsats en værdi fra 1 til 5 og et ikke-negativt antal prikker.")
    if request.htmx:
        # 200 even with an error: htmx swaps only 2xx responses, and the error is in the fragment.
        context = _ranking_context(task_force, member, round)
        context["error"] = error
        return _render(request, "taskforce/ranking.html#ranking", task_force, member, facilitator, context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Dine point er gemt."))
    return redirect(reverse("taskforce:ranking", args=[task_force.pk]) + f"?round={round.pk}")


@require_POST
def round_open(request, pk):
    task_force, member, _f = _ws(request, pk)
    require_facilitator(request.user, task_force, member)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            services.round_open(task_force=task_force, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Runden er åbnet."))
    else:
        messages.error(request, _("Giv runden en titel og et budget på mindst 1 prik."))
    return redirect("taskforce:ranking", pk=task_force.pk)


@require_POST
def round_close(request, pk, round_pk):
    task_force, member, _f = _ws(request, pk)
    require_facilitator(request.user, task_force, member)
    round = get_object_in(task_force, RankingRound, round_pk)
    try:
        services.round_close(round=round)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Runden er lukket, og pointene er låst."))
    return redirect(reverse("taskforce:ranking", args=[task_force.pk]) + f"?round={round.pk}")


# Action plan

def _actions(task_force):
    return services.actions_with_progress(task_force.actions.all())


@require_http_methods(["GET", "POST"])
def actions(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    initial = {"owner": member, "solution": request.GET.get("solution")} if member else {}
    form = ActionForm(request.POST or None, task_force=task_force, initial=initial)
    if request.method == "POST":
        member = require_member(request.user, task_force)
        if form.is_valid():
            action = form.save(commit=False)
            action.task_force = task_force
            action.save()
            messages.success(request, _("Handlingen er tilføjet til planen."))
            return redirect("taskforce:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "taskforce/actions.html", task_force, member, facilitator, {
        "actions": _actions(task_force), "form": form if member else None,
        "masked": not sees_exact_figures(request.user, task_force),
    })


def _can_edit_action(action, member, facilitator):
    """The owner and the facilitator change an action's status; other members only contribute."""
    return facilitator or (member is not None and action.owner_id == member.pk)


def _action_for(task_force, action_pk):
    """The action with its pledges (and their `filled`) prefetched, so its progress comes
    from Action.shown_progress like everywhere else."""
    return get_object_or_404(_actions(task_force), pk=action_pk)


@require_GET
def action_detail(request, pk, action_pk):
    task_force, member, facilitator = _ws(request, pk)
    action = _action_for(task_force, action_pk)
    return _render(request, "taskforce/action.html", task_force, member, facilitator,
                   _action_context(request, action, member, facilitator))


def _action_context(request, action, member, facilitator, **forms):
    pledges = list(action.pledges.all())
    masked = not sees_exact_figures(request.user, action.task_force)
    return {
        "action": action,
        "contributions": action.contributions.all(),
        "pledges": [(p, services.pledge_path([p], masked=masked)) for p in pledges],
        "masked": masked,
        "can_edit": _can_edit_action(action, member, facilitator),
        "status_form": forms.get("status_form") or ActionStatusForm(
            initial={"status": action.status, "progress": action.progress, "expected_status": action.status},
            progress_from_jobs=bool(pledges),
        ),
        "contribution_form": forms.get("contribution_form") or ContributionForm(),
        "pledge_form": forms.get("pledge_form") or (PledgeForm() if member and member.employer else None),
        "progress_from_jobs": bool(pledges),
    }


@require_POST
def action_status(request, pk, action_pk):
    task_force, member, facilitator = _ws(request, pk)
    action = _action_for(task_force, action_pk)
    if not _can_edit_action(action, member, facilitator):
        raise PermissionDenied
    form = ActionStatusForm(request.POST, progress_from_jobs=bool(list(action.pledges.all())))
    if form.is_valid():
        try:
            services.action_update_status(action=action, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Handlingen er opdateret."))
            return redirect("taskforce:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "taskforce/action.html", task_force, member, facilitator,
                   _action_context(request, action, member, facilitator, status_form=form), status=400)


@require_POST
def contribution_add(request, pk, action_pk):
    task_force, member, facilitator = _ws(request, pk)
    member = require_member(request.user, task_force)
    action = _action_for(task_force, action_pk)
    form = ContributionForm(request.POST)
    if form.is_valid():
        contribution = form.save(commit=False)
        contribution.action, contribution.member = action, member
        contribution.save()
        messages.success(request, _("Tak! Dit bidrag er registreret."))
        return redirect("taskforce:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "taskforce/action.html", task_force, member, facilitator,
                   _action_context(request, action, member, facilitator, contribution_form=form), status=400)


@require_POST
def pledge_add(request, pk, action_pk):
    task_force, member, facilitator = _ws(request, pk)
    member = require_member(request.user, task_force)
    action = _action_for(task_force, action_pk)
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_create(action=action, member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tak! Jeres tilsagn er registreret som et stillingsopslag."))
            return redirect("taskforce:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "taskforce/action.html", task_force, member, facilitator,
                   _action_context(request, action, member, facilitator, pledge_form=form), status=400)


@require_POST
def pledge_open(request, pk, pledge_pk):
    task_force, member, facilitator = _ws(request, pk)
    pledge = get_object_or_404(Pledge.objects.filter(action__task_force=task_force).select_related("action"), pk=pledge_pk)
    if not (facilitator or (member and pledge.member_id == member.pk)):
        raise PermissionDenied
    services.pledge_open(pledge=pledge)
    messages.success(request, _("Stillingerne er slået op og kan nu besættes."))
    return redirect("taskforce:action", pk=task_force.pk, action_pk=pledge.action_id)


@require_GET
def action_plan_export(request, pk, fmt):
    task_force, _m, _f = _ws(request, pk)
    items = list(_actions(task_force))
    today = timezone.localdate()
    masked = not sees_exact_figures(request.user, task_force)
    if fmt == "pdf":
        return reports.action_plan_pdf(request, task_force, items, today, masked=masked)
    return reports.action_plan_csv(task_force, items, today, masked=masked)


# Anonymised candidates

@require_GET
def candidates(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    if not may_see_candidates(request.user, task_force, member):
        raise Http404
    today = timezone.localdate()
    page = Paginator(candidates_for_task_force(task_force).order_by("pk"), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    profiles = [services.candidate_profile(c, today) for c in page]
    return _render(request, "taskforce/candidates.html", task_force, member, facilitator,
                   {"profiles": profiles, "page": page})


@require_http_methods(["GET", "POST"])
def candidate(request, pk, token):
    task_force, member, facilitator = _ws(request, pk)
    citizen = get_candidate_for_user(request.user, task_force, token)
    profile = services.candidate_profile(citizen, timezone.localdate())
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST":
        member = require_member(request.user, task_force)
        if form.is_valid():
            try:
                _request, to_consultant = services.meeting_request_create(
                    member=member, citizen=citizen, message=form.cleaned_data["message"],
                    base_url=services.base_url(request),
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                if to_consultant:
                    messages.success(request, _("Jobkonsulenten har fået besked og kontakter jer."))
                else:
                    messages.success(request, _("Tak. Jobcentret har fået jeres henvendelse og følger op."))
            return redirect("taskforce:candidate", pk=task_force.pk, token=token)
    return _render(request, "taskforce/candidate.html", task_force, member, facilitator, {"profile": profile, "form": form})


# Requests to meet a candidate, for the jobcenter to follow up

def _require_request_handler(request, task_force, member):
    if not may_handle_requests(request.user, task_force, member):
        raise PermissionDenied


@require_GET
def meeting_requests(request, pk):
    task_force, member, facilitator = _ws(request, pk)
    _require_request_handler(request, task_force, member)
    open_requests = list(
        MeetingRequest.objects.filter(member__task_force=task_force, handled_at__isnull=True)
        .select_related("member__user", "member__employer")
        .order_by("created_at", "pk")
    )
    rows = [(r, services.candidate_code(candidate_token_for_pk(r.citizen_id))) for r in open_requests]
    return _render(request, "taskforce/requests.html", task_force, member, facilitator, {
        "rows": rows, "record_links": may_open_citizen_records(request.user, task_force),
    })


@require_POST
def meeting_request_handled(request, pk, request_pk):
    task_force, member, _f = _ws(request, pk)
    meeting_request = get_object_or_404(MeetingRequest.objects.filter(member__task_force=task_force), pk=request_pk)
    _require_request_handler(request, task_force, member)
    try:
        services.meeting_request_mark_handled(request=meeting_request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Henvendelsen er markeret som håndteret."))
    return redirect("taskforce:requests", pk=task_force.pk)
