"""Rate limits per client: the API's anonymous clients, searches on /articles/ and e-mail sign-ups.

The client is siteconf.security.client_ip, the one identity that login lock-outs use too, so a
client that writes a new X-Forwarded-For on each request is still one client. Counts live in
the cache (fixed windows); when the cache is down nobody is limited, rather than everybody.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from siteconf.security import client_ip

from articles.caching import cache

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate):
    """ "600/min" → (600, 60)."""
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"A rate is a number of requests per s, min, h or day, e.g. 600/min; got {rate!r}"
        ) from None


def wait_before(scope, request, rate):
    """None if the client may go on; else the seconds until it may (and this request counts)."""
    limit, period = parse_rate(rate)
    now = time.time()
    key = f"rate:{scope}:{client_ip(request)}:{int(now // period)}"
    cache.add(key, 0, period + 1)
    count = cache.incr(key)
    if count is None or count <= limit:
        return None
    return max(1, int(period - now % period))


def throttled(scope, rate_setting, page, counts):
    """A view decorator: requests for which counts(request) is true are limited to the rate in
    settings.<rate_setting> per client, beyond which they get page with a 429 and Retry-After."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if counts(request):
                wait = wait_before(scope, request, getattr(settings, rate_setting))
                if wait is not None:
                    response = render(request, page, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# Searches (requests with q); staff are not counted.
throttle_searches = throttled(
    "search",
    "SEARCH_RATE",
    "429_search.html",
    lambda request: request.GET.get("q", "").strip() and not request.user.is_staff,
)
# E-mail sign-ups (POSTs): a mail is sent for each.
throttle_sign_ups = throttled(
    "subscribe", "SUBSCRIBE_RATE", "429_subscribe.html", lambda request: request.method == "POST"
)
