"""Who is asking: the client address that login throttling counts failures against."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the address the trusted proxies in front of us saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    TRUSTED_PROXY_COUNT proxies the client is that many entries from the right; anything
    further left was written by the client and is not believed.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
