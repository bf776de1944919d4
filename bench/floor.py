"""The floor: a bare Django view returning a page's HTML from memory, no middleware.

FLOOR_HTML=page.html gunicorn --pythonpath bench floor:application
"""

import os
from pathlib import Path

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-only",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402  (needs settings first)
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

HTML = Path(os.environ["FLOOR_HTML"]).read_bytes()


def page(request):
    return HttpResponse(HTML)


urlpatterns = [path("page/", page)]
application = get_wsgi_application()
