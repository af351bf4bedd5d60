"""Site-wide middleware: Danish by default, and no caching of our pages."""

from django.utils.cache import add_never_cache_headers


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
