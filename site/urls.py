from django.contrib import admin
from django.urls import include, path
from siteconf.health import healthz

admin.site.site_header = "区域经济观察 · 编辑后台"
admin.site.site_title = "编辑后台"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]
