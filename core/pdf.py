"""PDFs drawn by WeasyPrint from a template and one of our static stylesheets. The stylesheet
is read from disk and nothing is fetched over the network; no inline <style> is needed, so
the templates stay within the Content Security Policy like every page."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string


def stylesheet_path(name):
    """A static file's path on disk: from the app and static folders in development, from
    STATIC_ROOT after collectstatic."""
    return finders.find(name) or staticfiles_storage.path(name)


def render_pdf(template, context, *, request, stylesheet):
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet_path(stylesheet))])
