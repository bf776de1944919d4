"""Scopes of the public content: what a page shows, so that a change invalidates exactly the
pages that show what changed (articles.caching), and how many published articles each scope
holds, kept current by the change itself so that no reader counts.

A scope is a key: `list` (the archive as a whole: home, lists, search, feeds, sitemap, the
API's lists, every count), `cities` (the cities and their names), `article:7`, `tag:3`,
`city:2`, `org:5`, `year:2025`, and `all`, which every page shows (touch_everything(), after a
write that sends no signals). Each row holds the number of the change that last touched it;
the `*` row is the clock: the latest change's number and the next scheduled publication.

What a change touches is decided here, once: touched_by_article() for an article's save or
delete, touched_by_links() for its tags, cities and organisations, touched_by_tag(),
touched_by_city() and touched_by_organisation() for theirs. An article that is not public
before or after the change (a draft, a scheduled piece not yet due) touches nothing.
"""

from django.db import models
from django.db.models import Count, F, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import cdn
from articles.models.articles import Article, ArticleTag
from articles.models.cities import City, Organisation

CLOCK = "*"
ALL = "all"
LIST = "list"
CITIES = "cities"
ARTICLE, TAG, CITY, ORGANISATION, YEAR = "article", "tag", "city", "org", "year"
COUNTED = {TAG, CITY, ORGANISATION, YEAR}


def key(kind, pk):
    return f"{kind}:{pk}"


def split(scope):
    kind, _, pk = scope.partition(":")
    return kind, int(pk) if pk else None


class Scope(models.Model):
    """A part of the public content that pages show: the change that last touched it, and how
    many published articles it holds (tags, cities, organisations, years and `list`)."""

    key = models.CharField(max_length=40, unique=True)
    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)  # the clock's: next scheduled publication
    articles = models.PositiveIntegerField(null=True, blank=True)
    # The counted row of a tag, city or organisation, to join on; kept when it is deleted.
    tag = models.OneToOneField(
        Tag, models.DO_NOTHING, null=True, db_constraint=False, related_name="scope"
    )
    city = models.OneToOneField(
        City, models.DO_NOTHING, null=True, db_constraint=False, related_name="scope"
    )
    organisation = models.OneToOneField(
        Organisation, models.DO_NOTHING, null=True, db_constraint=False, related_name="scope"
    )

    class Meta:
        verbose_name = "内容范围"
        verbose_name_plural = "内容范围"

    def __str__(self):
        return f"{self.key} #{self.number}"


def counted_tags():
    """Tags on published articles, each with how many (num_articles), most used first."""
    return (
        Tag.objects.filter(scope__articles__gt=0)
        .annotate(num_articles=F("scope__articles"))
        .order_by("-num_articles", "name")
    )


def counted_years():
    """[(year, how many published articles)], most first."""
    rows = Scope.objects.filter(key__startswith=f"{YEAR}:", articles__gt=0)
    counts = [(split(k)[1], n) for k, n in rows.values_list("key", "articles")]
    return sorted(counts, key=lambda row: (-row[1], -row[0]))


def article_count(scope=LIST):
    row = Scope.objects.filter(key=scope).values_list("articles", flat=True).first()
    return row or 0


def article_count_of(related):
    """An annotation: the published articles of each tag, city or organisation (its scope)."""
    return Coalesce(F(f"{related}__articles"), 0)


# What a change touches.


def showing(articles, using=None):
    """The scopes of the pages that list any of these articles (only the public ones count):
    the lists, and their tags', cities', organisations' and years' pages."""
    return _shown_by(list(articles.using(using).published().values_list("pk", flat=True)), using)


def _shown_by(pks, using, years=True):
    if not pks:
        return set()
    through = (
        (TAG, ArticleTag, "content_object", "tag"),
        (CITY, Article.cities.through, "article", "city"),
        (ORGANISATION, Article.organisations.through, "article", "organisation"),
    )
    scopes = {LIST}
    for kind, model, article, other in through:
        linked = model.objects.using(using).filter(**{f"{article}__in": pks})
        linked = linked.order_by().values_list(other, flat=True).distinct()
        scopes |= {key(kind, pk) for pk in linked}
    if not years:
        return scopes
    dated = Article.objects.using(using).filter(pk__in=pks, published_at__isnull=False)
    dated = dated.annotate(y=ExtractYear("published_at")).order_by().values_list("y", flat=True)
    return scopes | {key(YEAR, year) for year in dated.distinct()}


