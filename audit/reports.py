"""The access report as PDF: the same table as the printable page, drawn by WeasyPrint with
the page's own print stylesheet (nothing is fetched over the network)."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

STYLESHEET = "css/access-report.css"


def _stylesheet_path():
    return finders.find(STYLESHEET) or staticfiles_storage.path(STYLESHEET)


def access_report_pdf(request, context):
    from weasyprint import CSS, HTML

    html = render_to_string("audit/report_pdf.html", context, request=request)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=_stylesheet_path())])
