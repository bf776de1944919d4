"""Request size: a body larger than its limit is refused by its Content-Length, before any of it
is read, so a huge upload never reaches memory or the temporary directory."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

MESSAGE = "提交的内容太大（上限 {limit}）。"


def _size(count):
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def limit_for(path):
    """The admin takes cover images; everywhere else (the sign-in form included) a form or a
    search is small."""
    if path.startswith("/admin/") and not path.startswith("/admin/login/"):
        return settings.ADMIN_REQUEST_MAX_BYTES
    return settings.REQUEST_MAX_BYTES


def too_large_response(path, limit):
    message = MESSAGE.format(limit=_size(limit))
    if path.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=413, json_dumps_params={"ensure_ascii": False}
        )
    page = render_to_string("413.html", {"SITE_NAME": settings.SITE_NAME, "message": message})
    return HttpResponse(page, status=413)


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = limit_for(request.path)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a Content-Length it cannot parse
        if length > limit:
            return too_large_response(request.path, limit)
        return self.get_response(request)
