"""A CDN in front of the site (deploy/varnish.vcl): what it may keep, and purging it.

The page cache (articles.caching) has one dependency key: the content version, which every
write to the public content replaces. The CDN follows the same rule, so a page it keeps is
never older than the cache's: every cacheable page carries the surrogate key `content` in
CDN_TAG_HEADER, and every change purges that key once its transaction has committed. One
key rather than a key per article, because a change to one article alters more pages than
the ones that name it (lists, tag pages, feeds, the API, city pages, search), exactly as it
replaces the version of them all in the page cache; a per-article key would need the same
dependency tracking in both, and a missed dependency would be a page that is wrong for
CDN_CACHE_SECONDS. Scheduled publications change no row: their pages' s-maxage ends when the
next one is due (articles.caching).

With read replicas a page rendered from a lagging replica just after a purge could be kept by
the CDN, so the purge is sent again REPLICA_PIN_SECONDS later.
"""

import logging
import threading
import urllib.request
from functools import cache

from django.conf import settings
from django.db import connections, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

TAG_HEADER = "xkey"
CONTENT_TAG = "content"


class NoPurge:
    """No CDN: nothing to purge."""

    def purge(self, tags):
        pass


class VarnishPurge:
    """An HTTP BAN to each Varnish in CDN_PURGE_URLS, naming the keys in the xkey-purge header;
    deploy/varnish.vcl bans every object whose xkey header holds one of them."""

    def purge(self, tags):
        for url in settings.CDN_PURGE_URLS:
            request = urllib.request.Request(
                url, method="BAN", headers={"xkey-purge": " ".join(sorted(tags))}
            )
            try:
                with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT):
                    pass
            except OSError as error:  # HTTPError, URLError, timeouts: all OSErrors
                logger.error("CDN purge at %s failed: %s", url, error)


@cache
def backend(path):
    return import_string(path)()


def purge_content():
    backend(settings.CDN_PURGE_BACKEND).purge({CONTENT_TAG})
    if settings.REPLICA_ALIASES:
        later = threading.Timer(
            settings.REPLICA_PIN_SECONDS,
            backend(settings.CDN_PURGE_BACKEND).purge,
            args=({CONTENT_TAG},),
        )
        later.daemon = True
        later.start()


def purge_after_commit(using=None):
    """Purge the CDN once the current transaction commits (at once outside one); one purge
    per transaction, however many rows it changed."""
    if settings.CDN_PURGE_BACKEND == "articles.cdn.NoPurge":
        return
    pending = connections[using or "default"].run_on_commit
    if any(callback is purge_content for _, callback, _ in pending):
        return
    transaction.on_commit(purge_content, using=using)


def tag(response):
    """Let the CDN keep this public page, under the content key."""
    response[TAG_HEADER] = CONTENT_TAG
