"""Cached public pages, feeds and API answers: validators, 304s, staff bypass, and invalidation
on every change that affects what a reader sees."""

import os
import socket
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, CityFigures
from tests.helpers import run_action

REDIS = "redis://127.0.0.1:6379/6"
CACHED_URLS = [
    "/",
    "/articles/",
    "/tags/",
    "/cities/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/api/v1/articles/",
    "/api/v1/tags/",
    "/api/v1/cities/",
]


@pytest.fixture
def article(make_article, hangzhou):
    return make_article(title="杭州的算力", tags=["人工智能"], cities=[hangzhou])


@pytest.mark.parametrize("url", CACHED_URLS)
def test_second_read_is_served_from_the_cache(client, article, url, django_assert_num_queries):
    """One query: the versions of what the page shows, as the database holds them (articles.caching)."""
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_cached_answer_has_validators_and_must_be_revalidated(client, article):
    response = client.get(article.get_absolute_url())
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "max-age=0" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("url", ["/articles/", "/feeds/atom/", "/api/v1/articles/"])
def test_matching_etag_is_answered_with_304(client, article, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_is_answered_with_304(client, article):
    last_modified = client.get("/cities/")["Last-Modified"]
    assert client.get("/cities/", headers={"if-modified-since": last_modified}).status_code == 304


def test_stale_etag_gets_the_new_page(client, article):
    etag = client.get("/articles/")["ETag"]
    article.title = "改过的标题"
    article.save()
    response = client.get("/articles/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "改过的标题" in response.content.decode()


def test_publish_read_unpublish_read(client, make_article):
    article = make_article(title="一篇草稿", status=Article.Status.DRAFT, tags=["芯片"])
    article.publish()
    article.save()
    for url in (
        article.get_absolute_url(),
        "/articles/",
        "/feeds/rss/",
        "/api/v1/articles/",
        "/tags/芯片/",
    ):
        assert "一篇草稿" in client.get(url).content.decode()
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 200

    article.unpublish()

    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 404
    assert client.get("/tags/芯片/").status_code == 404
    for url in (
        "/",
        "/articles/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/api/v1/articles/",
        "/sitemap-articles.xml",
    ):
        assert "一篇草稿" not in client.get(url).content.decode()
        assert article.slug not in client.get(url).content.decode()


def test_publishing_through_the_admin_action_shows_at_once(client, editor_client, make_article):
    article = make_article(title="待发布", status=Article.Status.DRAFT)
    assert "待发布" not in client.get("/articles/").content.decode()
    run_action(editor_client, "publish", article)
    assert "待发布" in client.get("/articles/").content.decode()


def test_edited_article_shows_at_once(client, article):
    assert "杭州的算力" in client.get(article.get_absolute_url()).content.decode()
    article.summary = "新的摘要"
    article.save()
    assert "新的摘要" in client.get(article.get_absolute_url()).content.decode()
    assert "新的摘要" in client.get("/articles/").content.decode()


def test_deleted_article_is_gone_at_once(client, article):
    assert "杭州的算力" in client.get("/").content.decode()
    article.delete()
    assert "杭州的算力" not in client.get("/").content.decode()
    assert "杭州的算力" not in client.get("/api/v1/articles/").content.decode()


def test_tags_written_after_save_show_at_once(client, article):
    assert "芯片" not in client.get(article.get_absolute_url()).content.decode()
    article.tags.add("芯片")
    assert "芯片" in client.get(article.get_absolute_url()).content.decode()
    assert [t["name"] for t in client.get("/api/v1/tags/").json()["items"]] == ["人工智能", "芯片"]
    article.tags.remove("芯片")
    assert "芯片" not in client.get(article.get_absolute_url()).content.decode()


def test_renamed_tag_shows_at_once(client, article):
    assert "人工智能" in client.get("/tags/").content.decode()
    tag = Tag.objects.get(name="人工智能")
    tag.name = "AI"
    tag.save()
    page = client.get("/tags/").content.decode()
    assert "人工智能" not in page
    assert "AI" in page


def test_city_change_shows_at_once(client, article, hangzhou):
    assert "杭州" in client.get(article.get_absolute_url()).content.decode()
    hangzhou.summary = "新的城市简介"
    hangzhou.save()
    assert "新的城市简介" in client.get("/cities/hangzhou/").content.decode()
    article.cities.clear()
    assert "/cities/hangzhou/" not in client.get(article.get_absolute_url()).content.decode()


def test_city_figure_change_shows_at_once(client, hangzhou):
    assert "21,860" in client.get("/cities/hangzhou/").content.decode()
    row = CityFigures.objects.get(city=hangzhou, year=2024)
    row.gdp = Decimal("22000")
    row.save()
    assert "22,000" in client.get("/cities/hangzhou/").content.decode()
    assert client.get("/api/v1/cities/hangzhou/").json()["figures"][0]["gdp"] == 22000
    row.delete()
    assert "22,000" not in client.get("/cities/hangzhou/").content.decode()


def test_scheduled_article_appears_on_a_cached_page_when_its_time_comes(client, make_article):
    make_article(title="定时发布", published_at=timezone.now() + timedelta(hours=1))
    assert "定时发布" not in client.get("/articles/").content.decode()
    assert "定时发布" not in client.get("/articles/").content.decode()  # now from the cache
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert "定时发布" in client.get("/articles/").content.decode()
        assert "定时发布" in client.get("/api/v1/articles/").content.decode()


def test_staff_are_never_served_a_cached_copy(
    client, editor_client, article, django_assert_max_num_queries
):
    client.get(article.get_absolute_url())  # anonymous: now cached
    with django_assert_max_num_queries(50) as queries:
        response = editor_client.get(article.get_absolute_url())
    assert len(queries) > 0
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_staff_preview_is_never_stored_for_readers(client, editor_client, make_article):
    draft = make_article(title="内部草稿", status=Article.Status.DRAFT)
    assert "草稿预览" in editor_client.get(draft.get_absolute_url()).content.decode()
    client.cookies.clear()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_not_found_is_not_cached(client, make_article):
    assert client.get("/articles/later/").status_code == 404
    make_article(slug="later")
    assert client.get("/articles/later/").status_code == 200


def test_pages_are_cached_per_query_string(client, make_article):
    make_article(title="一", tags=["甲"])
    make_article(title="二", tags=["乙"])
    assert "一" in client.get("/articles/?tag=甲").content.decode()
    assert "二" not in client.get("/articles/?tag=甲").content.decode()
    assert "二" in client.get("/articles/?tag=乙").content.decode()


def cache_backend(**env):
    """The cache backend the settings choose, in a fresh interpreter with env set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    script = "import siteconf.settings as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def test_redis_is_the_cache_when_redis_url_is_set():
    assert cache_backend() == "django.core.cache.backends.locmem.LocMemCache"
    assert cache_backend(REDIS_URL=REDIS) == "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def redis_cache(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_publish_read_unpublish_read_on_redis(
    client, make_article, redis_cache, django_assert_num_queries
):
    article = make_article(title="红色缓存", status=Article.Status.DRAFT)
    article.publish()
    article.save()
    assert "红色缓存" in client.get("/articles/").content.decode()
    with django_assert_num_queries(1):
        assert "红色缓存" in client.get("/articles/").content.decode()
    article.unpublish()
    article.save()
    assert "红色缓存" not in client.get("/articles/").content.decode()
