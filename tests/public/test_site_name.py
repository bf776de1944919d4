"""The publication's name is one setting, SITE_NAME: every page, feed, share card, error page
and the admin follow it."""

import feedparser
import pytest
from django.urls import reverse

NAME = "江南观察"


@pytest.fixture
def renamed(settings):
    settings.SITE_NAME = NAME


@pytest.mark.parametrize("url", ["/", "/articles/", "/tags/", "/cities/", "/organisations/"])
def test_every_page_takes_the_name_from_the_setting(client, db, renamed, url):
    html = client.get(url).content.decode()
    assert f"{NAME}</title>" in html
    assert f'<meta property="og:site_name" content="{NAME}">' in html
    assert f'class="brand" href="/">{NAME}</a>' in html
    assert "区域经济观察" not in html


def test_an_article_page_is_titled_with_the_article_and_the_name(client, renamed, make_article):
    article = make_article(title="杭州的算力")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"<title>杭州的算力 · {NAME}</title>" in html
    assert f'"publisher": {{"@type": "Organization", "name": "{NAME}"}}' in html


def test_feeds_and_the_not_found_page_follow_the_setting(client, renamed, make_article):
    make_article()
    feed = feedparser.parse(client.get(reverse("articles:feed-rss")).content)
    assert feed.feed.title == NAME
    assert feed.entries[0].author == f"{NAME}编辑部"
    assert f"找不到页面 · {NAME}</title>" in client.get("/没有这一页/").content.decode()


def test_the_admin_header_names_the_site(editor_client, renamed):
    assert f"{NAME} · 编辑后台</a>" in editor_client.get("/admin/").content.decode()


def test_the_api_schema_names_the_site(client, db, renamed):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == f"{NAME} API"
