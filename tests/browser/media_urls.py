"""The site's URLs plus uploaded media, for browser tests that look at cover images.

The site serves media only with DEBUG on (in production the web server does); the live server
runs with it off, and MEDIA_ROOT is each test's own folder, so it is read per request.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve
from siteconf.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*site_urlpatterns, re_path(r"^media/(?P<path>.+)$", media)]
