"""Every signal receiver of the app, wired one way (@receiver), imported by ArticlesConfig.ready().

What an article save sets off: the page cache's content version is dropped, a changed slug
leaves a redirect, a replaced cover's files go after the commit (a library image's too, when
it is replaced or deleted). The search index follows tag
changes (taggit saves tags after their article, and tags may be renamed or deleted).
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
from taggit.models import Tag

from articles.caching import content_changed, new_request
from articles.editorial.cover_files import delete_library_files_on_commit, delete_on_commit
from articles.editorial.redirects import slug_saved
from articles.models import EDITORS_ONLY, Article, ArticleTag, MediaImage
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
def image_saved(sender, instance, raw=False, **kwargs):
    stored = getattr(instance, "stored_file", None)
    if not raw and stored and stored[0] != instance.file.name:
        delete_library_files_on_commit(*stored)


@receiver(post_delete, sender=MediaImage)
def image_deleted(sender, instance, **kwargs):
    delete_library_files_on_commit(instance.file.name, instance.renditions)


@receiver(m2m_changed, sender=ArticleTag)
def article_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        refresh_titles([instance.pk])


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, **kwargs):
    refresh_titles(tagged_articles(instance))


@receiver(pre_delete, sender=Tag)
def tag_deleting(sender, instance, **kwargs):
    instance.tagged_articles = list(tagged_articles(instance))


@receiver(post_delete, sender=Tag)
def tag_deleted(sender, instance, **kwargs):
    refresh_titles(getattr(instance, "tagged_articles", []))


@receiver(post_migrate)
def sqlite_triggers(sender, using="default", **kwargs):
    ensure_sqlite_index(using)
