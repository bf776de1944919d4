"""Whole-page caching for public pages, feeds and the API; the cache is an accelerator only.

Freshness: every cached page is stored under the content version it was made with, and that
version is read from the database (ContentVersion, one row) once per request. Any write to the
articles or taggit apps replaces it in the same transaction, and the first request after the
next scheduled publication replaces it too (scheduled articles become public by the clock, not
by a write). A page is therefore served only while the database vouches for its version: not
after a change, and not when a cache restored from an old snapshot offers old pages back.

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
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Subquery
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
from articles.models import Article, ContentVersion

logger = logging.getLogger(__name__)

WATCHED_APPS = {"articles", "taggit"}
# The query parameters a listing reads besides its filters.
PAGE = ("page",)

_request = threading.local()  # the version read for the request this thread is serving


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


def _next_publication(now):
    """A subquery: when the next scheduled article becomes public (NULL if none is)."""
    scheduled = Article.objects.filter(
        status__in=Article.PUBLIC_STATUSES, published_at__gt=now
    ).order_by("published_at")
    return Subquery(scheduled.values("published_at")[:1])


def _replace_version(using=None, old_token=None):
    """A new token, in one UPDATE (inside the writer's transaction, if any)."""
    now = timezone.now()
    rows = ContentVersion.objects.using(using).filter(pk=1)
    if old_token is not None:
        rows = rows.filter(token=old_token)  # two readers at `until`: one replaces it
    fields = {"token": uuid.uuid4().hex, "changed_at": now, "until": _next_publication(now)}
    if not rows.update(**fields) and old_token is None:
        try:
            with transaction.atomic(using=using):
                ContentVersion.objects.using(using).create(
                    pk=1, **fields | {"until": Article.objects.next_publication(now)}
                )
        except IntegrityError:  # made by another process meanwhile
            pass
    _request.version = None


def _stored_version():
    rows = ContentVersion.objects.filter(pk=1).values_list("token", "changed_at", "until")
    return rows.first()


def content_version():
    """(token, since, until) of the public content, read from the database once per request."""
    version = getattr(_request, "version", None)
    if version is None:
        version = _stored_version()
        if version is None or (version[2] is not None and timezone.now() >= version[2]):
            _replace_version(old_token=None if version is None else version[0])
            version = _stored_version()
        _request.version = version
    return version


def new_request():
    """A request begins (request_started, articles.signals): its version is read afresh."""
    _request.version = None


def forget_version(using=None):
    """Cached pages are no longer current: after QuerySet.update() or raw SQL, which send no
    signals."""
    _replace_version(using)
    cdn.purge_after_commit(using)


def content_changed(sender, using=None):
    """After any save, delete or many-to-many change of a model of sender's (articles.signals)."""
    if (
        sender._meta.app_label in WATCHED_APPS
        and sender is not ContentVersion
        and sender.__module__ != "__fake__"  # a migration's historical model
    ):
        _replace_version(using)
        cdn.purge_after_commit(using)
        # This thread may have read the version inside the transaction; read it again after.
        transaction.on_commit(new_request, using=using)


def memoised(name, parts, compute):
    """compute(), remembered under the current content version.

    For aggregates that many requests share (facet counts, tag counts): worked out once per
    change to the content rather than once per request, and never older than the content,
    whether or not whole pages are cached.
    """
    token, _, until = content_version()
    key = f"memo:{name}:{token}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    entry = cache.get(key)
    if entry is None:
        entry = (compute(),)
        cache.set(key, entry, _ttl(until))
    return entry[0]


def readable_query(request, names):
    """The query parameters the page reads (names), empty values dropped; the rest are gone."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        values = [value for value in values if value.strip()]
        if name in names and values:
            query.setlist(name, values)
    return query


def _page_key(request, token):
    """The page's address with its parameters sorted: their order makes no new page."""
    query = sorted(request.GET.lists())
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query!r}"
    return f"page:{token}:{hashlib.sha256(url.encode()).hexdigest()}"


def _ttl(until):
    seconds = settings.PAGE_CACHE_SECONDS
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


def cached(view, query=()):
    """Cache view's 200 answers to GETs by readers, with ETag, Last-Modified and 304s.

    query names the parameters the view reads; the view sees only those (normalised), so any
    other parameter neither changes the page nor makes a new cache entry.
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

        token, since, until = content_version()
        key = _page_key(request, token)
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
            if response.status_code != 200 or response.streaming or response.cookies:
                patch_vary_headers(response, ["Cookie"])
                return response
            content = response.content
            if getattr(request, "traditional", False) and scripts.converts(
                response["Content-Type"]
            ):
                # /hant/…: stored converted, once
                html = content.decode(response.charset)
                content = scripts.to_traditional(html, settings.TRADITIONAL_VARIANT).encode()
            etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
            entry = (content, response["Content-Type"], etag)
            cache.set(key, entry, _ttl(until))

        content, content_type, etag = entry
        response = HttpResponse(content, content_type=content_type)
        response.in_traditional = True  # or never to be: a feed, JSON
        response["ETag"] = etag
        response["Last-Modified"] = http_date(since.timestamp())
        if settings.CDN_CACHE_SECONDS:
            # The CDN keeps the page until a change purges it (articles.cdn) or the next
            # scheduled publication is due; the reader's browser still revalidates each time
            # (deploy/varnish.vcl tells it max-age=0, must-revalidate).
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=min(settings.CDN_CACHE_SECONDS, _ttl(until)),
                stale_while_revalidate=settings.CDN_STALE_SECONDS,
            )
            cdn.tag(response)
        else:
            # Readers revalidate every time (cheap: a 304), so no one sees a page after it
            # changed.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(
            request, etag=etag, last_modified=int(since.timestamp()), response=response
        )

    return wrapper
