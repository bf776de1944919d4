"""Every signal receiver of the app, wired one way (@receiver), imported by ArticlesConfig.ready().

What an article save sets off: the pages that show it are touched (articles.models.scopes
decides which: none for a draft), a changed slug leaves a redirect, a replaced cover's files go
after the commit (a library image's too, when it is replaced or deleted), a new cover is
prepared by a task. The search index follows tag changes (taggit saves tags after their
article, and tags may be renamed or deleted: their articles are re-indexed by a task),
mentions follow new or renamed cities and organisations (by a task), and a failed task is
tried again later.
"""

from django.core.signals import request_started
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver
from django_tasks_db.compat import task_finished
from taggit.models import Tag, TaggedItem

from articles import tasks
from articles.caching import new_request
from articles.editorial.cover_files import delete_library_files_on_commit, delete_on_commit
from articles.editorial.redirects import slug_saved
from articles.models import (
    Article,
    ArticleTag,
    City,
    CityFigures,
    Indicator,
    IndicatorValue,
    MediaImage,
    Organisation,
    OriginalLink,
    Scope,
    TagAlias,
    scopes,
)
from articles.models.covers import PendingCover
from articles.search.indexing import refresh_titles, tagged_articles
from articles.search.sqlite import ensure_sqlite_index

# What a save needs to know of the row it replaces, read once before the save.
STORED_FIELDS = ("slug", "cover_image", "cover_renditions", "status", "published_at")
# The links of articles that their pages show, and the kind of scope at the other end.
ARTICLE_LINKS = {
    ArticleTag: (scopes.TAG, "content_object", "tag"),
    Article.cities.through: (scopes.CITY, "article", "city"),
    Article.organisations.through: (scopes.ORGANISATION, "article", "organisation"),
}


@receiver(request_started, dispatch_uid="content-version-per-request")
def read_content_version_afresh(sender, **kwargs):
    new_request()


@receiver(pre_save, sender=Article)
def read_stored_article(sender, instance, raw=False, **kwargs):
    instance.row_before_save = None
    if not raw and instance.pk is not None:
        instance.row_before_save = (
            Article.objects.filter(pk=instance.pk).values(*STORED_FIELDS).first()
        )


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stored = getattr(instance, "row_before_save", None) or {}
    slug_saved(instance, stored.get("slug"))
    old_cover = stored.get("cover_image")
    if old_cover and old_cover != instance.cover_image.name:
        delete_on_commit(old_cover, stored["cover_renditions"])
    before = (stored["status"], stored["published_at"]) if stored else None
    using = kwargs.get("using")
    touched = scopes.touched_by_article(instance, before, using)
    scopes.touch(touched, using)
    if not touched and {instance.status, stored.get("status")} & set(Article.PUBLIC_STATUSES):
        scopes.reschedule(using)  # due later: the clock's next publication follows it


@receiver(pre_delete, sender=Article)
def article_deleting(sender, instance, using=None, **kwargs):
    before = (instance.status, instance.published_at)
    instance.touches = scopes.touched_by_article(instance, before, using)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, using=None, **kwargs):
    if instance.cover_image:
        delete_on_commit(instance.cover_image.name, instance.cover_renditions)
    scopes.touch(getattr(instance, "touches", ()), using)


@receiver(pre_save, sender=MediaImage)
def read_stored_image(sender, instance, raw=False, **kwargs):
    instance.stored_file = None
    if not raw and instance.pk is not None:
        instance.stored_file = (
            MediaImage.objects.filter(pk=instance.pk).values_list("file", "renditions").first()
        )


@receiver(post_save, sender=MediaImage)
def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    stored = getattr(instance, "stored_file", None)
    if stored and stored[0] != instance.file.name:
        delete_library_files_on_commit(*stored)
    if update_fields is None or MediaImage.SHOWN_FIELDS & set(update_fields):
        # Sizes and share card, and the bodies that show the picture drawn again.
        tasks.after_commit(tasks.prepare_library_image, instance.pk)


@receiver(post_delete, sender=MediaImage)
def image_deleted(sender, instance, **kwargs):
    delete_library_files_on_commit(instance.file.name, instance.renditions)


@receiver(m2m_changed)
def article_links_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """Tags, cities or organisations linked to or unlinked from articles (from either side)."""
    if sender not in ARTICLE_LINKS:
        return
    kind, article_field, other_field = ARTICLE_LINKS[sender]
    if action == "pre_clear":  # the rows go next: what they link is read now
        mine, theirs = (other_field, article_field) if reverse else (article_field, other_field)
        linked = sender.objects.using(using).filter(**{mine: instance.pk})
        instance.cleared = set(linked.values_list(theirs, flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    linked = pk_set if action != "post_clear" else getattr(instance, "cleared", set())
    articles, others = (linked, {instance.pk}) if reverse else ({instance.pk}, linked)
    scopes.touch(scopes.touched_by_links(articles, kind, others, using), using)


@receiver(m2m_changed, sender=ArticleTag)
def article_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        refresh_titles([instance.pk])


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, created=False, using=None, **kwargs):
    if not created:
        articles = list(tagged_articles(instance))
        reindex(articles)
        scopes.touch(scopes.touched_by_tag(instance.pk, articles, using), using)


@receiver(pre_delete, sender=Tag)
def tag_deleting(sender, instance, using=None, **kwargs):
    instance.tagged_articles = list(tagged_articles(instance))
    instance.touches = scopes.touched_by_tag(instance.pk, instance.tagged_articles, using)


@receiver(post_delete, sender=Tag)
def tag_deleted(sender, instance, using=None, **kwargs):
    reindex(getattr(instance, "tagged_articles", []))
    scopes.touch(getattr(instance, "touches", ()), using)


def reindex(article_ids):
    if ids := sorted(article_ids):
        tasks.after_commit(tasks.reindex_titles, ids)


@receiver(post_save, sender=PendingCover)
def cover_uploaded(sender, instance, created=False, **kwargs):
    if created:
        tasks.after_commit(tasks.prepare_cover, instance.pk)


# What articles.mentions finds a city or organisation by.
NAMED_BY = {City: ("name", "slug"), Organisation: ("name", "name_en", "aliases", "slug")}


@receiver(pre_save, sender=City)
@receiver(pre_save, sender=Organisation)
def read_stored_names(sender, instance, raw=False, **kwargs):
    fields = NAMED_BY[sender]
    instance.names_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


@receiver(post_save, sender=City)
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=City)
@receiver(post_delete, sender=Organisation)
def names_changed(sender, instance, raw=False, **kwargs):
    names = {field: getattr(instance, field) for field in NAMED_BY[sender]}
    if not raw and getattr(instance, "names_before", None) != names:
        tasks.after_commit_once(tasks.relink_mentions)


