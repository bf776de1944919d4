"""Whole-page caching for public pages, feeds and the API; the cache is an accelerator only.

Freshness: a page is stored with the scopes it shows (articles.models.scopes: the archive as a
whole, one article, a tag, a city, an organisation, a year) and the version of each, and it is
served only while the database still holds those versions, read in one small query per
request. A change to the public content moves, in its own transaction, the versions of exactly
the scopes it touches (a publication: its page, its neighbours', its tags', cities' and
organisations' pages and the lists), so every other page stays cached; a draft's save, a
revision, an autosave or an import touches nothing. A cache restored from an old snapshot
offers versions the database no longer holds, and its pages are not served. Scheduled articles
become public by the clock, not by a write: the first request after one is due touches what it
shows (articles.models.scopes.publish_due).

A page learns its scopes as it renders (depends_on()); it is stored with their versions only if
none was changed after the request first read the clock, so a page rendered while a change
committed is never stored under the change's versions.

Failure: every cache call goes through `fail_soft`, where an error (Redis down, hung, full) is
a miss — the page is rendered and not stored — and the cache is then left alone for
CACHE_RETRY_SECONDS in this process, so a hung Redis costs one short socket timeout, not one
per call. Cache keys hold only the query parameters a page reads, normalised. Only a session
really signed in as staff bypasses the cache; any other cookie is served from it.
"""

import hashlib
import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from articles import cdn, scripts
from articles.models import Scope
from articles.models.scopes import ALL, CLOCK, LIST, publish_due, touch_everything

logger = logging.getLogger(__name__)

# The query parameters a listing reads besides its filters.
PAGE = ("page",)

_request = threading.local()  # the versions read for the request this thread is serving


class FailSoftCache:
    """The default cache, where every error is a miss, and after one the cache is skipped for
    CACHE_RETRY_SECONDS (in this process) rather than waited for on every call."""

    def __init__(self, alias="default"):
        self.alias = alias
        self.skip_until = 0.0

    @property
    def up(self):
        return time.monotonic() >= self.skip_until

    def _call(self, method, *args, default=None):
        if not self.up:
            return default
        try:
            return getattr(caches[self.alias], method)(*args)
        except Exception as error:  # each backend raises its own (redis.ConnectionError, …)
            self.skip_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
            logger.warning(
                "Cache %s failed (%s: %s); pages are rendered without it for %ss",
                method,
                type(error).__name__,
                error,
                settings.CACHE_RETRY_SECONDS,
            )
            return default

    def get(self, key):
        return self._call("get", key)

    def get_many(self, keys):
        return self._call("get_many", keys, default={})

    def set(self, key, value, timeout):
        self._call("set", key, value, timeout)

    def set_many(self, mapping, timeout):
        self._call("set_many", mapping, timeout)

    def add(self, key, value, timeout):
        return self._call("add", key, value, timeout, default=False)

    def incr(self, key):
        return self._call("incr", key)

    def delete(self, key):
        self._call("delete", key)


cache = FailSoftCache()


def _versions(scopes):
    """{scope: (number, changed_at)} of scopes, each read once per request (missing: (0, None)).
    The first read takes the clock too, and touches a scheduled publication that has come due."""
    known = getattr(_request, "versions", None)
    if known is None:
        known = _request.versions = {}
    wanted = {*scopes, CLOCK} - known.keys()
    if wanted:
        rows = Scope.objects.filter(key__in=wanted).values_list(
            "key", "number", "changed_at", "until"
        )
        found = {row[0]: row[1:] for row in rows}
        clock = found.get(CLOCK)
        if CLOCK in wanted and clock and clock[2] is not None and timezone.now() >= clock[2]:
            with transaction.atomic(using="default"):
                publish_due(clock[2], using="default")
            _request.versions = None
            rows = Scope.objects.filter(key__in=wanted).values_list(
                "key", "number", "changed_at", "until"
            )
            found = {row[0]: row[1:] for row in rows}
            known = _request.versions = {}
        if CLOCK in wanted:
            _request.until = (found.get(CLOCK) or (0, None, None))[2]
        for scope in wanted:
            known[scope] = found.get(scope, (0, None, None))[:2]
    return {scope: known[scope] for scope in scopes}


def new_request():
    """A request begins (request_started, articles.signals): versions are read afresh."""
    _request.versions = None


def forget_version(using=None):
    """Every cached page and count is made afresh: after QuerySet.update() or raw SQL, which
    send no signals."""
    touch_everything(using)
    new_request()


def depends_on(request, *scopes):
    """The page being rendered shows these scopes (articles.models.scopes)."""
    if hasattr(request, "scopes"):
        request.scopes.update(scopes)


