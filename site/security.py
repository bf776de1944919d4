"""Hostile requests: who is asking (for login throttling), and data the database refuses."""

import logging

from django.conf import settings
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


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


class BadDataMiddleware:
    """A value the database refuses as data (PostgreSQL: a NUL byte, a number out of range)
    came from the request, so it is the request that is bad: 400, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            logger.warning("Refused data in %s %s: %s", request.method, request.path, exception)
            return HttpResponseBadRequest(
                render_to_string("400.html", {"SITE_NAME": settings.SITE_NAME})
            )
        return None
