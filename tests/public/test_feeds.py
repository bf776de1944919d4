"""RSS and Atom feeds, read back with feedparser: all articles, each tag, each city."""

from datetime import timedelta
from unittest import mock

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

FEEDS = ["articles:feed-rss", "articles:feed-atom"]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("name", FEEDS)
def test_feed_carries_full_content_categories_author_and_dates(
    client, make_article, name, django_user_model
):
    author = django_user_model.objects.create_user("wang", first_name="王伟")
    make_article(
        title="杭州的算力",
        summary="一句话摘要",
        body="第一段。\n\n**第二段**有<script>alert(1)</script>脚本。",
        tags=["人工智能", "算力"],
        author=author,
    )
    feed = read(client, reverse(name))
    [entry] = feed.entries
    assert entry.title == "杭州的算力"
    assert entry.link.endswith("/articles/hangzhou-de-suanli/")
    content = entry.content[0].value
    assert "<strong>第二段</strong>" in content
    assert "<script>" not in content
    assert entry.summary == "一句话摘要"
    assert {tag.term for tag in entry.tags} == {"人工智能", "算力"}
    assert entry.author == "王伟"
    assert "wang" not in entry.author
    assert entry.published_parsed is not None or entry.updated_parsed is not None


@pytest.mark.parametrize("name", FEEDS)
def test_author_without_a_name_is_shown_as_the_desk_not_by_login(
    client, make_article, name, editor
):
    make_article(title="无名作者", author=editor)
    [entry] = read(client, reverse(name)).entries
    assert entry.author == "区域经济观察编辑部"


@pytest.mark.parametrize("name", FEEDS)
def test_draft_is_absent_from_feeds(client, make_article, hangzhou, name):
    make_article(title="已发布", tags=["芯片"], cities=[hangzhou])
    make_article(title="草稿", status=Article.Status.DRAFT, tags=["芯片"], cities=[hangzhou])
    suffix = name.rsplit("-", 1)[1]
    urls = [
        reverse(name),
        reverse(f"articles:tag-feed-{suffix}", args=["芯片"]),
        reverse(f"articles:city-feed-{suffix}", args=["hangzhou"]),
    ]
    for url in urls:
        assert [e.title for e in read(client, url).entries] == ["已发布"]


@pytest.mark.parametrize("name", FEEDS)
def test_scheduled_article_appears_once_its_time_comes(client, make_article, name):
    make_article(title="今天")
    make_article(title="明天", published_at=timezone.now() + timedelta(hours=1))
    assert [e.title for e in read(client, reverse(name)).entries] == ["今天"]
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert [e.title for e in read(client, reverse(name)).entries] == ["明天", "今天"]


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_tag_feed_lists_only_that_tag(client, make_article, suffix):
    make_article(title="有芯片", tags=["芯片"])
    make_article(title="无芯片", tags=["人口"])
    feed = read(client, reverse(f"articles:tag-feed-{suffix}", args=["芯片"]))
    assert feed.feed.title == "区域经济观察 · 标签：芯片"
    assert [e.title for e in feed.entries] == ["有芯片"]


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_city_feed_lists_only_that_city(client, make_article, hangzhou, nanjing, suffix):
    make_article(title="写杭州", cities=[hangzhou])
    make_article(title="写南京", cities=[nanjing])
    feed = read(client, reverse(f"articles:city-feed-{suffix}", args=["nanjing"]))
    assert feed.feed.title == "区域经济观察 · 城市：南京"
    assert [e.title for e in feed.entries] == ["写南京"]


def test_feed_of_unknown_tag_or_city_is_404(client, db):
    assert client.get(reverse("articles:tag-feed-rss", args=["没有"])).status_code == 404
    assert client.get(reverse("articles:city-feed-atom", args=["nowhere"])).status_code == 404


def test_feed_of_a_tag_only_on_drafts_is_404(client, make_article):
    make_article(title="草稿", status=Article.Status.DRAFT, tags=["秘密"])
    assert client.get(reverse("articles:tag-feed-rss", args=["秘密"])).status_code == 404


def test_pages_link_their_feeds(client, make_article, hangzhou):
    make_article(tags=["芯片"], cities=[hangzhou])
    home = client.get(reverse("articles:home")).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in home
    assert f'href="{reverse("articles:feed-atom")}"' in home
    tag_page = client.get(reverse("articles:tag-detail", args=["芯片"])).content.decode()
    assert f'href="{reverse("articles:tag-feed-rss", args=["芯片"])}"' in tag_page
    city_page = client.get(reverse("articles:city-detail", args=["hangzhou"])).content.decode()
    assert f'href="{reverse("articles:city-feed-atom", args=["hangzhou"])}"' in city_page


@pytest.mark.parametrize("name", ["articles:feed-rss", "articles:feed-atom"])
def test_links_inside_the_content_are_absolute(client, make_article, hangzhou, name):
    make_article(
        title="杭州一文", body="见[杭州](/cities/hangzhou/)与[外站](https://example.com/x)。"
    )
    feed = read(client, reverse(name))
    content = feed.entries[0].content[0].value
    assert 'href="http://testserver/cities/hangzhou/"' in content
    assert 'href="https://example.com/x"' in content
    assert 'href="/' not in content
