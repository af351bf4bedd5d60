"""The access report as PDF: the same table as the printable page, drawn by WeasyPrint with
the page's own print stylesheet (core.pdf)."""

from core.pdf import render_pdf

STYLESHEET = "css/access-report.css"


def access_report_pdf(request, context):
    return render_pdf("audit/report_pdf.html", context, request=request, stylesheet=STYLESHEET)
