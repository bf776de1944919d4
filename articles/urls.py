from django.urls import path, register_converter

from articles import feeds, views
from articles.caching import PAGE, cached
from articles.cities import views as city_views
from articles.editorial import preview
from articles.forms import ArticleFilterForm
from articles.models.scopes import CITIES, LIST
from articles.throttling import throttle_searches


class UnicodeSlugConverter:
    """Like <slug:> but accepts Chinese: tag slugs are 人工智能, not an ASCII transliteration."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

# The query parameters each cached page reads: nothing else reaches the view or the cache key.
ARTICLE_QUERY = (*PAGE, *ArticleFilterForm.base_fields, "from", "to")
CITY_QUERY = ("province", "region", "sort", "order")

app_name = "articles"
urlpatterns = [
    path("", cached(views.home, scopes=[LIST, CITIES]), name="home"),
    path(
        "articles/",
        throttle_searches(cached(views.ArticleListView.as_view(), ARTICLE_QUERY)),
        name="article-list",
    ),
    path("articles/<uslug:slug>/", cached(views.article_detail), name="article-detail"),
    path("tags/", cached(views.tag_list, scopes=[LIST]), name="tag-list"),
    path("tags/<uslug:slug>/", cached(views.tag_detail, PAGE), name="tag-detail"),
    path("cities/", cached(city_views.city_list, CITY_QUERY, [LIST, CITIES]), name="city-list"),
    path("cities/compare/", cached(city_views.city_compare, ("c",)), name="city-compare"),
    path("cities/<uslug:slug>/", cached(city_views.city_detail, PAGE), name="city-detail"),
    path(
        "organisations/",
        cached(city_views.organisation_list, scopes=[LIST]),
        name="organisation-list",
    ),
    path(
        "organisations/<uslug:slug>/",
        cached(city_views.organisation_detail, PAGE),
        name="organisation-detail",
    ),
    path("subscribe/", views.subscribe, name="subscribe"),
    path(
        "subscriptions/<str:token>/confirm/",
        views.confirm_subscription,
        name="confirm-subscription",
    ),
    path("subscriptions/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("suggest/", cached(views.suggest, ("q",), [LIST, CITIES]), name="suggest"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("preview/<str:token>/", preview.article_preview, name="article-preview"),
    path("feeds/rss/", cached(feeds.LatestArticlesFeed(), scopes=[LIST]), name="feed-rss"),
    path("feeds/atom/", cached(feeds.LatestArticlesAtom(), scopes=[LIST]), name="feed-atom"),
    path("feeds/tags/<uslug:slug>/rss/", cached(feeds.TagFeed()), name="tag-feed-rss"),
    path("feeds/tags/<uslug:slug>/atom/", cached(feeds.TagAtom()), name="tag-feed-atom"),
    path("feeds/cities/<uslug:slug>/rss/", cached(feeds.CityFeed()), name="city-feed-rss"),
    path("feeds/cities/<uslug:slug>/atom/", cached(feeds.CityAtom()), name="city-feed-atom"),
]
