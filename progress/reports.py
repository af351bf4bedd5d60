"""Exports of the dashboard: the counted placements as CSV and XLSX (one row each, no CPR
numbers or names), and the status report for the employment committee as PDF.

Both spreadsheets are made for Danish spreadsheet programs (core.spreadsheets): the CSV is
semicolon-separated with numbers in the user's language ("4,5" in Danish), the XLSX has real
number and date cells and opens on a sheet of the dashboard's headline figures."""

import csv
import io

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pdf import render_pdf
from core.spreadsheets import csv_cell, xlsx_cell
from employers.models import Employer
from placements.models import Placement

from .counting import by_employer, counted_placements
from .figures import kept_figures

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
        writer.writerow([csv_cell(v) for v in row])
    return response


def summary_rows(data):
    """The dashboard's headline figures as (label, value, number format or None), for the
    XLSX's first sheet: numbers as numbers, dates as dates."""
    p, f = data.progress, data.forecast
    yes, no = _("Ja"), _("Nej")
    return [
        (_("Kommune"), data.municipality.name, None),
        (_("Kommunenummer"), int(data.municipality.code), "0"),
        (_("Mål"), data.target.title, None),
        (_("Målperiodens start"), p.period_start, None),
        (_("Målperiodens slut"), p.period_end, None),
        (_("Status pr."), data.as_of, None),
        (_("Mål, antal nye fleksjob"), p.target, "0"),
        (_("Nye fleksjob"), p.new_flex_jobs, "0"),
        (_("Andel af målet"), p.percent / 100, "0%"),
        (_("Private virksomheder"), p.private, "0"),
        (_("heraf socialøkonomiske virksomheder"), p.social_economic, "0"),
        (_("Offentlige arbejdspladser"), p.public, "0"),
        (_("Stadig i job"), p.still_running, "0"),
        (_("Tempo indtil nu, nye fleksjob om måneden"), f.pace_per_month, "0.0"),
        (_("Prognose: målet nås i det tempo den"), f.reached_on, None),
        (_("Prognose: målet nås inden periodens udløb"), yes if f.on_track else no, None),
        (_("Nødvendigt tempo fra nu, nye fleksjob om måneden"), f.needed_per_month, "0.0"),
    ]


def placements_xlsx(data):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Overblik"))
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 28
    heading = WriteOnlyCell(summary, value=_("Nye fleksjob mod målet"))
    heading.font = Font(bold=True, size=13)
    summary.append([heading])
    for label, value, number_format in summary_rows(data):
        summary.append([xlsx_cell(summary, label), xlsx_cell(summary, value, number_format)])
    summary.append([])
    summary.append([xlsx_cell(summary, _("Ansættelserne, der tæller med, står på arket “%(sheet)s”.") % {
        "sheet": _("Fleksjob")})])

    sheet = workbook.create_sheet(_("Fleksjob"))
    sheet.freeze_panes = "A2"
    sheet.append([str(label) for _name, label in COLUMNS])
    for row in _rows(data):
        sheet.append([xlsx_cell(sheet, v) for v in row])

    # Every employer and industry: the dashboard shows those with the most.
    sectors = dict(Employer.Sector.choices)
    employers = workbook.create_sheet(_("Pr. virksomhed"))
    employers.freeze_panes = "A2"
    employers.append([_("Virksomhed"), _("Sektor"), _("Socialøkonomisk"), _("Branche"), _("Nye fleksjob"), _("Stadig i job")])
    yes, no = _("Ja"), _("Nej")
    for row in by_employer(data.target, data.as_of):
        employers.append([xlsx_cell(employers, v) for v in (
            row["employer__name"], str(sectors.get(row["employer__sector"], row["employer__sector"])),
            yes if row["employer__social_economic"] else no, row["employer__industry"], row["n"], row["running"],
        )])
    industries = workbook.create_sheet(_("Pr. branche"))
    industries.freeze_panes = "A2"
    industries.append([_("Branche"), _("Nye fleksjob")])
    for row in kept_figures(data.target, data.as_of)[3]:
        industries.append([xlsx_cell(industries, row["employer__industry"] or _("Ikke oplyst")), row["n"]])
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
