"""A CDN in front of the site (deploy/varnish.vcl): what it may keep, and purging it.

The CDN keeps pages under the same keys as the page cache (articles.caching): the scopes a page
shows (articles.models.scopes: `list`, `article:7`, `tag:3`, …, and `all`, which every page
carries), in the surrogate-key header CDN_TAG_HEADER. A change purges the scopes it touched
once its transaction has committed, so a publication purges the lists, its own page, its
neighbours' and its tags', cities' and organisations' pages, and every other page stays
kept. Scheduled publications change no row: their pages' s-maxage ends when the next one is
due (articles.caching).

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
EVERYTHING = "all"
KEYS_PER_PURGE = 100  # a header of a few kilobytes: Varnish takes 8 KiB


class NoPurge:
    """No CDN: nothing to purge."""

    def purge(self, tags):
        pass


class VarnishPurge:
    """An HTTP BAN to each Varnish in CDN_PURGE_URLS, naming the keys in the xkey-purge header;
    deploy/varnish.vcl bans every object whose xkey header holds one of them."""

    def purge(self, tags):
        tags = sorted(tags)
        for url in settings.CDN_PURGE_URLS:
            for start in range(0, len(tags), KEYS_PER_PURGE):
                names = " ".join(tags[start : start + KEYS_PER_PURGE])
                request = urllib.request.Request(url, method="BAN", headers={"xkey-purge": names})
                try:
                    with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT):
                        pass
                except OSError as error:  # HTTPError, URLError, timeouts: all OSErrors
                    logger.error("CDN purge at %s failed: %s", url, error)
                    break


@cache
def backend(path):
    return import_string(path)()


class Purge:
    """The keys one transaction touched, purged together once it commits."""

    def __init__(self):
        self.keys = set()

    def __call__(self):
        keys = {EVERYTHING} if EVERYTHING in self.keys else self.keys
        backend(settings.CDN_PURGE_BACKEND).purge(keys)
        if settings.REPLICA_ALIASES:
            later = threading.Timer(
                settings.REPLICA_PIN_SECONDS,
                backend(settings.CDN_PURGE_BACKEND).purge,
                args=(keys,),
            )
            later.daemon = True
            later.start()


def purge_after_commit(keys, using=None):
    """Purge keys once the current transaction commits (at once outside one); one purge per
    transaction, however many changes it made."""
    if settings.CDN_PURGE_BACKEND == "articles.cdn.NoPurge":
        return
    pending = connections[using or "default"].run_on_commit
    for _, callback, _ in pending:
        if isinstance(callback, Purge):
            callback.keys |= set(keys)
            return
    purge = Purge()
    purge.keys |= set(keys)
    transaction.on_commit(purge, using=using)


def tag(response, keys):
    """Let the CDN keep this public page, under the scopes it shows."""
    response[TAG_HEADER] = " ".join(sorted(keys))
