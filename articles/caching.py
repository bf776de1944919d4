"""Whole-page caching for public pages, feeds and the API.

Every cached page holds the content version it was made under, and is served only while that
is still the version: a token that is dropped whenever anything in the articles or taggit apps
is written, and that expires by itself at the next scheduled publication, because scheduled
articles become public by the clock, not by a write. A page is therefore never served older
than the content it shows. Requests that carry a session cookie (staff) are neither served
from the cache nor stored in it.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from articles.models import Article

VERSION_KEY = "content-version"
WATCHED_APPS = {"articles", "taggit"}


def content_version(version=None):
    """(token, since, until) of the public content; made anew when dropped or expired."""
    now = timezone.now()
    if version is None:
        version = cache.get(VERSION_KEY)
    if version is None or (version[2] is not None and now >= version[2]):
        version = (uuid.uuid4().hex, now, Article.objects.next_publication(now))
        cache.set(VERSION_KEY, version, None)
    return version


def forget_version():
    cache.delete(VERSION_KEY)


def content_changed(sender, using=None):
    """After any save, delete or many-to-many change of a model of sender's (articles.signals)."""
    if sender._meta.app_label in WATCHED_APPS:
        # Now, for this process; and again after the commit, so that no reader can store
        # what it read before the commit under the version made after it.
        forget_version()
        transaction.on_commit(forget_version, using=using)


def memoised(name, parts, compute):
    """compute(), remembered under the current content version.

    For aggregates that many requests share (facet counts, tag counts): worked out once per
    change to the content rather than once per request, and never older than the content,
    whether or not whole pages are cached.
    """
    key = f"memo:{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    found = cache.get_many([VERSION_KEY, key])
    token, _, until = content_version(found.get(VERSION_KEY))
    entry = found.get(key)
    if entry is None or entry[0] != token:
        entry = (token, compute())
        cache.set(key, entry, _ttl(until))
    return entry[1]


def _page_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{hashlib.sha256(url.encode()).hexdigest()}"


def _ttl(until):
    seconds = settings.PAGE_CACHE_SECONDS
    if until is not None:
        seconds = min(seconds, max(1, int((until - timezone.now()).total_seconds())))
    return seconds


def cached(view):
    """Cache view's 200 answers to anonymous GETs, with ETag, Last-Modified and 304s."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
            return response

        # One round trip for both: a page stored under an older version is a miss.
        key = _page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        token, since, until = content_version(found.get(VERSION_KEY))
        entry = found.get(key)
        if entry is None or entry[0] != token:
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
            if response.status_code != 200 or response.streaming or response.cookies:
                patch_vary_headers(response, ["Cookie"])
                return response
            content = response.content
            etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
            entry = (token, content, response["Content-Type"], etag)
            cache.set(key, entry, _ttl(until))

        _, content, content_type, etag = entry
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(since.timestamp())
        # Readers revalidate every time (cheap: a 304), so no one sees a page after it changed.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(
            request, etag=etag, last_modified=int(since.timestamp()), response=response
        )

    return wrapper
