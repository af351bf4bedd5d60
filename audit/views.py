"""The log for the municipality's managers and admins (the data protection officer's work):
searching it by user, citizen and period, a citizen's access report under GDPR article 15,
and the sign-in events. Reading the log about citizens is itself logged.

The views take `citizens`, the citizens' directory, from the project's URLconf
(taskforce/urls.py): this app sits below the citizens app and imports nothing of it.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import role_required
from core.ids import is_id

from . import reports, selectors
from .access import AUDIT_ROLES, audited_municipality_ids
from .forms import AccessLogSearchForm, SignInSearchForm
from .models import CITIZEN_MODEL, AccessLog, Purpose
from .services import ShownCitizen, access_log_record


@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
@role_required(*AUDIT_ROLES)
def access_log_search(request, citizens):
    scope = audited_municipality_ids(request.user)
    form = AccessLogSearchForm(request.POST if request.method == "POST" else {})
    result = selectors.access_log_search(request.user, form, citizens, scope)
    if result.page is not None:
        access_log_record(
            user=request.user, action=AccessLog.Action.LIST, model=AccessLog._meta.label,
            purpose=Purpose.SUPERVISION, citizens=result.shown, query=form.describe(),
        )
        form = form.carried_on([c.pk for c in result.searched])
    return render(request, "audit/search.html", {"form": form, "result": result})


@require_GET
@role_required(*AUDIT_ROLES)
def access_report(request, citizen_id, citizens):
    if not is_id(citizen_id):
        raise Http404
    scope = audited_municipality_ids(request.user)
    report = selectors.access_report(request.user, citizen_id, citizens, scope)
    if report is None:
        raise Http404
    as_pdf = request.GET.get("format") == "pdf"
    # Written after the report is read: the report lists the accesses before this one.
    access_log_record(
        user=request.user,
        action=AccessLog.Action.EXPORT if as_pdf else AccessLog.Action.REPORT,
        model=CITIZEN_MODEL,
        object_id=citizen_id,
        municipality=report.municipality_id,
        purpose=Purpose.ACCESS_REQUEST,
        citizen=ShownCitizen(citizen_id, report.municipality_id),
    )
    context = {"report": report, "made_at": timezone.localtime(), "made_by": request.user}
    if as_pdf:
        response = HttpResponse(reports.access_report_pdf(request, context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="indsigt-adgangslog-{citizen_id}.pdf"'
        return response
    return render(request, "audit/report.html", context)


@require_GET
@role_required(*AUDIT_ROLES)
def sign_in_events(request, citizens=None):
    form = SignInSearchForm(request.GET)
    page = selectors.sign_in_search(request.user, form)
    return render(request, "audit/sign_ins.html", {"form": form, "page": page})
