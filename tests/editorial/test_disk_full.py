"""Disk full while a cover is prepared (articles.tasks.prepare_cover, after the editor's save):
the save stands, the article keeps the cover it had, no file is left in MEDIA_ROOT without a
row, no row points at a missing file, and the upload waits, held, to be tried again."""

import errno
import os

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from articles.editorial.images import rendition_files
from articles.models import Article, PendingCover
from tests.helpers import add_with_cover, article_form, files_under, picture, run_worker, upload


class Disk:
    """MEDIA_ROOT on a disk that has room for `files` more files: the next one is written
    half-way and then fails with ENOSPC, as a real full disk does."""

    def __init__(self, root):
        self.root = str(root)
        self.files = None  # unlimited

    def fill_after(self, files):
        self.files = files


class _FillingWriter:
    def __init__(self, file):
        self.file = file

    def write(self, data):
        self.file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self):
        self.file.close()


@pytest.fixture
def disk(media, monkeypatch):
    disk = Disk(media)
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        file = real_fdopen(fd, *args, **kwargs)
        if not os.readlink(f"/proc/self/fd/{fd}").startswith(disk.root) or disk.files is None:
            return file
        if disk.files == 0:
            return _FillingWriter(file)
        disk.files -= 1
        return file

    monkeypatch.setattr(os, "fdopen", fdopen)
    return disk


def assert_every_file_belongs_to_a_row(media):
    referenced = set()
    for article in Article.objects.all():
        if article.cover_image:
            referenced |= rendition_files(article.cover_image.name, article.cover_renditions)
    on_disk = {name for name in files_under(media)}
    assert on_disk == referenced  # no orphan file, and no row pointing at a missing one


# A 2,000-pixel-wide cover makes five files: the cover, WebP copies 480, 960, 1600 wide, and
# the share card.
@pytest.mark.parametrize(
    "files_that_fit", [0, 1, 2, 3, 4], ids=["cover", "480", "960", "1600", "share"]
)
def test_a_full_disk_fails_the_covers_task_not_the_save_and_leaves_no_file(
    editor_client, disk, media, files_that_fit
):
    disk.fill_after(files_that_fit)
    response = add_with_cover(editor_client, picture(), name="封面.jpg")
    assert response.status_code == 302  # the upload is held in the database, not on the disk
    article = Article.objects.get()
    assert not article.cover_image and not article.cover_renditions
    assert PendingCover.objects.filter(article=article).exists()  # to be tried again
    assert_every_file_belongs_to_a_row(media)


def test_once_space_is_freed_the_worker_gives_the_article_its_cover(
    editor_client, disk, media, worker_backend
):
    disk.fill_after(1)
    assert add_with_cover(editor_client, picture()).status_code == 302
    run_worker(max_tasks=1)  # the first attempt: the disk is full
    assert not Article.objects.get().cover_image
    assert_every_file_belongs_to_a_row(media)
    disk.fill_after(None)
    run_worker()  # tried again
    article = Article.objects.get()
    assert len(article.cover_renditions["sizes"]) == 3
    assert not PendingCover.objects.exists()
    assert_every_file_belongs_to_a_row(media)


@pytest.fixture
def article_with_cover(editor_client, media):
    assert add_with_cover(editor_client, picture(), alt="旧封面").status_code == 302
    return Article.objects.get()


@pytest.mark.parametrize("files_that_fit", [0, 2])
def test_an_edit_with_a_new_cover_keeps_the_old_one_while_the_disk_is_full(
    editor_client, disk, media, article_with_cover, files_that_fit
):
    article = article_with_cover
    files_before = files_under(media)

    disk.fill_after(files_that_fit)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form(
                title="改过的标题",
                status="published",
                cover_image=upload(picture(size=(1800, 900))),
                cover_alt="新封面",
                seen_version=article.version,
                published_at_0=f"{article.published_at:%Y-%m-%d}",
                published_at_1=f"{article.published_at:%H:%M:%S}",
            ),
        )
    assert response.status_code == 302
    edited = Article.objects.get(pk=article.pk)
    assert edited.title == "改过的标题"
    assert (edited.cover_image, edited.cover_renditions) == (
        article.cover_image,
        article.cover_renditions,
    )
    assert files_under(media) == files_before  # the old cover and its sizes, nothing new
    assert_every_file_belongs_to_a_row(media)
    page = Client().get(edited.get_absolute_url())
    assert page.status_code == 200
    assert article.cover_renditions["sizes"][0][2] in page.text  # readers still see the old one
