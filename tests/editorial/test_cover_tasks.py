"""A cover is prepared after the editor's save, by the worker: the save answers without
re-encoding or resizing, readers never get the upload as it came (its camera metadata), and
the article's pages show the cover as soon as the worker has made it."""

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from articles.models import Article
from tests.helpers import ADD, article_form, files_under, picture, run_worker, upload


@pytest.fixture
def saved(editor_client, media, worker_backend):
    """A published article saved with a large photo (camera metadata in it) as its cover; the
    worker has not run yet."""

    def save(article=None, size=(4000, 3000), **fields):
        url = reverse("admin:articles_article_change", args=[article.pk]) if article else ADD
        form = article_form(
            status="published",
            cover_image=upload(picture(size=size, exif=True)),
            cover_alt="钱江新城",
            **fields,
        )
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = editor_client.post(url, form)
        assert response.status_code == 302
        return Article.objects.latest("pk")

    return save


def test_the_save_answers_before_the_cover_is_made_and_readers_see_none_meanwhile(saved, media):
    article = saved()
    assert not article.cover_image and not article.cover_renditions
    assert files_under(media) == []  # the upload as it came is nowhere a URL could reach
    page = Client().get(article.get_absolute_url()).text
    assert 'class="cover"' not in page


def test_the_page_shows_the_cover_once_the_worker_has_made_it(saved, media):
    article = saved()
    reader = Client()
    assert 'class="cover"' not in reader.get(article.get_absolute_url()).text  # now cached
    run_worker()
    article.refresh_from_db()
    assert [w for w, _, _ in article.cover_renditions["sizes"]] == [480, 960, 1600]
    assert (article.cover_width, article.cover_height) == (4000, 3000)
    page = reader.get(article.get_absolute_url()).text
    assert 'class="cover"' in page and "-960.webp" in page
    listing = reader.get(reverse("articles:article-list")).text
    assert "-480.webp 480w" in listing
    for name in files_under(media):
        assert b"SecretCam" not in (media / name).read_bytes()


def test_a_newer_upload_replaces_one_still_waiting(saved, media):
    article = saved()
    saved(article, size=(1200, 900), seen_version=article.version)
    run_worker()
    article.refresh_from_db()
    assert (article.cover_width, article.cover_height) == (1200, 900)
    assert (
        len(files_under(media)) == 1 + 2 + 1
    )  # the cover, 480, 960 wide, its share card: nothing of the first


def test_clearing_the_cover_drops_a_new_one_still_waiting(saved, editor_client, media):
    article = saved(size=(1200, 900))
    run_worker()
    article.refresh_from_db()
    saved(article, seen_version=article.version)  # a new one waits; the old one is shown
    with TestCase.captureOnCommitCallbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form(
                status="published",
                seen_version=article.version + 1,
                cover_alt="",
                **{"cover_image-clear": "on"},
            ),
        )
    run_worker()
    article.refresh_from_db()
    assert not article.cover_image
    assert files_under(media) == []
