"""Danish is the language of the jobcenter: the browser's Accept-Language is ignored, and
English is used only when the user picks it with the language switch (a cookie)."""


class DanishByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
