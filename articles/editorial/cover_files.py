"""A replaced, cleared or deleted cover leaves no file behind: neither the image nor its sizes.

The files go only once the change is committed (a rolled-back save still needs them), and
only if no article still uses them.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

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