def _neighbours(article, when, using):
    """The scopes of the articles whose previous/next link is article's, at date when."""
    if when is None:
        return set()
    place = Article(pk=article.pk, published_at=when)
    found = Article.objects.using(using).published().neighbours(place)
    return {key(ARTICLE, other.pk) for other in found if other is not None}


def was_public(status, published_at):
    return status in Article.PUBLIC_STATUSES and bool(
        published_at and published_at <= timezone.now()
    )


def touched_by_article(article, before=None, using=None):
    """What saving (or deleting) article touches. before: (status, published_at) as stored
    before the save, or None for a new article. Nothing unless it is public before or after."""
    status, published_at = before or (None, None)
    public_before = was_public(status, published_at)
    if not (public_before or article.is_public):
        return set()
    scopes = {LIST, key(ARTICLE, article.pk)} | _shown_by([article.pk], using, years=False)
    for when in {published_at, article.published_at}:
        scopes |= _neighbours(article, when, using)
        if when is not None:
            scopes.add(key(YEAR, timezone.localtime(when).year))
    return scopes


def touched_by_links(article_pks, kind, other_pks, using=None):
    """Tags, cities or organisations (kind, other_pks) added to or removed from articles."""
    shown = showing(Article.objects.filter(pk__in=article_pks), using)
    if not shown:
        return set()
    public = Article.objects.using(using).published().filter(pk__in=article_pks)
    articles = {key(ARTICLE, pk) for pk in public.values_list("pk", flat=True)}
    return shown | articles | {key(kind, pk) for pk in other_pks}


def tagged_cities(tag_pks, using=None):
    cities = TaggedItem.objects.using(using).filter(
        tag__in=tag_pks, content_type__app_label="articles", content_type__model="city"
    )
    return {key(CITY, pk) for pk in cities.values_list("object_id", flat=True)}


def touched_by_tag(tag_pk, article_pks, using=None):
    """A tag renamed, merged or deleted: its page, the lists, every page listing its articles
    (their cards name it) and the cities it is an industry of."""
    shown = showing(Article.objects.filter(pk__in=article_pks), using)
    return {LIST, key(TAG, tag_pk)} | shown | tagged_cities([tag_pk], using)


def touched_by_city(city_pk, article_pks, tag_pks, organisation_pks, using=None):
    """A city changed (its fields, figures or industries): its page, the city pages and lists,
    the pages listing its articles, its industries' tag pages and its organisations'."""
    shown = showing(Article.objects.filter(pk__in=article_pks), using)
    return (
        {LIST, CITIES, key(CITY, city_pk)}
        | shown
        | {key(TAG, pk) for pk in tag_pks}
        | {key(ORGANISATION, pk) for pk in organisation_pks}
    )


def touched_by_organisation(organisation_pk, article_pks, city_pks, using=None):
    shown = showing(Article.objects.filter(pk__in=article_pks), using)
    return (
        {LIST, key(ORGANISATION, organisation_pk)}
        | shown
        | {key(CITY, pk) for pk in city_pks if pk is not None}
    )


# Writing the versions and counts.


def _next_publication(now):
    scheduled = Article.objects.filter(
        status__in=Article.PUBLIC_STATUSES, published_at__gt=now
    ).order_by("published_at")
    return Subquery(scheduled.values("published_at")[:1])


def _advance_clock(now, using):
    """The next change's number; the row stays locked until the writer commits, so numbers
    commit in order (articles.caching relies on it)."""
    clock = Scope.objects.using(using).filter(key=CLOCK)
    if not clock.update(number=F("number") + 1, changed_at=now, until=_next_publication(now)):
        Scope.objects.using(using).create(
            key=CLOCK, number=1, changed_at=now, until=Article.objects.next_publication(now)
        )
    return clock.values_list("number", flat=True).get()


def reschedule(using=None):
    """A scheduled article was saved: the clock's next publication follows it."""
    now = timezone.now()
    Scope.objects.using(using).filter(key=CLOCK).update(until=_next_publication(now))