@receiver(task_finished, dispatch_uid="retry-failed-task")
def retry_failed_task(sender, task_result, **kwargs):
    tasks.retry_later(sender, task_result)


@receiver(m2m_changed, sender=TaggedItem)
def city_industries_changed(sender, instance, action, pk_set, using=None, **kwargs):
    """A city's industries (its own tags) are shown on its page and on the tags' pages."""
    if isinstance(instance, City) and action in {"post_add", "post_remove", "pre_clear"}:
        tags = pk_set or set(instance.tags.values_list("pk", flat=True))
        scopes.touch(
            {scopes.LIST, scopes.key(scopes.CITY, instance.pk)}
            | {scopes.key(scopes.TAG, pk) for pk in tags},
            using,
        )


def city_touches(city, using):
    """What a change to city touches, read while its links still exist."""
    return scopes.touched_by_city(
        city.pk,
        Article.objects.using(using).filter(cities=city.pk).values_list("pk", flat=True),
        city.tags.values_list("pk", flat=True),
        Organisation.objects.using(using).filter(city=city.pk).values_list("pk", flat=True),
        using,
    )


@receiver(post_save, sender=City)
def city_saved(sender, instance, created=False, using=None, **kwargs):
    scopes.touch(city_touches(instance, using), using)


@receiver(pre_delete, sender=City)
def city_deleting(sender, instance, using=None, **kwargs):
    instance.touches = city_touches(instance, using)


@receiver(post_delete, sender=City)
@receiver(post_delete, sender=Organisation)
def profile_deleted(sender, instance, using=None, **kwargs):
    scopes.touch(getattr(instance, "touches", ()), using)


@receiver(post_save, sender=CityFigures)
@receiver(post_delete, sender=CityFigures)
@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
def city_figures_changed(sender, instance, using=None, **kwargs):
    """Figures show on the city's page, the city index, the home page and its articles' pages."""
    scopes.touch({scopes.LIST, scopes.CITIES, scopes.key(scopes.CITY, instance.city_id)}, using)


@receiver(post_save, sender=Indicator)
@receiver(post_delete, sender=Indicator)
def indicator_changed(sender, instance, using=None, **kwargs):
    cities = City.objects.using(using).values_list("pk", flat=True)
    touched = {scopes.LIST, scopes.CITIES} | {scopes.key(scopes.CITY, pk) for pk in cities}
    scopes.touch(touched, using)


@receiver(pre_save, sender=Organisation)
def read_stored_organisation(sender, instance, raw=False, using=None, **kwargs):
    stored = Organisation.objects.using(using).filter(pk=instance.pk).values("city").first()
    instance.stored_city = stored["city"] if stored else None


def organisation_touches(organisation, using):
    return scopes.touched_by_organisation(
        organisation.pk,
        Article.objects.using(using)
        .filter(organisations=organisation.pk)
        .values_list("pk", flat=True),
        {organisation.city_id, getattr(organisation, "stored_city", None)},
        using,
    )


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, using=None, **kwargs):
    scopes.touch(organisation_touches(instance, using), using)


@receiver(pre_delete, sender=Organisation)
def organisation_deleting(sender, instance, using=None, **kwargs):
    instance.touches = organisation_touches(instance, using)


@receiver(post_save, sender=OriginalLink)
@receiver(post_delete, sender=OriginalLink)
def original_link_changed(sender, instance, using=None, **kwargs):
    public = Article.objects.using(using).published().filter(pk=instance.article_id).exists()
    if public:
        scopes.touch({scopes.key(scopes.ARTICLE, instance.article_id)}, using)


@receiver(post_save, sender=TagAlias)
@receiver(post_delete, sender=TagAlias)
def tag_alias_changed(sender, instance, using=None, **kwargs):
    """Aliases name tags in a search (articles.entities)."""
    scopes.touch({scopes.LIST}, using)


@receiver(post_migrate)
def sqlite_triggers(sender, using="default", **kwargs):
    ensure_sqlite_index(using)


@receiver(post_migrate, dispatch_uid="count-once")
def count_once(sender, using="default", apps=None, **kwargs):
    """The counts start from the data there is: once, when the clock is not yet there (a new
    database, or one emptied by flush)."""
    if sender.label != "articles":
        return
    if apps is not None and "scope" not in apps.all_models["articles"]:
        return  # migrated back past the table (flush sends no apps: every table is there)
    if not Scope.objects.using(using).filter(key=scopes.CLOCK).exists():
        scopes.touch_everything(using)
