"""Every signal receiver of the app, wired one way (@receiver), imported by ArticlesConfig.ready().

What an article save sets off: the page cache's content version is dropped, a changed slug
leaves a redirect, a replaced cover's files go after the commit (a library image's too, when
it is replaced or deleted), a new cover is prepared by a task. The search index follows tag
changes (taggit saves tags after their article, and tags may be renamed or deleted: their
articles are re-indexed by a task), mentions follow new or renamed cities and organisations
(by a task), and a failed task is tried again later.
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
from taggit.models import Tag

from articles import tasks
from articles.caching import content_changed, new_request
from articles.editorial.cover_files import delete_library_files_on_commit, delete_on_commit
from articles.editorial.redirects import slug_saved
from articles.models import EDITORS_ONLY, Article, ArticleTag, City, MediaImage, Organisation
from articles.models.covers import PendingCover
from articles.search.indexing import refresh_titles, tagged_articles
from articles.search.sqlite import ensure_sqlite_index

# What a save needs to know of the row it replaces, read once before the save.
STORED_FIELDS = ("slug", "cover_image", "cover_renditions")


@receiver(post_save, dispatch_uid="content-changed-save")
@receiver(post_delete, dispatch_uid="content-changed-delete")
@receiver(m2m_changed, dispatch_uid="content-changed-m2m")
def drop_content_version(sender, **kwargs):
    if sender in EDITORS_ONLY:
        return  # autosaves and presence are no public content: cached pages stay
    content_changed(sender, using=kwargs.get("using"))


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


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    if instance.cover_image:
        delete_on_commit(instance.cover_image.name, instance.cover_renditions)


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


@receiver(m2m_changed, sender=ArticleTag)
def article_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        refresh_titles([instance.pk])


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, created=False, **kwargs):
    if not created:
        reindex(tagged_articles(instance))


@receiver(pre_delete, sender=Tag)
def tag_deleting(sender, instance, **kwargs):
    instance.tagged_articles = list(tagged_articles(instance))


@receiver(post_delete, sender=Tag)
def tag_deleted(sender, instance, **kwargs):
    reindex(getattr(instance, "tagged_articles", []))


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


@receiver(post_migrate)
def sqlite_triggers(sender, using="default", **kwargs):
    ensure_sqlite_index(using)
