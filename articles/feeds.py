"""RSS and Atom feeds of the latest published articles: all of them, per tag and per city."""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.caching import depends_on
from articles.markdown import absolute_links
from articles.models import Article, City, public_tags, scopes

FEED_SIZE = 30
_site = ContextVar("site")  # https://host of the request being answered, for absolute links


class FullContentRss(Rss201rev2Feed):
    """RSS whose items carry the whole article in <content:encoded>."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class FullContentAtom(Atom1Feed):
    """Atom whose entries carry the whole article in <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = FullContentRss
    description = "城市与产业的中文分析：最新文章。"
    language = "zh-CN"

    def get_feed(self, obj, request):
        token = _site.set(request.build_absolute_uri("/"))
        try:
            return super().get_feed(obj, request)
        finally:
            _site.reset(token)

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("articles:article-list")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("author")
            .prefetch_related("tags")
            .newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.title

    def item_extra_kwargs(self, item):
        return {"content": absolute_links(item.body_html, _site.get())}

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        # The author's real name when the account has one; never the login name.
        return (item.author and item.author.get_full_name()) or f"{settings.SITE_NAME}编辑部"

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = FullContentAtom
    subtitle = LatestArticlesFeed.description


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(public_tags(), slug=slug)
        depends_on(request, scopes.key(scopes.TAG, tag.pk))
        return tag

    def title(self, obj):
        return f"{settings.SITE_NAME} · 标签：{obj.name}"

    def description(self, obj):
        return f"标签“{obj.name}”下的最新文章。"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().tagged([obj])


class TagAtom(TagFeed):
    feed_type = FullContentAtom

    def subtitle(self, obj):
        return self.description(obj)


class CityFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        city = get_object_or_404(City, slug=slug)
        depends_on(request, scopes.key(scopes.CITY, city.pk))
        return city

    def title(self, obj):
        return f"{settings.SITE_NAME} · 城市：{obj.name}"

    def description(self, obj):
        return f"关于{obj.name}的最新文章。"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().in_cities([obj])


class CityAtom(CityFeed):
    feed_type = FullContentAtom

    def subtitle(self, obj):
        return self.description(obj)
