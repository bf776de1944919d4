"""A replaced, cleared or deleted cover leaves no file on disk (image, sizes and share card),
once the change is committed; a file another article still uses stays."""

import pytest
from django.urls import reverse

from articles.editorial.images import rendition_files
from articles.models import Article
from tests.helpers import Crash, add_with_cover, article_form, picture, run_action, upload


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def stored(media):
    covers = media / "covers"
    return sorted(p.name for p in covers.iterdir()) if covers.exists() else []


def files_of(article):
    files = rendition_files(article.cover_image.name, article.cover_renditions)
    return {name.split("/")[-1] for name in files}


def edit(client, article, **fields):
    fields.setdefault("seen_version", article.version)
    return client.post(change_url(article), article_form(status="draft", **fields))


@pytest.fixture
def covered(editor_client, media):
    """An article whose cover has been saved with its three sizes and share card."""
    add_with_cover(editor_client, picture())
    article = Article.objects.get()
    assert len(stored(media)) == 5
    return article


def test_replaced_cover_goes_with_its_sizes_once_the_save_commits(
    editor_client, covered, media, django_capture_on_commit_callbacks
):
    old = files_of(covered)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            editor_client,
            covered,
            cover_image=upload(picture(size=(1200, 600)), name="new.jpg"),
            cover_alt="新的封面",
        )
        assert response.status_code == 302
        # Not yet committed: the old files are there, the new cover waits for its task.
        assert set(stored(media)) == old
    covered.refresh_from_db()
    assert set(stored(media)) == files_of(covered)
    assert not old & files_of(covered)


def test_cleared_cover_leaves_no_file(
    editor_client, covered, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(editor_client, covered, **{"cover_image-clear": "on"}, cover_alt="")
    assert response.status_code == 302
    assert stored(media) == []


def test_saving_other_fields_keeps_the_cover(
    editor_client, covered, media, django_capture_on_commit_callbacks
):
    before = stored(media)
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor_client, covered, title="只改标题", cover_alt=covered.cover_alt)
    assert stored(media) == before


def test_refused_or_rolled_back_save_keeps_the_old_cover(
    editor_client, covered, media, django_capture_on_commit_callbacks, monkeypatch
):
    old = files_of(covered)
    opened = covered.version
    Article.objects.get(pk=covered.pk).save()  # someone else saves meanwhile
    stale = edit(
        editor_client, covered, seen_version=opened, **{"cover_image-clear": "on"}, cover_alt=""
    )
    assert "保存失败" in stale.text
    covered.refresh_from_db()

    def crash(*args, **kwargs):
        raise Crash("worker killed after the article row was written")

    monkeypatch.setattr(Article, "accept_mentions", crash)
    editor_client.raise_request_exception = False
    with django_capture_on_commit_callbacks(execute=True):
        crashed = edit(
            editor_client,
            covered,
            cover_image=upload(picture(size=(1200, 600))),
            cover_alt="新的封面",
            accept_mentions="on",
        )
    assert crashed.status_code == 500
    assert old <= set(stored(media))
    covered.refresh_from_db()
    assert files_of(covered) == old


def test_file_another_article_uses_is_kept(
    editor_client, covered, media, django_capture_on_commit_callbacks, make_article
):
    twin = make_article(
        title="同图的另一篇",
        cover_image=covered.cover_image.name,
        cover_alt="同一张图",
        cover_renditions=covered.cover_renditions,
    )
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor_client, covered, **{"cover_image-clear": "on"}, cover_alt="")
    assert set(stored(media)) == files_of(twin)


def test_deleting_an_article_deletes_its_cover(
    editor_client, covered, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_article_delete", args=[covered.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored(media) == []


def test_bulk_delete_action_deletes_the_covers(
    editor_client, covered, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, "delete_selected", covered, post="yes")
    assert not Article.objects.exists()
    assert stored(media) == []
