"""A CDN in front: real Varnish running deploy/varnish.vcl before gunicorn. Public pages are
kept by Varnish and served from it; an editor's write in another process purges them after its
commit, so a publication shows through the CDN within a second and an unpublished article is
gone from it at once."""

import time

import pytest
from django.conf import settings

from tests.services import (
    Gunicorn,
    Varnish,
    http_get,
    migrated_sqlite,
    site_env,
    site_shell,
    wait_until_serving,
)

PUBLISH = """
from django.utils import timezone
from articles.models import Article
Article.objects.create(title={title!r}, slug={slug!r}, summary="摘要", body="正文",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(minutes=1))
"""
UNPUBLISH = """
from articles.models import Article
article = Article.objects.get(slug={slug!r})
article.status = Article.Status.DRAFT
article.save()
"""


@pytest.fixture(scope="module")
def cdn(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("cdn")
    env = migrated_sqlite(
        folder,
        site_env(
            STATIC_ROOT=str(settings.STATIC_ROOT),
            GUNICORN_WORKERS="2",
            CDN_CACHE_SECONDS="3600",
            CDN_PURGE_BACKEND="articles.cdn.VarnishPurge",
        ),
    )
    gunicorn = Gunicorn(env, folder / "gunicorn.log")
    varnish = Varnish(folder / "varnish", gunicorn.port)
    env = env | {"CDN_PURGE_URLS": varnish.url}
    gunicorn.start()
    varnish.start()
    wait_until_serving(gunicorn.port)
    site_shell(env, PUBLISH.format(title="第一篇", slug="first"))
    yield {"varnish": varnish, "gunicorn": gunicorn, "env": env}
    varnish.stop()
    gunicorn.stop()


def through_cdn(cdn, path):
    return http_get(cdn["varnish"].port, path)


def test_public_pages_are_kept_by_the_cdn_and_revalidated_by_browsers(cdn):
    origin = http_get(cdn["gunicorn"].port, "/articles/")[1]
    assert "s-maxage=3600" in origin["Cache-Control"]
    assert "stale-while-revalidate=" in origin["Cache-Control"]
    assert origin["xkey"] == "all list"

    through_cdn(cdn, "/articles/")
    status, headers, body = through_cdn(cdn, "/articles/")
    assert status == 200 and "第一篇" in body
    assert headers["X-Cache"] == "HIT"
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "xkey" not in headers


def test_editors_and_recent_writers_pass_the_cdn(cdn):
    through_cdn(cdn, "/articles/")
    for cookie in ("sessionid=x", "primary=1"):
        headers = http_get(cdn["varnish"].port, "/articles/", headers={"Cookie": cookie})[1]
        assert headers["X-Cache"] == "MISS"


def test_a_publication_is_visible_through_the_cdn_within_a_second(cdn):
    assert through_cdn(cdn, "/articles/second/")[0] == 404
    assert "第二篇" not in through_cdn(cdn, "/articles/")[2]
    assert through_cdn(cdn, "/articles/")[1]["X-Cache"] == "HIT"

    site_shell(cdn["env"], PUBLISH.format(title="第二篇", slug="second"))
    committed = time.monotonic()
    while "第二篇" not in through_cdn(cdn, "/articles/")[2]:
        assert time.monotonic() - committed < 1, "the list through the CDN is still old"
        time.sleep(0.05)
    assert through_cdn(cdn, "/articles/second/")[0] == 200
    assert time.monotonic() - committed < 1


def test_an_unpublished_article_is_gone_through_the_cdn_at_once(cdn):
    site_shell(cdn["env"], PUBLISH.format(title="第三篇", slug="third"))
    through_cdn(cdn, "/articles/third/")
    status, headers, _ = through_cdn(cdn, "/articles/third/")
    assert status == 200 and headers["X-Cache"] == "HIT"

    site_shell(cdn["env"], UNPUBLISH.format(slug="third"))
    assert through_cdn(cdn, "/articles/third/")[0] == 404
    assert "第三篇" not in through_cdn(cdn, "/articles/")[2]
