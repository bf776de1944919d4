"""Structured logs: each request gets an id, carried by every log line written while it is
served, sent back as X-Request-ID and shown on the 500 page, so a reader's report finds its
lines. LOG_FORMAT=json writes one JSON object a line (the default with DEBUG off)."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import request_finished

request_id = contextvars.ContextVar("request_id", default="-")

# What a proxy's id may look like (nginx's $request_id is 32 hex digits).
PROXY_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """First in MIDDLEWARE: everything after it, logs included, knows the request's id. A
    trusted proxy's X-Request-ID is kept (so its access log matches); a client's is not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        if not (settings.TRUSTED_PROXY_COUNT and PROXY_ID.fullmatch(offered)):
            offered = uuid.uuid4().hex
        request.id = offered
        request_id.set(offered)  # until request_finished: Django logs a 4xx/5xx after us
        response = self.get_response(request)
        response["X-Request-ID"] = offered
        return response


def request_done(**kwargs):
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            line |= {"method": request.method, "path": request.path}
        if getattr(record, "status_code", None):
            line["status"] = record.status_code
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


request_finished.connect(request_done, dispatch_uid="request-id-done")
