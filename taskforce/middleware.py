"""Site-wide middleware: Danish by default, no caching of our pages, no search engine indexing,
and every error a person meets shown as a page in the site's layout."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import views


class DanishByDefaultMiddleware:
    """Danish is the language of the jobcenter: the browser's Accept-Language is ignored, and
    English is used only when the user picks it with the language switch (a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page and download of ours may hold personal data: no browser or proxy keeps a
    copy (`Cache-Control: no-store`), the CPR-reveal answer and the exports included. Static
    files never get here (WhiteNoise answers them first) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class NoIndexMiddleware:
    """An internal case system: search engines index and follow nothing of ours, pages,
    downloads and error pages alike (`X-Robots-Tag`; base.html's robots meta tag and
    /robots.txt say the same)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


class ErrorPageMiddleware:
    """Every error a person can meet is a page in the site's layout (taskforce.views):

    - an error answered without a page of its own (require_POST's empty 405, a bare
      HttpResponseForbidden()) gets the site's page for its status;
    - htmx swaps no error into a page, so an error page (or an empty error) there would look
      like nothing happened: an address that may be asked again (GET) is opened as a page,
      which then shows the error; an action that may not (POST) reloads the page the person
      is on, with a message that says what went wrong and that nothing was saved (a view's
      own answer with its reasons, such as a refused form, is left as the view gave it);
    - a request made by htmx after the session ended would put the login page inside a
      fragment: the whole page goes to the login page, and back to that page afterwards.

    Sits after MessageMiddleware (so the message is kept for the reloaded page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_htmx(request):
            return self._for_htmx(request, response)
        if response.status_code >= 400 and _without_page(response):
            return _page_for(request, response)
        return response

    def _for_htmx(self, request, response):
        if response.status_code in (301, 302, 303, 307, 308) and _is_login_redirect(response):
            page = _current_page(request)
            target = resolve_url(settings.LOGIN_URL)
            if page:
                target += "?" + urlencode({REDIRECT_FIELD_NAME: page})
            return HttpResponseClientRedirect(target)
        if response.status_code < 400 or not (getattr(response, "error_page", None) or _without_page(response)):
            return response
        # The error keeps its status (for the log and the tests); htmx follows these headers
        # whatever the status.
        if request.method in ("GET", "HEAD"):
            response["HX-Redirect"] = request.get_full_path()
        else:
            messages.error(request, _htmx_failure_message(response), fail_silently=True)
            response["HX-Refresh"] = "true"
        return response


def _without_page(response):
    if response.streaming or response.content:
        return False
    return response.get("Content-Type", "").startswith("text/html")


def _page_for(request, response):
    status = response.status_code
    if status == 405:
        return views.method_not_allowed(request, response.get("Allow", ""))
    if status == 403:
        page = views.permission_denied(request, None)
    elif status in (404, 410):
        page = views.page_not_found(request, None)
    elif status >= 500:
        page = views.server_error(request)
    else:
        page = views.bad_request(request, None)
    page.status_code = status
    return page


def _is_login_redirect(response):
    login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
    return urlsplit(response.get("Location", "")).path == login_path


def _current_page(request):
    """The page the person is on (htmx sends it), as a path on this site, or None."""
    url = request.headers.get("HX-Current-URL", "")
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _htmx_failure_message(response):
    """What the reloaded page says about the action that failed."""
    page = getattr(response, "error_page", "")
    status = response.status_code
    if page == "403_csrf.html":
        return _("Siden havde været åben for længe, så det, du gjorde, blev ikke gennemført. Intet er gemt. Prøv igen.")
    if status == 403:
        return _("Du har ikke adgang til at gøre dette. Intet er gemt.")
    if status in (404, 410):
        return _("Det, du ville ændre, findes ikke længere. Intet er gemt. Siden er hentet igen.")
    if status >= 500:
        return _("Der skete en fejl hos os. Tjek, om ændringen kom med, og prøv igen om et øjeblik.")
    return _("Det, du gjorde, kunne ikke gennemføres. Intet er gemt. Prøv igen.")
