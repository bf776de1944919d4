"""A replaced, cleared or deleted cover leaves no file behind: neither the image nor its sizes.

The files go only once the change is committed (a rolled-back save still needs them), and
only if no article still uses them.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article


def cover_files(name, renditions):
    """The stored image and the names of the sizes made from it."""
    return {name, *(rendition for _, _, rendition in renditions.get("sizes", []))} - {""}


def delete_unused(name, renditions):
    """Delete the cover called name and its sizes, except files an article still uses."""
    files = cover_files(name, renditions)
    users = Article.objects.filter(Q(cover_image=name) | Q(cover_renditions__of=name))
    for image, sizes in users.values_list("cover_image", "cover_renditions"):
        files -= cover_files(image, sizes)
    for file in files:
        default_storage.delete(file)


def delete_on_commit(name, renditions):
    # robust: a file that cannot be deleted is logged; the committed save stands.
    transaction.on_commit(lambda: delete_unused(name, renditions), robust=True)


@receiver(pre_save, sender=Article)
def remember_old_cover(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._old_cover = (
        Article.objects.filter(pk=instance.pk)
        .values_list("cover_image", "cover_renditions")
        .first()
    )


@receiver(post_save, sender=Article)
def delete_replaced_cover(sender, instance, raw=False, **kwargs):
    name, renditions = getattr(instance, "_old_cover", None) or ("", {})
    if name and name != instance.cover_image.name:
        delete_on_commit(name, renditions)


@receiver(post_delete, sender=Article)
def delete_cover_of_deleted_article(sender, instance, **kwargs):
    if instance.cover_image:
        delete_on_commit(instance.cover_image.name, instance.cover_renditions)
