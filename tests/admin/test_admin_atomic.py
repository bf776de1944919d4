"""A save that dies half-way (a crashed worker, a failing tag write) leaves the article as it
was: old or new, never half-saved."""

import pytest
from django.urls import reverse
from taggit.managers import _TaggableManager

from articles.models import Article
from tests.helpers import Crash, article_form, run_action


@pytest.fixture
def crash_on_tag_write(monkeypatch):
    """From when it is called, writing tags raises, after the article row is written."""

    def crash(*args, **kwargs):
        raise Crash("worker killed while writing the tags")

    return lambda: monkeypatch.setattr(_TaggableManager, "set", crash)


def test_admin_save_that_dies_after_the_article_row_leaves_it_unchanged(
    editor_client, make_article, hangzhou, crash_on_tag_write
):
    article = make_article(title="原来的标题", body="原来的正文", tags=["旧标签"])
    crash_on_tag_write()
    editor_client.raise_request_exception = False
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            title="新的标题",
            body="新的正文",
            tags="新标签",
            cities=[hangzhou.pk],
            seen_version=Article.objects.get(pk=article.pk).version,
        ),
    )
    assert response.status_code == 500
    article.refresh_from_db()
    assert (article.title, article.body) == ("原来的标题", "原来的正文")
    assert list(article.tags.names()) == ["旧标签"]
    assert not article.cities.exists() and not article.links.exists()


def test_new_article_that_dies_mid_save_is_not_created(editor_client, crash_on_tag_write):
    crash_on_tag_write()
    editor_client.raise_request_exception = False
    response = editor_client.post(reverse("admin:articles_article_add"), article_form())
    assert response.status_code == 500
    assert not Article.objects.exists()


def test_publish_action_that_dies_half_way_publishes_none(editor_client, make_article, monkeypatch):
    drafts = [make_article(title=f"草稿 {n}", status=Article.Status.DRAFT) for n in range(3)]
    real_publish = Article.publish
    calls = []

    def publish_then_crash(article):
        calls.append(article.pk)
        real_publish(article)
        if len(calls) == 2:
            raise Crash("worker killed during the batch")

    monkeypatch.setattr(Article, "publish", publish_then_crash)
    editor_client.raise_request_exception = False
    response = run_action(editor_client, "publish", *drafts)
    assert response.status_code == 500
    assert not Article.objects.published().exists()
