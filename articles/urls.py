from django.urls import path, register_converter

from articles import city_views, preview, views


class UnicodeSlugConverter:
    """Like <slug:> but accepts Chinese: tag slugs are 人工智能, not an ASCII transliteration."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag-detail"),
    path("cities/", city_views.city_list, name="city-list"),
    path("cities/compare/", city_views.city_compare, name="city-compare"),
    path("cities/<uslug:slug>/", city_views.city_detail, name="city-detail"),
    path("organisations/", city_views.organisation_list, name="organisation-list"),
    path(
        "organisations/<uslug:slug>/",
        city_views.organisation_detail,
        name="organisation-detail",
    ),
    path("preview/<str:token>/", preview.article_preview, name="article-preview"),
]
