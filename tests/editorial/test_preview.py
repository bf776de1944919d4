"""A draft can be previewed exactly as it will look, at a signed link that works without an
account and stops working after a while; the page is never indexed or cached publicly."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles.models import Article


@pytest.fixture
def draft(make_article, author, hangzhou):
    return make_article(
        title="尚未发布的稿子",
        body="## 小标题\n\n正文**加粗**。",
        status=Article.Status.DRAFT,
        author=author,
        tags=["长三角"],
        cities=[hangzhou],
    )


def shared_link(client, article):
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    return re.search(r'href="(http://testserver/preview/[^"]+)"[^>]*>分享预览', page).group(1)


@pytest.mark.parametrize("who", ["author_client", "editor_client"])
def test_author_or_editor_gets_a_link_a_colleague_opens_without_an_account(who, request, draft):
    link = shared_link(request.getfixturevalue(who), draft)
    response = Client().get(link)
    assert response.status_code == 200
    assert "尚未发布的稿子" in response.text
    assert "<h2>小标题</h2>" in response.text and "<strong>加粗</strong>" in response.text
    assert "杭州" in response.text  # the page as it will look, cities and all
    assert "草稿预览" in response.text


def test_preview_is_noindex_and_never_cached_publicly(author_client, draft):
    response = Client().get(shared_link(author_client, draft))
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_preview_shows_the_latest_text(author_client, draft):
    link = shared_link(author_client, draft)
    draft.title = "改过标题的稿子"
    draft.save()
    assert "改过标题的稿子" in Client().get(link).text


def test_preview_link_expires(author_client, draft, settings, monkeypatch):
    link = shared_link(author_client, draft)
    later = time.time() + settings.PREVIEW_MAX_AGE + 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = Client().get(link)
    assert response.status_code == 410
    assert "预览链接已过期" in response.text
    assert "尚未发布的稿子" not in response.text


@pytest.mark.parametrize("forge", ["other-salt", "edited", "garbage"])
def test_forged_preview_link_is_not_found(forge, author_client, draft, make_article):
    other = make_article(title="另一篇草稿", status=Article.Status.DRAFT)
    token = shared_link(author_client, draft).rstrip("/").rsplit("/", 1)[1]
    forged = {
        "other-salt": signing.dumps(other.pk, salt="something-else"),
        "edited": signing.dumps(other.pk, salt="articles.preview").split(":")[0]
        + token[token.index(":") :],
        "garbage": "abc",
    }[forge]
    response = Client().get(reverse("articles:article-preview", args=[forged]))
    assert response.status_code == 404
    assert "另一篇草稿" not in response.text


def test_draft_url_itself_stays_closed_to_readers(draft):
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_staff_draft_view_is_never_cached_publicly(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_author_previews_only_their_own_drafts_on_the_site(author_client, role_user, make_article):
    theirs = make_article(
        title="别人的草稿", status=Article.Status.DRAFT, author=role_user("other", "作者")
    )
    assert author_client.get(theirs.get_absolute_url()).status_code == 404
