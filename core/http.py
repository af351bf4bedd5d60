"""What we know of the client behind a request."""

from django.conf import settings


def client_ip(request):
    """The client's address. Behind `TRUSTED_PROXY_COUNT` proxies it is that many hops from the
    right of X-Forwarded-For (the part the proxies wrote themselves); without a trusted proxy
    the header is ignored, since anyone can send it."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote
