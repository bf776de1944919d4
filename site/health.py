"""What readers get when the database is away, and a health endpoint for probes."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from siteconf.logs import request_id

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)


API_DOWN = "服务暂时不可用（数据库繁忙或无法连接），请稍后再试。"


def database_down_response(request=None):
    """A static Chinese page, rendered without touching the database; JSON for the API. A
    staff member whose save was refused is told that it was not saved."""
    path = getattr(request, "path", "")
    if path.startswith("/api/"):
        response = JsonResponse(
            {"detail": API_DOWN}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        saving = path.startswith("/admin/") and request.method == "POST"
        page = render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME, "saving": saving})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseDownMiddleware:
    """An unreachable database gives readers a calm 503 page instead of a 500.

    A statement, lock or idle-transaction timeout (settings: DATABASE_*_TIMEOUT) is an
    OperationalError too, so a stuck database answers this page within its timeout.
    Nothing is remembered between requests: each request tries the database afresh, so the
    site is back as soon as the database is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.warning("Database unavailable: %s", exception)
            return database_down_response(request)
        return None


def _database_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_up():
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # any cache backend's own connection error
        return False


@never_cache
@require_safe
def healthz(request):
    checks = {"db": _database_up(), "cache": _cache_up()}
    ok = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "down"}
        | {name: "up" if up else "down" for name, up in checks.items()},
        status=200 if ok else 503,
    )


def server_error(request):
    """The 500 page: Django's own view renders 500.html with no context at all; this one gives
    it the site's name and the request's id (for the reader to quote), nothing that could fail
    in turn. The API's is JSON."""
    rid = getattr(request, "id", None) or request_id.get()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "服务出错，我们已经记录下这个问题。", "request_id": rid},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    page = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME, "request_id": rid})
    return HttpResponseServerError(page)
