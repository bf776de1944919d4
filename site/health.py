"""What readers get when the database is away, and a health endpoint for probes."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DATABASE_DOWN = (OperationalError, InterfaceError)


def database_down_response():
    """A static Chinese page, rendered without touching the database."""
    page = render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseDownMiddleware:
    """An unreachable database gives readers a calm 503 page instead of a 500.

    Nothing is remembered between requests: each request tries the database afresh, so the
    site is back as soon as the database is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_down_response()
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
    it the site's name, and nothing else that could fail in turn."""
    page = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(page)
