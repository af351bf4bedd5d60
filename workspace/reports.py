"""Exports of the action plan: CSV for spreadsheets and PDF for print. Members type the
text, so every cell is neutralised before a spreadsheet program can run it as a formula."""

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from core.spreadsheets import safe_cell

STYLESHEET = "css/action-plan-report.css"


def _filename(task_force, ext):
    return f"handlingsplan-{task_force.pk}.{ext}"


def action_plan_rows(actions, today):
    """The header and one row per action (actions from selectors.actions_seen_by): the
    progress as the viewer sees it, "–" where it would give a hidden figure away
    (Action.progress_seen_by)."""
    yes, no = _("Ja"), _("Nej")
    yield [_("Handling"), _("Løsning"), _("Ejer"), _("Frist"), _("Status"), _("Fremdrift i procent"), _("Forsinket"),
           _("Bidrag")]
    for a in actions:
        contributions = " | ".join(f"{c.member.display_name}: {c.description}" for c in a.contributions.all())
        yield [a.title, a.solution.title if a.solution else "", a.owner.display_name, a.due_date or "",
               a.get_status_display(), "–" if a.seen_progress is None else a.seen_progress,
               yes if a.is_overdue(today) else no, contributions]


def action_plan_csv(task_force, actions, today):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(task_force, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    for row in action_plan_rows(actions, today):
        writer.writerow([safe_cell(value) for value in row])
    return response


def action_plan_pdf(request, task_force, actions, today):
    pdf = render_pdf(
        "workspace/action_plan_report.html", {"tf": task_force, "actions": actions, "today": today},
        request=request, stylesheet=STYLESHEET,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(task_force, "pdf")}"'
    return response
