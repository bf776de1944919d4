"""What may be read of articles, and how: the one QuerySet every public page starts from
(published() is the only door to public content), and the shapes its pages load."""

from collections import Counter

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from taggit.models import Tag

from articles.models.cities import City, name_index

# The search columns: large, and only the database reads them.
SEARCH_FIELDS = ("search_title", "search_body")


class ArticleQuerySet(models.QuerySet):
    # What a link to an article shows (related, previous, next): never its body.
    LINK_FIELDS = ("title", "slug", "published_at")

    def relink_mentions(self):
        """Find again what these articles mention and re-link it, after cities or organisations
        were added or renamed; returns how many changed. Which cities and organisations an
        article is linked to stays the editor's choice (Article.accept_mentions)."""
        names = name_index()  # once, not twice per article
        changed = 0
        fields = ("title", "summary", "body", "body_html", "mentions")
        for article in self.only(*fields).iterator(chunk_size=500):
            html, mentions = article.render_body(names)
            if html != article.body_html or mentions != article.mentions:
                self.filter(pk=article.pk).update(body_html=html, mentions=mentions)
                changed += 1
        return changed

    def published(self):
        """The one definition of what the public may see: a scheduled article appears by
        itself once its time has come, with no job to run."""
        return self.filter(status__in=self.model.PUBLIC_STATUSES, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Editors may open any draft (the admin's "view on site"), authors their own;
        everyone else sees published()."""
        if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
            return self.published()
        if user.has_perm(self.model.PUBLISH_PERMISSION):
            return self.all()
        return self.filter(Q(pk__in=self.published().values("pk")) | Q(author=user))

    def for_listing(self):
        """What a list of articles shows: no bodies, tags and cities loaded with it."""
        return self.defer("body", "body_html").prefetch_related("tags", "cities")

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_detail(self):
        return self.select_related("share_image").prefetch_related(
            "tags",
            "links",
            "organisations",
            Prefetch("cities", queryset=City.objects.with_figures()),
        )

    def next_publication(self, now):
        """When the next scheduled article becomes public (None if none is scheduled)."""
        scheduled = self.filter(status__in=self.model.PUBLIC_STATUSES, published_at__gt=now)
        return scheduled.aggregate(next=models.Min("published_at"))["next"]

    def tagged(self, tags, match_all=True):
        """Articles with every one of the tags (or any, with match_all=False); tags are Tag
        objects or slugs."""
        if not tags:
            return self
        ids, all_found = _pks(Tag, tags)
        if not match_all:
            return self.filter(self._has_tag(ids))
        if not all_found:
            return self.none()
        return self.filter(*(self._has_tag([pk]) for pk in ids))

    def in_cities(self, cities):
        """Articles about any of the cities (City objects or slugs)."""
        if not cities:
            return self
        return self.filter(self._about_city(_pks(City, cities)[0]))

    def in_all_cities(self, cities):
        """Articles that discuss every one of the cities (City objects or slugs)."""
        ids, all_found = _pks(City, cities)
        if not all_found:
            return self.none()
        return self.filter(*(self._about_city([pk]) for pk in ids))

    def tag_facets(self, limit=30, pks=None):
        """Tags of these articles, each with how many of them carry it; or of the articles
        whose pks (a list) are given, looked up by the tag table's index on them: a subquery
        of a thousand pks is joined to the whole tag table instead (PostgreSQL)."""
        return (
            Tag.objects.filter(article__in=self.values("pk") if pks is None else pks)
            .annotate(num_articles=Count("article"))
            .order_by("-num_articles", "name")[:limit]
        )

    def city_facets(self, limit=30, pks=None):
        """Cities of these articles, each with how many of them are about it; or of the
        articles whose pks are given (as tag_facets)."""
        return (
            City.objects.filter(articles__in=self.values("pk") if pks is None else pks)
            .annotate(num_articles=Count("articles"))
            .order_by("-num_articles", "name")[:limit]
        )

    def year_facets(self):
        return (
            self.order_by()
            .values_list(models.functions.ExtractYear("published_at"))
            .annotate(num_articles=Count("pk"))
            .order_by("-num_articles")
        )

    def related_to(self, article, limit=5, window=1000):
        """Other articles among the newest `window`, ranked by how many tags and cities they
        share with article, then newest first. The window keeps the cost fixed: a popular tag
        can be on most of the archive, and a news reader wants the recent pieces first anyway.

        One query reads the matching tag and city rows of the window, with what a link shows
        of their articles, and the ranking is done here: counting in the database read every
        article of the window (on SQLite its whole row), three times slower."""
        tag_ids = [tag.pk for tag in article.tags.all()]
        city_ids = [city.pk for city in article.cities.all()]
        if not tag_ids and not city_ids:
            return []
        recent = self.newest_first().values("pk")[:window]
        tagged = self.model.tags.through.objects.filter(
            tag__in=tag_ids, content_object__in=recent
        ).values_list(*(f"content_object__{field}" for field in ("pk", *self.LINK_FIELDS)))
        about = self.model.cities.through.objects.filter(
            city__in=city_ids, article__in=recent
        ).values_list(*(f"article__{field}" for field in ("pk", *self.LINK_FIELDS)))
        shared = Counter(tagged.union(about, all=True))
        ranked = sorted(
            (row for row in shared if row[0] != article.pk),
            key=lambda row: (shared[row], row[3], row[0]),
            reverse=True,
        )
        fields = ["id", *self.LINK_FIELDS]
        return [self.model.from_db(self.db, fields, row) for row in ranked[:limit]]

    def _before(self, article):
        # The plain range first lets the database walk the date index from this article.
        return (
            self.filter(published_at__lte=article.published_at)
            .filter(
                Q(published_at__lt=article.published_at)
                | Q(published_at=article.published_at, pk__lt=article.pk)
            )
            .newest_first()
        )

    def _after(self, article):
        return (
            self.filter(published_at__gte=article.published_at)
            .filter(
                Q(published_at__gt=article.published_at)
                | Q(published_at=article.published_at, pk__gt=article.pk)
            )
            .order_by("published_at", "pk")
        )

    def neighbours(self, article):
        """(previous, next) of article by date, in one query, with what a link shows."""
        if article.published_at is None:
            return None, None
        # Each side a scalar subquery: the outer query then looks up two ids, not a range.
        pair = self.filter(
            Q(pk=Subquery(self._before(article).values("pk")[:1]))
            | Q(pk=Subquery(self._after(article).values("pk")[:1]))
        ).only(*self.LINK_FIELDS)
        previous = following = None
        for other in pair:
            if (other.published_at, other.pk) < (article.published_at, article.pk):
                previous = other
            else:
                following = other
        return previous, following

    def _has_tag(self, tag_ids):
        """The outer article carries one of these tags."""
        tagged = self.model.tags.through.objects
        return Exists(tagged.filter(content_object=OuterRef("pk"), tag__in=tag_ids))

    def _about_city(self, city_ids):
        """The outer article is about one of these cities."""
        about = self.model.cities.through.objects
        return Exists(about.filter(article=OuterRef("pk"), city__in=city_ids))


def _pks(model, items):
    """(pks, whether every item was found) of model instances or slugs.

    Filters take pks as constants, not a join on the slug, so the database can see how
    common each one is: it walks the date index for a tag on half the archive and reads a
    rare tag's own rows instead.
    """
    slugs = {item for item in items if not isinstance(item, model)}
    pks = {item.pk for item in items if isinstance(item, model)}
    found = (
        set(model.objects.filter(slug__in=slugs).values_list("pk", flat=True)) if slugs else set()
    )
    return sorted(pks | found), len(found) == len(slugs)


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search columns are large and only the database reads them.
        return super().get_queryset().defer(*SEARCH_FIELDS)
