"""The floor for a Django page: a bare Django view returning the HTML in BENCH_HTML from
memory, with no middleware, no database and no templates (run by bench/pages.py)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

HTML = Path(os.environ["BENCH_HTML"]).read_bytes()


def page(request):
    return HttpResponse(HTML, content_type="text/html; charset=utf-8")


settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-not-secret",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)
urlpatterns = [path("", page)]
application = get_wsgi_application()
