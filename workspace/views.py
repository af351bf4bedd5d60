"""The task-force workspace: members and invitations, workshops, the vision, solutions and
their ranking, the action plan with contributions and pledges, anonymised candidate
profiles and the jobcenter's follow-up of requests to meet them.

Every view enters through `get_task_force_for_user`, which returns the task force and what
the user may do in it (access.WorkspaceAccess), worked out once for the request.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLog
from audit.services import access_log_record
from core.choosers import chooser_response, chooser_search_requested
from core.pagination import CappedPaginator

from . import reports, selectors, services
from .access import (
    candidates_for_task_force,
    get_candidate_for_user,
    get_object_in,
    get_task_force_for_user,
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
    Invitation,
    invitation_token_hash,
    MeetingRequest,
    Pledge,
    RankingRound,
    Solution,
    VisionVersion,
    Workshop,
)

CANDIDATES_PER_PAGE = 25


def _render(request, template, access, context, status=200):
    return render(
        request,
        template,
        {"tf": access.task_force, "access": access, "member": access.member, "facilitator": access.facilitator,
         "today": timezone.localdate(), "candidates_tab": access.may_see_candidates,
         "requests_tab": access.may_handle_requests, **context},
        status=status,
    )


@require_GET
def task_force_list(request):
    task_forces = list(task_forces_for_user(request.user).select_related("municipality"))
    if len(task_forces) == 1:
        return redirect("workspace:home", pk=task_forces[0].pk)
    return render(request, "workspace/list.html", {"task_forces": task_forces})


@require_GET
def workspace_home(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    today = timezone.localdate()
    vision = task_force.vision_versions.filter(adopted=True).select_related("adopted_at_workshop").first()
    upcoming = task_force.workshops.filter(ends_at__gte=timezone.now())[:3]
    # Leaders and outside facilitators see aggregated figures only (core.small_numbers), and
    # their own company's pledges in full.
    seen = {"masked": access.masked, "own_employers": access.own_employers}
    actions = selectors.actions_seen_by(
        selectors.task_force_actions(task_force).exclude(status__in=[Action.Status.DONE, Action.Status.STOPPED]), **seen
    )
    figures = selectors.home_figures(task_force, today, **seen)
    member = access.member
    return _render(request, "workspace/home.html", access, {
        "vision": vision,
        "upcoming": upcoming,
        "actions": actions,
        "overdue": [a for a in actions if a.is_overdue(today)],
        "path": figures.path,
        "own_path": figures.own_path,
        "masked": access.masked,
        "dashboard": figures.dashboard,
        "new_flex_jobs": figures.new_flex_jobs,
        "contribution": figures.contribution,
        "figures_link": access.sees_exact_figures or access.holds_leader_role,
        "employer": member.employer if member else None,
        "openings": member.employer.openings.all() if member and member.employer else [],
    })


@require_http_methods(["GET", "POST"])
def members(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    if request.method == "POST" and not access.may_invite:
        raise PermissionDenied
    form = (
        InvitationForm(request.POST or None, task_force=task_force, may_approve_staff=access.may_approve_staff)
        if access.may_invite else None
    )
    # The employer chooser's "Søg" without JavaScript: the page again, with the results.
    if request.method == "POST" and not chooser_search_requested(form) and form.is_valid():
        invitation = services.invitation_create(
            invitation=form.save(commit=False), task_force=task_force, invited_by=request.user,
            base_url=services.base_url(request), may_approve_staff=access.may_approve_staff,
        )
        if invitation.awaiting_approval:
            messages.success(request, _(
                "Invitationen til %(email)s venter på godkendelse af en leder i jobcentret. "
                "Den sendes, når den er godkendt."
            ) % {"email": invitation.email})
        else:
            messages.success(request, _("Invitationen til %(email)s er lagt i kø til afsendelse.") % {"email": invitation.email})
        return redirect("workspace:members", pk=task_force.pk)
    invitations = (
        list(task_force.invitations.filter(accepted_at__isnull=True).select_related("invited_by"))
        if access.may_invite else []
    )
    return _render(request, "workspace/members.html", access, {
        "members": task_force.members.select_related("user", "employer"),
        "invitations": invitations,
        "withdrawable": {i.pk for i in invitations if access.may_withdraw(i)},
        "form": form,
    })


@require_GET
def employer_choose(request, pk):
    """The employers that match what was typed into the invitation form's employer chooser
    (htmx; core.choosers.chooser_response): the task force's municipality's, for those who
    invite (managers too, who have no employer register of their own)."""
    task_force, access = get_task_force_for_user(request.user, pk)
    if not access.may_invite:
        raise PermissionDenied
    return chooser_response(request, InvitationForm(task_force=task_force).fields["employer"])


@require_POST
def invitation_approve(request, pk, invitation_pk):
    """A manager or admin of the municipality approves a staff invitation; it is sent now."""
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_staff_approver()
    invitation = get_object_or_404(task_force.invitations.filter(accepted_at__isnull=True), pk=invitation_pk)
    if services.invitation_approve(invitation=invitation, approver=request.user, base_url=services.base_url(request)):
        messages.success(request, _("Invitationen til %(email)s er godkendt og lagt i kø til afsendelse.") % {"email": invitation.email})
    else:
        messages.info(request, _("Invitationen til %(email)s var allerede godkendt.") % {"email": invitation.email})
    return redirect("workspace:members", pk=task_force.pk)


@require_POST
def invitation_withdraw(request, pk, invitation_pk):
    """Withdraw an unused invitation (WorkspaceAccess.may_withdraw says who may)."""
    task_force, access = get_task_force_for_user(request.user, pk)
    invitation = get_object_or_404(task_force.invitations.filter(accepted_at__isnull=True), pk=invitation_pk)
    if not access.may_withdraw(invitation):
        raise PermissionDenied
    if services.invitation_withdraw(invitation=invitation):
        messages.success(request, _("Invitationen til %(email)s er trukket tilbage.") % {"email": invitation.email})
    else:
        messages.error(request, _("Invitationen til %(email)s er taget i brug og kan ikke trækkes tilbage.") % {"email": invitation.email})
    return redirect("workspace:members", pk=task_force.pk)


INVITATION_SESSION_KEY = "invitation_token"


@login_not_required
@require_GET
def invitation_link(request, token):
    """The link in the e-mail. Like Django's password reset, it puts the token in the session
    and moves on to a page without it, so the token stays out of later requests' paths,
    referrers and request logs."""
    # The session (a database row too) keeps only the token's hash, as the invitation does.
    request.session[INVITATION_SESSION_KEY] = invitation_token_hash(token)
    return redirect("workspace:accept_invitation")


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request):
    token_hash = request.session.get(INVITATION_SESSION_KEY)
    if not token_hash:
        raise Http404
    invitation = get_object_or_404(Invitation.objects.select_related("task_force", "employer"), token_hash=token_hash)
    if not invitation.is_usable():
        return render(request, "workspace/invitation_used.html", status=410)
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
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Velkommen til %(name)s.") % {"name": invitation.task_force.name})
            return redirect("workspace:home", pk=invitation.task_force_id)
    return render(request, "workspace/accept_invitation.html", {"form": form, "invitation": invitation})


# Workshops

@require_http_methods(["GET", "POST"])
def workshops(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    form = WorkshopForm(request.POST or None) if access.facilitator else None
    if request.method == "POST":
        access.require_facilitator()
        if form.is_valid():
            workshop = services.workshop_save(form=form, task_force=task_force)
            messages.success(request, _("Workshoppen er oprettet."))
            return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    upcoming, past = selectors.workshops_by_time(task_force)
    return _render(request, "workspace/workshops.html", access, {"upcoming": upcoming, "past": past, "form": form})


@require_http_methods(["GET", "POST"])
def workshop_detail(request, pk, workshop_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    form = WorkshopForm(request.POST or None, instance=workshop) if access.facilitator else None
    if request.method == "POST":
        access.require_facilitator()
        if form.is_valid():
            try:
                services.workshop_save(form=form, task_force=task_force)
            except ValidationError as error:  # changed by a colleague between the check and the write
                form.add_error(None, error)
            else:
                messages.success(request, _("Workshoppen er gemt."))
                return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    attendance = {a.member_id: a for a in workshop.attendances.all()}
    rows = [(m, attendance.get(m.pk)) for m in task_force.members.select_related("user", "employer")]
    return _render(request, "workspace/workshop.html", access, {
        "workshop": workshop, "rows": rows, "form": form,
        "my_attendance": attendance.get(access.member.pk) if access.member else None,
    })


@require_POST
def workshop_register(request, pk, workshop_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    member = access.require_member()
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    if workshop.is_past:
        messages.error(request, _("Workshoppen er afholdt, så tilmeldingen er lukket."))
        return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    register = request.POST.get("register") == "1"
    services.workshop_register(workshop=workshop, member=member, register=register)
    messages.success(request, _("Du er tilmeldt.") if register else _("Du er afmeldt."))
    return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)


@require_POST
def workshop_attendance(request, pk, workshop_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_facilitator()
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    if not workshop.has_started:
        messages.error(request, _("Fremmødet kan først registreres, når workshoppen er begyndt."))
        return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)
    present = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    services.attendance_record(workshop=workshop, present_member_ids=present)
    messages.success(request, _("Fremmødet er gemt."))
    return redirect("workspace:workshop", pk=task_force.pk, workshop_pk=workshop.pk)


@require_GET
def workshop_calendar(request, pk, workshop_pk):
    task_force, _access = get_task_force_for_user(request.user, pk)
    workshop = get_object_in(task_force, Workshop, workshop_pk)
    response = HttpResponse(workshop_ics(workshop, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response


# Vision

@require_http_methods(["GET", "POST"])
def vision(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    form = VisionForm(request.POST or None, initial={"text": (task_force.vision_versions.first() or VisionVersion()).text})
    if request.method == "POST":
        member = access.require_member()
        if form.is_valid():
            services.vision_propose(version=form.save(commit=False), task_force=task_force, author=member)
            messages.success(request, _("Dit udkast til visionen er gemt som en ny version."))
            return redirect("workspace:vision", pk=task_force.pk)
    versions = list(task_force.vision_versions.select_related("author__user", "adopted_at_workshop"))
    adopt_forms = {}
    if access.facilitator:
        workshops = list(task_force.workshops.order_by("-starts_at"))
        adopt_forms = {
            v.pk: AdoptVisionForm(workshops=workshops, auto_id=f"id_v{v.pk}_%s") for v in versions if not v.adopted
        }
    return _render(request, "workspace/vision.html", access, {
        "versions": [(v, adopt_forms.get(v.pk)) for v in versions],
        "form": form,
    })


@require_POST
def vision_adopt(request, pk, version_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_facilitator()
    version = get_object_in(task_force, VisionVersion, version_pk)
    form = AdoptVisionForm(request.POST, workshops=task_force.workshops.all())
    if not form.is_valid():
        messages.error(request, _("Visionen er ikke vedtaget: vælg en af task forcens workshops, eller ingen."))
        return redirect("workspace:vision", pk=task_force.pk)
    services.vision_adopt(version=version, workshop=form.cleaned_data["workshop"])
    messages.success(request, _("Visionen er vedtaget."))
    return redirect("workspace:vision", pk=task_force.pk)


# Solutions and ranking

@require_http_methods(["GET", "POST"])
def solutions(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    form = SolutionForm(request.POST or None, task_force=task_force)
    if request.method == "POST":
        member = access.require_member()
        if form.is_valid():
            solution = services.solution_propose(solution=form.save(commit=False), task_force=task_force, member=member)
            messages.success(request, _("Løsningen er foreslået."))
            return redirect("workspace:solution", pk=task_force.pk, solution_pk=solution.pk)
    items = selectors.solutions_with_comment_counts(task_force)
    return _render(request, "workspace/solutions.html", access, {"solutions": items, "form": form})


@require_http_methods(["GET", "POST"])
def solution_detail(request, pk, solution_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    solution = get_object_in(task_force, Solution, solution_pk, select=["proposed_by__user", "target"])
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        member = access.require_member()
        if form.is_valid():
            services.comment_add(comment=form.save(commit=False), solution=solution, member=member)
            return redirect("workspace:solution", pk=task_force.pk, solution_pk=solution.pk)
    return _render(request, "workspace/solution.html", access, {
        "solution": solution,
        "comments": solution.comments.select_related("author__user"),
        "actions": solution.actions.select_related("owner__user"),
        "form": form,
    })


def _ranking_response(request, access, round, *, error=None, attempt=None, status=200):
    """The ranking page, or its #ranking fragment to htmx. An open round's votes are shown
    only to those who run it (WorkspaceAccess.sees_round_results)."""
    task_force = access.task_force
    results_shown = round is not None and access.sees_round_results(round)
    context = selectors.ranking_page(task_force, access.member, round, results_shown=results_shown, attempt=attempt)
    context["error"] = error
    if request.htmx:
        # 200 even with an error: htmx swaps only 2xx responses, and the error is in the fragment.
        return _render(request, "workspace/ranking.html#ranking", access, context)
    context["round_form"] = RoundForm(initial={"dot_budget": 5}) if access.facilitator else None
    return _render(request, "workspace/ranking.html", access, context, status=status)


@require_GET
def ranking(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    round_pk = request.GET.get("round")
    rounds = task_force.rounds.all()
    round = get_object_or_404(rounds, pk=round_pk) if round_pk and round_pk.isdigit() else rounds.first()
    return _ranking_response(request, access, round)


@require_POST
def score(request, pk, round_pk, solution_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    member = access.require_member()
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
    if error:
        # The form comes back with what the person typed, and the message says what to change.
        typed = {name: request.POST.get(name, "")[:10] for name in ("impact", "effort", "dots")}
        return _ranking_response(request, access, round, error=error, attempt=(solution.pk, typed), status=400)
    if request.htmx:
        return _ranking_response(request, access, round)
    messages.success(request, _("Dine point er gemt."))
    return redirect(reverse("workspace:ranking", args=[task_force.pk]) + f"?round={round.pk}")


@require_POST
def round_open(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_facilitator()
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
    return redirect("workspace:ranking", pk=task_force.pk)


@require_POST
def round_close(request, pk, round_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_facilitator()
    round = get_object_in(task_force, RankingRound, round_pk)
    try:
        services.round_close(round=round)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Runden er lukket, og pointene er låst."))
    return redirect(reverse("workspace:ranking", args=[task_force.pk]) + f"?round={round.pk}")


# Action plan

@require_http_methods(["GET", "POST"])
def actions(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    member = access.member
    initial = {"owner": member, "solution": request.GET.get("solution")} if member else {}
    form = ActionForm(request.POST or None, task_force=task_force, initial=initial)
    if request.method == "POST":
        access.require_member()
        if form.is_valid():
            action = services.action_add(action=form.save(commit=False), task_force=task_force)
            messages.success(request, _("Handlingen er tilføjet til planen."))
            return redirect("workspace:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "workspace/actions.html", access, {
        "actions": selectors.actions_seen_by(
            selectors.task_force_actions(task_force), masked=access.masked, own_employers=access.own_employers
        ),
        "form": form if member else None,
        "masked": access.masked,
    })


def _action_for(task_force, action_pk):
    """The action with its pledges (and their `filled`) prefetched, so its progress comes
    from Action.shown_progress like everywhere else."""
    return get_object_or_404(selectors.task_force_actions(task_force), pk=action_pk)


def _seen(access, action):
    """The action with the progress this viewer sees (`seen_progress`)."""
    (action,) = selectors.actions_seen_by([action], masked=access.masked, own_employers=access.own_employers)
    return action


@require_GET
def action_detail(request, pk, action_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    action = _action_for(task_force, action_pk)
    return _render(request, "workspace/action.html", access, _action_context(access, action))


def _action_context(access, action, **forms):
    pledges = list(action.pledges.all())
    member = access.member
    return {
        "action": _seen(access, action),
        "contributions": action.contributions.all(),
        # Each pledge's path; the viewer's own company's pledges in full.
        "pledges": [
            (p, selectors.pledge_path([p], masked=access.masked, own_employers=access.own_employers)) for p in pledges
        ],
        "openable": {p.pk for p in pledges if access.may_open_pledge(p)},
        "masked": access.masked,
        "can_edit": access.may_edit_action(action),
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
    task_force, access = get_task_force_for_user(request.user, pk)
    action = _action_for(task_force, action_pk)
    if not access.may_edit_action(action):
        raise PermissionDenied
    form = ActionStatusForm(request.POST, progress_from_jobs=bool(list(action.pledges.all())))
    if form.is_valid():
        try:
            services.action_update_status(action=action, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Handlingen er opdateret."))
            return redirect("workspace:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "workspace/action.html", access, _action_context(access, action, status_form=form),
                   status=400)


@require_POST
def contribution_add(request, pk, action_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    member = access.require_member()
    action = _action_for(task_force, action_pk)
    form = ContributionForm(request.POST)
    if form.is_valid():
        services.contribution_add(contribution=form.save(commit=False), action=action, member=member)
        messages.success(request, _("Tak! Dit bidrag er registreret."))
        return redirect("workspace:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "workspace/action.html", access,
                   _action_context(access, action, contribution_form=form), status=400)


@require_POST
def pledge_add(request, pk, action_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    member = access.require_member()
    action = _action_for(task_force, action_pk)
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_create(action=action, member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tak! Jeres tilsagn er registreret som et stillingsopslag."))
            return redirect("workspace:action", pk=task_force.pk, action_pk=action.pk)
    return _render(request, "workspace/action.html", access,
                   _action_context(access, action, pledge_form=form), status=400)


@require_POST
def pledge_open(request, pk, pledge_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    pledge = get_object_or_404(Pledge.objects.filter(action__task_force=task_force).select_related("action"), pk=pledge_pk)
    if not access.may_open_pledge(pledge):
        raise PermissionDenied
    services.pledge_open(pledge=pledge)
    messages.success(request, _("Stillingerne er slået op og kan nu besættes."))
    return redirect("workspace:action", pk=task_force.pk, action_pk=pledge.action_id)


@require_GET
def action_plan_export(request, pk, fmt):
    task_force, access = get_task_force_for_user(request.user, pk)
    items = selectors.actions_seen_by(
        selectors.task_force_actions(task_force), masked=access.masked, own_employers=access.own_employers
    )
    today = timezone.localdate()
    if fmt == "pdf":
        return reports.action_plan_pdf(request, task_force, items, today)
    return reports.action_plan_csv(task_force, items, today)


# Anonymised candidates

@require_GET
def candidates(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    if not access.may_see_candidates:
        raise Http404
    today = timezone.localdate()
    page = CappedPaginator(candidates_for_task_force(task_force).order_by("pk"), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    profiles = [selectors.candidate_profile(c, today) for c in page]
    # Anonymised, but about persons: one row says who saw which candidates' profiles.
    access_log_record(
        user=request.user, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose=selectors.CANDIDATE_PURPOSE,
        municipality=task_force.municipality_id, citizens=list(page),
    )
    return _render(request, "workspace/candidates.html", access, {"profiles": profiles, "page": page})


@require_http_methods(["GET", "POST"])
def candidate(request, pk, token):
    task_force, access = get_task_force_for_user(request.user, pk)
    citizen = get_candidate_for_user(access, token)
    profile = selectors.candidate_profile(citizen, timezone.localdate())
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST":
        member = access.require_member()
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
                    messages.success(request, _(
                        "Tak. En e-mail til jobkonsulenten er lagt i kø til afsendelse, og jobkonsulenten kontakter jer."
                    ))
                else:
                    messages.success(request, _("Tak. Jobcentret har fået jeres henvendelse og følger op."))
            return redirect("workspace:candidate", pk=task_force.pk, token=token)
    # Anonymised, but about a person: the log says who saw the profile, shown empty or with
    # the request sent back with its errors (a request sent redirects).
    access_log_record(user=request.user, action=AccessLog.Action.VIEW, obj=citizen, purpose=selectors.CANDIDATE_PURPOSE)
    return _render(request, "workspace/candidate.html", access, {"profile": profile, "form": form})


# Requests to meet a candidate, for the jobcenter to follow up

@require_GET
def meeting_requests(request, pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    access.require_request_handler()
    return _render(request, "workspace/requests.html", access, {
        "rows": selectors.open_meeting_requests(task_force), "record_links": access.may_open_citizen_records,
    })


@require_POST
def meeting_request_handled(request, pk, request_pk):
    task_force, access = get_task_force_for_user(request.user, pk)
    meeting_request = get_object_or_404(MeetingRequest.objects.filter(member__task_force=task_force), pk=request_pk)
    access.require_request_handler()
    try:
        services.meeting_request_mark_handled(request=meeting_request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Henvendelsen er markeret som håndteret."))
    return redirect("workspace:requests", pk=task_force.pk)
