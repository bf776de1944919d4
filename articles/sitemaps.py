"""sitemap.xml: an index of sections, each one Sitemap class in SECTIONS (add one to add a section)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from articles.models import Article, City, Organisation, public_tags


class PageSitemap(Sitemap):
    """The fixed pages; their lastmod is the newest publication."""

    def items(self):
        return ["articles:home", "articles:article-list", "articles:tag-list", "articles:city-list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().aggregate(last=Max("updated_at"))["last"]


class ArticleSitemap(Sitemap):
    limit = 10_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TagSitemap(Sitemap):
    def items(self):
        published = Article.objects.published().values("pk")
        return (
            public_tags()
            .annotate(last=Max("article__updated_at", filter=Q(article__in=published)))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last


class ProfileSitemap(Sitemap):
    """Profiles (cities, organisations), each last modified with its newest published article."""

    model = None

    def items(self):
        published = Article.objects.published().values("pk")
        return self.model.objects.annotate(
            last=Max("articles__updated_at", filter=Q(articles__in=published))
        ).order_by("slug")

    def lastmod(self, item):
        return item.last


class CitySitemap(ProfileSitemap):
    model = City


class OrganisationSitemap(ProfileSitemap):
    model = Organisation


SECTIONS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "cities": CitySitemap,
    "organisations": OrganisationSitemap,
}
