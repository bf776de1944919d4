"""What the page cache keys on: only the query parameters a page reads, normalised, and only a
session really signed in as staff is kept out of it."""

import pytest
from siteconf.settings import redis_cache

from articles import caching
from tests.services import Redis


@pytest.fixture
def redis(settings, tmp_path):
    server = Redis(tmp_path / "redis").start()
    settings.CACHES = {"default": redis_cache(server.url)}
    caching.cache.skip_until = 0
    yield server
    server.stop()


@pytest.fixture
def article(make_article, hangzhou):
    return make_article(title="南京的芯片", tags=["芯片"], cities=[hangzhou])


def test_unknown_parameters_add_no_keys(client, redis, article):
    assert client.get("/articles/").status_code == 200
    keys = redis.client().dbsize()
    pages = {
        client.get("/articles/", {"utm_source": f"x{n}", "junk": "1" * n}).content
        for n in range(40)
    }
    assert redis.client().dbsize() == keys
    assert len(pages) == 1
    assert "utm_source" not in pages.pop().decode()


def test_the_order_of_parameters_makes_no_new_key(client, redis, article):
    first = client.get("/articles/?tag=芯片&city=hangzhou")
    keys = redis.client().dbsize()
    second = client.get("/articles/?city=hangzhou&tag=芯片&q=")
    assert redis.client().dbsize() == keys
    assert second.content == first.content
    assert "南京的芯片" in first.content.decode()


def test_parameters_a_page_reads_still_make_their_own_pages(client, redis, article):
    assert "南京的芯片" in client.get("/articles/?tag=芯片").content.decode()
    assert "南京的芯片" not in client.get("/articles/?tag=人工智能").content.decode()
    assert client.get("/api/v1/articles/?tag=人工智能").json()["count"] == 0
    assert client.get("/api/v1/articles/?tag=芯片").json()["count"] == 1


@pytest.mark.parametrize("cookie", ["junk", "x" * 32, "abcdefgh12345678abcdefgh12345678"])
def test_a_junk_session_cookie_is_served_from_the_cache(
    client, article, cookie, django_assert_max_num_queries
):
    first = client.get("/articles/")
    client.cookies["sessionid"] = cookie
    with django_assert_max_num_queries(
        2
    ):  # the versions of what it shows, and looking the session up
        second = client.get("/articles/")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]


def test_a_signed_out_session_is_served_from_the_cache(client, author, article):
    client.get("/articles/")
    client.force_login(author)
    client.logout()
    assert "public" in client.get("/articles/")["Cache-Control"]


def test_signed_in_staff_bypass_it(client, editor_client, article):
    client.get("/articles/")
    response = editor_client.get("/articles/")
    assert "no-store" in response["Cache-Control"]
