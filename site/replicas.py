"""Read replicas (DATABASE_REPLICA_URL): which database a request reads.

A replica lags the primary by a little, so only readers who cannot tell read one: anonymous
GETs and HEADs. A request with a session cookie reads the primary (an editor sees what they
just saved), and so does anyone within REPLICA_PIN_SECONDS of a write of theirs (the pin
cookie, set on every POST, PUT, PATCH or DELETE). Writes always go to the primary.

A replica that cannot be reached, or whose kept connection has died, is left alone for
REPLICA_RETRY_SECONDS in this process: its readers go to the primary meanwhile.
"""

import contextlib
import itertools
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PIN_COOKIE = "primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_request = threading.local()  # the replica this thread's request reads, if any
_down_until = {}  # alias -> monotonic time before which it is not tried again
_turns = itertools.count()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return getattr(_request, "alias", None)  # None: the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def reachable(alias):
    if time.monotonic() < _down_until.get(alias, 0):
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()  # a kept connection whose server went away
        connection.ensure_connection()
        return True
    except DatabaseError as error:
        _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning(
            "Replica %s unreachable (%s); reading the primary for %ss",
            alias,
            error,
            settings.REPLICA_RETRY_SECONDS,
        )
        with contextlib.suppress(DatabaseError):
            connection.close()
        return False


def replica_for(request):
    """A reachable replica for this request, or None for the primary."""
    if request.method not in SAFE_METHODS or not settings.REPLICA_ALIASES:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES:
        return None
    aliases = settings.REPLICA_ALIASES
    start = next(_turns)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if reachable(alias):
            return alias
    return None


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.alias = replica_for(request)
        try:
            response = self.get_response(request)
        finally:
            _request.alias = None
        if request.method not in SAFE_METHODS and settings.REPLICA_ALIASES:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
