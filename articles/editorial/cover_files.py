"""A held upload becomes a cover; a replaced, cleared or deleted cover or library image leaves
no file behind: neither the image nor its sizes and share card.

The files go only once the change is committed (a rolled-back save still needs them), and
a cover's only if no article still uses them. A library image's files are its own (no two
rows share one), and the row cannot be deleted while an article shows it.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from articles.editorial.images import make_renditions, reencode, rendition_files
from articles.models import Article
from articles.models.covers import PendingCover


def prepare(pending_id):
    """Re-encode the held upload pending_id, make its sizes and give them to its article.

    The slow part runs outside any transaction; then, with the held row locked, the new files
    are given to the article if the upload is still the one waiting (not replaced by a newer
    one, the cover not cleared, the article not deleted meanwhile), and go otherwise. Returns
    whether the article got them."""
    data = PendingCover.objects.filter(pk=pending_id).values_list("data", flat=True).first()
    if data is None:
        return False
    content, image = reencode(bytes(data))
    name = f"covers/{content.name}"
    try:
        name = default_storage.save(name, content)
        renditions = make_renditions(image, name)
    except OSError:
        # Disk full: the name is new, so whatever is there, whole or partly written, is ours.
        default_storage.delete(name)
        raise
    with transaction.atomic():
        held = PendingCover.objects.select_for_update().filter(pk=pending_id).first()
        if held is None:
            delete_on_commit(name, renditions)
            return False
        article = Article.objects.select_for_update().get(pk=held.article_id)
        article.take_cover(name, image.size, renditions)
        held.delete()
    return True


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
