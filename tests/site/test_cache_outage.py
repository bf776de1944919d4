"""The cache is an accelerator, never a dependency: a redis-server of the test's own is stopped,
hung (SIGSTOP) and filled (maxmemory, noeviction), and readers, editors and /healthz carry on;
restored from an older snapshot, it cannot bring an unpublished article back."""

import shutil
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from siteconf.settings import redis_cache

from articles import caching
from articles.models import Article
from tests.helpers import article_form
from tests.services import Redis

READER_URLS = [
    "/",
    "/articles/",
    "/articles/?q=算力",
    "/tags/",
    "/cities/",
    "/cities/hangzhou/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/api/v1/articles/",
    "/api/v1/tags/",
]


@pytest.fixture
def redis(settings, tmp_path):
    server = Redis(tmp_path / "redis", **{"maxmemory-policy": "noeviction"}).start()
    settings.CACHES = {"default": redis_cache(server.url)}
    caching.cache.skip_until = 0
    yield server
    server.stop()
    caching.cache.skip_until = 0


@pytest.fixture
def article(make_article, hangzhou):
    return make_article(title="杭州的算力", tags=["人工智能"], cities=[hangzhou])


def break_redis(redis, how):
    if how == "stopped":
        redis.stop()
    elif how == "hung":
        redis.pause()
    elif how == "full":
        redis.client().config_set("maxmemory", 1)  # already past it: every write is refused


def timed_get(client, url):
    start = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - start


def within(limit, rendering):
    """A second, the issue's figure; or, when this machine (shared, loaded) takes longer than
    that to render the page with no cache at all, that time and one cache timeout: the outage
    itself may cost no more than one short wait."""
    return max(limit, rendering + settings.CACHE_TIMEOUT + 0.25)


@pytest.mark.parametrize("how", ["stopped", "hung", "full"])
def test_readers_get_every_page_within_a_second(client, redis, article, how):
    urls = [*READER_URLS, article.get_absolute_url(), "/articles/?tag=人工智能"]
    rendering = {}
    for url in urls:  # rendered with a healthy cache, and stored in it
        response, rendering[url] = timed_get(client, url)
        assert response.status_code == 200
    assert redis.client().dbsize() > len(urls)
    break_redis(redis, how)
    for url in urls:
        for _ in range(2):
            response, seconds = timed_get(client, url)
            assert response.status_code == 200, url
            assert seconds < within(1, rendering[url]), (url, seconds, rendering[url])
    assert "杭州的算力" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("how", ["stopped", "hung", "full"])
def test_an_editors_save_succeeds_and_shows_at_once(client, editor_client, redis, article, how):
    client.get(article.get_absolute_url())  # cached
    url = f"/admin/articles/article/{article.pk}/change/"
    start = time.monotonic()
    assert editor_client.get(url).status_code == 200
    opening = time.monotonic() - start
    break_redis(redis, how)
    start = time.monotonic()
    response = editor_client.post(
        url,
        article_form(
            title="缓存坏了也能保存",
            slug=article.slug,
            status="published",
            seen_version=article.version,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert time.monotonic() - start < within(2, 2 * opening)  # a save: a form and a redirect
    assert Article.objects.get(pk=article.pk).title == "缓存坏了也能保存"
    assert "缓存坏了也能保存" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("how", ["stopped", "hung", "full"])
def test_healthz_says_the_cache_is_down(client, redis, db, how):
    assert client.get("/healthz").json() == {"status": "ok", "db": "up", "cache": "up"}
    break_redis(redis, how)
    response, seconds = timed_get(client, "/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "db": "up", "cache": "down"}
    assert seconds < 1  # one cache timeout (CACHE_TIMEOUT) at most


def test_a_full_cache_stores_nothing_new(client, redis, article):
    client.get("/")
    break_redis(redis, "full")
    keys = redis.client().dbsize()
    assert client.get("/tags/").status_code == 200
    assert client.get("/articles/?year=2025").status_code == 200
    assert redis.client().dbsize() == keys


def test_the_site_uses_the_cache_again_once_it_is_back(client, redis, article, settings):
    redis.pause()
    assert client.get("/tags/").status_code == 200  # a miss, and the cache is left alone a while
    redis.resume()
    caching.cache.skip_until = 0  # as if CACHE_RETRY_SECONDS had passed
    client.get("/tags/")
    assert redis.client().dbsize() > 0


def stored_pages_mentioning(redis, text):
    client = redis.client()
    return [key for key in client.keys("*page:*") if text.encode() in (client.get(key) or b"")]


def test_a_cache_restored_from_an_older_snapshot_cannot_publish_again(client, redis, article):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "杭州的算力" in client.get("/articles/").content.decode()
    assert stored_pages_mentioning(redis, "杭州的算力")
    redis.client().save()
    snapshot = shutil.copy(redis.folder / "dump.rdb", redis.folder / "old.rdb")

    article.unpublish()
    article.save()
    assert client.get(url).status_code == 404

    # Redis comes back from the snapshot taken while the article was public.
    redis.client().shutdown(nosave=True)
    redis.process.wait(10)
    shutil.copy(snapshot, redis.folder / "dump.rdb")
    redis.start()
    caches["default"].close()
    caching.cache.skip_until = 0
    assert stored_pages_mentioning(redis, "杭州的算力"), "the old pages are back in the cache"

    assert client.get(url).status_code == 404
    assert "杭州的算力" not in client.get("/articles/").content.decode()
    assert "杭州的算力" not in client.get("/api/v1/articles/").content.decode()
    assert "杭州的算力" not in client.get("/feeds/rss/").content.decode()
