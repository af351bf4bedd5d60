"""Exports of the dashboard: the counted placements as CSV and XLSX (one row each, no CPR
numbers or names), and the status report for the employment committee as PDF."""

import csv
import io

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pdf import render_pdf
from core.spreadsheets import safe_cell
from employers.models import Employer
from placements.models import Placement

from .counting import counted_placements

STYLESHEET = "css/status-report.css"

# Lazy: the headings are translated into the language of the request, not of the import.
COLUMNS = [
    ("start_date", gettext_lazy("Startdato")),
    ("end_date", gettext_lazy("Slutdato")),
    ("still_running", gettext_lazy("Stadig i job")),
    ("mini_flexjob", gettext_lazy("Type")),
    ("hours_per_week", gettext_lazy("Timer om ugen")),
    ("first_flexjob", gettext_lazy("Første fleksjob")),
    ("retention_flexjob", gettext_lazy("Fastholdelsesfleksjob")),
    ("employer__name", gettext_lazy("Virksomhed")),
    ("employer__cvr", gettext_lazy("CVR-nummer")),
    ("employer__sector", gettext_lazy("Sektor")),
    ("employer__social_economic", gettext_lazy("Socialøkonomisk")),
    ("employer__size", gettext_lazy("Størrelse")),
    ("employer__industry", gettext_lazy("Branche")),
]


def _rows(data):
    """One tuple per counted placement, streamed from a single query."""
    sectors = dict(Employer.Sector.choices)
    sizes = dict(Employer.Size.choices)
    yes, no = _("Ja"), _("Nej")
    qs = (
        counted_placements(data.target, data.as_of)
        .annotate(
            # The placements' own rules, worked out by the database.
            still_running=ExpressionWrapper(Placement.running_q(data.as_of), output_field=BooleanField()),
            mini_flexjob=ExpressionWrapper(Placement.mini_flexjob_q(), output_field=BooleanField()),
        )
        .order_by("start_date", "pk")
        .values_list(*(name for name, _label in COLUMNS))
    )
    for start, end, running, mini, hours, first, retention, name, cvr, sector, social, size, industry in qs.iterator():
        yield (
            start, end, yes if running else no, _("Mini-fleksjob") if mini else _("Fleksjob"), hours,
            yes if first else no, yes if retention else no, name, cvr, str(sectors.get(sector, sector)),
            yes if social else no, str(sizes.get(size, "")), industry,
        )



def _filename(data, ext):
    return f"fleksjob-{data.municipality.code}-{data.as_of:%Y-%m-%d}.{ext}"


def placements_csv(data):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(label) for _name, label in COLUMNS])
    for row in _rows(data):
        writer.writerow([safe_cell(v) if v is not None else "" for v in row])
    return response


def placements_xlsx(data):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Fleksjob"))
    sheet.append([str(label) for _name, label in COLUMNS])
    for row in _rows(data):
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
    return response


def status_pdf(request, data):
    """The status report as PDF bytes; `request` may be None (the monthly mail). Build `data`
    with build_dashboard(..., stored=True): a day whose figures are stored is drawn from them."""
    # The chart is inline SVG: nothing is fetched.
    return render_pdf("progress/report.html", {"d": data}, request=request, stylesheet=STYLESHEET)


def status_pdf_filename(data):
    return f"status-{data.municipality.code}-{data.as_of:%Y-%m-%d}.pdf"