def _recount(scopes, using):
    """{scope: published articles} for the counted scopes among scopes."""
    wanted = {}
    for scope in scopes:
        kind, pk = split(scope)
        if kind in COUNTED:
            wanted.setdefault(kind, set()).add(pk)
    published = Article.objects.using(using).published()
    counts = {LIST: published.count()} if LIST in scopes else {}
    through = {
        TAG: (ArticleTag, "content_object", "tag"),
        CITY: (Article.cities.through, "article", "city"),
        ORGANISATION: (Article.organisations.through, "article", "organisation"),
    }
    for kind, (model, article, other) in through.items():
        if kind not in wanted:
            continue
        rows = model.objects.using(using).filter(
            **{f"{other}__in": wanted[kind], f"{article}__in": published.values("pk")}
        )
        found = dict(rows.values(other).annotate(n=Count("pk")).values_list(other, "n"))
        counts |= {key(kind, pk): found.get(pk, 0) for pk in wanted[kind]}
    if YEAR in wanted:
        # Each year as a date range, which the date index serves.
        in_years = Q(*(Q(published_at__year=year) for year in wanted[YEAR]), _connector=Q.OR)
        years = published.filter(in_years).annotate(y=ExtractYear("published_at")).order_by()
        found = dict(years.values("y").annotate(n=Count("pk")).values_list("y", "n"))
        counts |= {key(YEAR, year): found.get(year, 0) for year in wanted[YEAR]}
    return counts


def _row(scope, number, now, counts):
    kind, pk = split(scope)
    return Scope(
        key=scope,
        number=number,
        changed_at=now,
        articles=counts.get(scope),
        tag_id=pk if kind == TAG else None,
        city_id=pk if kind == CITY else None,
        organisation_id=pk if kind == ORGANISATION else None,
    )


def touch(scopes, using=None):
    """The pages showing scopes are no longer current: in the writer's transaction, their
    versions move to a new change number and their counts are made again; the CDN purges
    them once it commits."""
    scopes = set(scopes)
    if not scopes:
        return
    now = timezone.now()
    number = _advance_clock(now, using)
    counts = _recount(scopes, using)
    Scope.objects.using(using).bulk_create(
        [_row(scope, number, now, counts) for scope in sorted(scopes)],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["number", "changed_at", "articles", "tag", "city", "organisation"],
    )
    cdn.purge_after_commit(scopes, using)


def touch_everything(using=None):
    """Every page and count afresh: after QuerySet.update() or raw SQL, which send no signals."""
    published = Article.objects.using(using).published()
    years = published.annotate(y=ExtractYear("published_at")).order_by().values_list("y", flat=True)
    scopes = {ALL, LIST, CITIES}
    scopes |= set(Scope.objects.using(using).exclude(key=CLOCK).values_list("key", flat=True))
    scopes |= {key(TAG, pk) for pk in Tag.objects.using(using).values_list("pk", flat=True)}
    scopes |= {key(CITY, pk) for pk in City.objects.using(using).values_list("pk", flat=True)}
    organisations = Organisation.objects.using(using).values_list("pk", flat=True)
    scopes |= {key(ORGANISATION, pk) for pk in organisations}
    scopes |= {key(YEAR, year) for year in years.distinct()}
    touch(scopes, using)


def publish_due(until, using=None):
    """Scheduled articles whose time (from until on) has come: no write made them public, so the
    first request after it touches what they show, once (the clock's until is claimed)."""
    now = timezone.now()
    claimed = (
        Scope.objects.using(using)
        .filter(key=CLOCK, until=until)
        .update(until=_next_publication(now))
    )
    if not claimed:
        return
    due = Article.objects.using(using).published().filter(published_at__gte=until)
    scopes = set()
    for article in due.only("pk", "status", "published_at"):
        scopes |= touched_by_article(article, using=using)
    touch(scopes, using)


# What a page shows.


def on_article_page(article):
    """An article's page (loaded for_detail()): the article, and its tags, cities and
    organisations, whose names it shows and whose articles its related list draws from."""
    return {
        key(ARTICLE, article.pk),
        *(key(TAG, tag.pk) for tag in article.tags.all()),
        *(key(CITY, city.pk) for city in article.cities.all()),
        *(key(ORGANISATION, organisation.pk) for organisation in article.organisations.all()),
    }
