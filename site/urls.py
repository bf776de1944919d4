from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.functional import lazy
from siteconf.health import healthz

from articles.api import api, not_found
from articles.caching import cached
from articles.models.scopes import CITIES, LIST
from articles.sitemaps import SECTIONS
from articles.views import robots_txt

handler500 = "siteconf.health.server_error"

# Lazy, so the header follows SITE_NAME as it is when a page is rendered.
admin.site.site_header = lazy(lambda: f"{settings.SITE_NAME} · 编辑后台", str)()
admin.site.site_title = "编辑后台"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", not_found),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        cached(sitemap_views.index, scopes=[LIST, CITIES]),
        {"sitemaps": SECTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap_views.sitemap, ("p",), [LIST, CITIES]),
        {"sitemaps": SECTIONS},
        name="sitemap-section",
    ),
]
# Uploaded media in development only (static() does nothing when DEBUG is off).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
