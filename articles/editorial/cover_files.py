"""A replaced, cleared or deleted cover or library image leaves no file behind: neither the
image nor its sizes and share card.

The files go only once the change is committed (a rolled-back save still needs them), and
a cover's only if no article still uses them. A library image's files are its own (no two
rows share one), and the row cannot be deleted while an article shows it.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from articles.editorial.images import rendition_files
from articles.models import Article


def delete_unused(name, renditions):
    """Delete the cover called name and its sizes, except files an article still uses."""
    files = rendition_files(name, renditions)
    users = Article.objects.filter(Q(cover_image=name) | Q(cover_renditions__of=name))
    for image, sizes in users.values_list("cover_image", "cover_renditions"):
        files -= rendition_files(image, sizes)
    for file in files:
        default_storage.delete(file)


def delete_on_commit(name, renditions):
    # robust: a file that cannot be deleted is logged; the committed save stands.
    transaction.on_commit(lambda: delete_unused(name, renditions), robust=True)


def delete_library_files_on_commit(name, renditions):
    def delete():
        for file in rendition_files(name, renditions):
            default_storage.delete(file)

    transaction.on_commit(delete, robust=True)