def memoised(name, parts, compute, scopes):
    """compute(), remembered under the versions of scopes (what it counts).

    For aggregates that many requests share (a filter's facet counts, a search's tally):
    worked out once per change to what they count rather than once per request, and never
    older than it, whether or not whole pages are cached.
    """
    numbers = [number for number, _ in _versions(sorted(scopes)).values()]
    digest = hashlib.sha256(repr((parts, sorted(scopes), numbers)).encode()).hexdigest()
    key = f"memo:{name}:{digest}"
    entry = cache.get(key)
    if entry is None:
        entry = (compute(),)
        cache.set(key, entry, _ttl())
    return entry[0]


def readable_query(request, names):
    """The query parameters the page reads (names), empty values dropped; the rest are gone."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        values = [value for value in values if value.strip()]
        if name in names and values:
            query.setlist(name, values)
    return query


def _page_key(request):
    """The page's address with its parameters sorted: their order makes no new page."""
    query = sorted(request.GET.lists())
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query!r}"
    return f"page:{hashlib.sha256(url.encode()).hexdigest()}"


def _ttl():
    """PAGE_CACHE_SECONDS, or less when the next scheduled publication comes first."""
    seconds = settings.PAGE_CACHE_SECONDS
    until = getattr(_request, "until", None)
    if until is not None:
        seconds = min(seconds, max(1, int((until - timezone.now()).total_seconds())))
    return seconds


def _signed_in_staff(request):
    """Only a session cookie that names an active staff member (a session read and a user read,
    paid only by requests that carry the cookie): junk cookies are ordinary readers."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


def _current(entry):
    """The stored page, if the database still holds the versions it was made under."""
    if entry is None:
        return None
    scopes, numbers = entry[0], entry[1]
    held = [number for number, _ in _versions(scopes).values()]
    return entry if held == list(numbers) else None


def _render(view, request, args, kwargs, scopes):
    """(response, entry or None for an answer not to cache, whether to store the entry)."""
    # Read before the page's data; `list`, which most pages show, is read with them.
    clock = _versions([CLOCK, ALL, LIST, *scopes])[CLOCK][0]
    request.scopes = {ALL, *scopes}
    response = view(request, *args, **kwargs)
    if callable(getattr(response, "render", None)):
        response.render()
    if response.status_code != 200 or response.streaming or response.cookies:
        return response, None, False
    content = response.content
    if getattr(request, "traditional", False) and scripts.converts(response["Content-Type"]):
        # /hant/…: stored converted, once
        html = content.decode(response.charset)
        content = scripts.to_traditional(html, settings.TRADITIONAL_VARIANT).encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    shown = sorted(request.scopes)
    versions = _versions(shown)
    numbers = tuple(number for number, _ in versions.values())
    since = max((at for _, at in versions.values() if at), default=timezone.now())
    entry = (shown, numbers, since, content, response["Content-Type"], etag)
    if shown == [ALL]:
        logger.warning("%s names no scope it shows: not cached", request.path)
        return response, None, False
    # Changed while this page was rendered: served, not stored.
    return response, entry, max(numbers) <= clock


def cached(view, query=(), scopes=()):
    """Cache view's 200 answers to GETs by readers, with ETag, Last-Modified and 304s.

    query names the parameters the view reads; the view sees only those (normalised), so any
    other parameter neither changes the page nor makes a new cache entry. scopes: what the
    page shows whatever it renders; the view adds the rest with depends_on().
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.GET = readable_query(request, query)
        request.META["QUERY_STRING"] = request.GET.urlencode()
        if not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or _signed_in_staff(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
            return response

        key = _page_key(request)
        entry = _current(cache.get(key))
        if entry is None:
            response, entry, store = _render(view, request, args, kwargs, scopes)
            if entry is None:
                patch_vary_headers(response, ["Cookie"])
                return response
            if store:
                cache.set(key, entry, _ttl())

        shown, _, since, content, content_type, etag = entry
        response = HttpResponse(content, content_type=content_type)
        response.in_traditional = True  # or never to be: a feed, JSON
        response["ETag"] = etag
        response["Last-Modified"] = http_date(since.timestamp())
        if settings.CDN_CACHE_SECONDS:
            # The CDN keeps the page until a change purges one of its scopes (articles.cdn)
            # or the next scheduled publication is due; the reader's browser still
            # revalidates each time (deploy/varnish.vcl tells it max-age=0, must-revalidate).
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=min(settings.CDN_CACHE_SECONDS, _ttl()),
                stale_while_revalidate=settings.CDN_STALE_SECONDS,
            )
            cdn.tag(response, shown)
        else:
            # Readers revalidate every time (cheap: a 304), so no one sees a page after it
            # changed.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(
            request, etag=etag, last_modified=int(since.timestamp()), response=response
        )

    return wrapper
