"""Disk full during an admin save with a cover image: the editor reads why, the typed text
stays in the form, no file is left in MEDIA_ROOT without a row, no row points at a missing
file, and the article is saved whole or not at all."""

import errno
import os

import pytest
from django.urls import reverse

from articles.editorial.images import rendition_files
from articles.models import Article
from tests.helpers import add_with_cover, article_form, files_under, picture, upload


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
def test_new_article_is_not_saved_and_leaves_no_file(editor_client, disk, media, files_that_fit):
    disk.fill_after(files_that_fit)
    response = add_with_cover(editor_client, picture(), name="封面.jpg")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["cover_image"]
    assert any("封面图没能存下" in e and "No space left on device" in e for e in errors), errors
    assert "文章没有保存" in response.text
    assert 'value="杭州有DeepSeek，南京有什么？"' in response.text  # the typed text is kept
    assert not Article.objects.exists()
    assert_every_file_belongs_to_a_row(media)


def test_after_space_is_freed_the_same_form_saves(editor_client, disk, media):
    disk.fill_after(1)
    assert add_with_cover(editor_client, picture()).status_code == 200
    disk.fill_after(None)
    assert add_with_cover(editor_client, picture()).status_code == 302
    article = Article.objects.get()
    assert len(article.cover_renditions["sizes"]) == 3
    assert_every_file_belongs_to_a_row(media)


@pytest.fixture
def article_with_cover(editor_client, media):
    assert add_with_cover(editor_client, picture(), alt="旧封面").status_code == 302
    return Article.objects.get()


@pytest.mark.parametrize("files_that_fit", [0, 2])
def test_edit_with_a_new_cover_changes_nothing_when_the_disk_is_full(
    editor_client, disk, media, article_with_cover, files_that_fit
):
    article = article_with_cover
    before = Article.objects.values().get(pk=article.pk)
    tags_before = sorted(article.tags.names())
    revisions_before = article.revisions.count()
    files_before = files_under(media)

    disk.fill_after(files_that_fit)
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            title="改过的标题",
            body="改过的正文",
            tags="新标签",
            status="published",
            cover_image=upload(picture(size=(1800, 900))),
            cover_alt="新封面",
            seen_version=article.version,
            published_at_0=f"{article.published_at:%Y-%m-%d}",
            published_at_1=f"{article.published_at:%H:%M:%S}",
        ),
    )
    assert response.status_code == 200
    assert "封面图没能存下" in response.text
    assert 'value="改过的标题"' in response.text

    assert Article.objects.values().get(pk=article.pk) == before  # not one field half-saved
    assert sorted(article.tags.names()) == tags_before
    assert article.revisions.count() == revisions_before
    assert files_under(media) == files_before  # the old cover and its sizes, nothing new
    assert_every_file_belongs_to_a_row(media)
    assert editor_client.get(article.get_absolute_url()).status_code == 200
