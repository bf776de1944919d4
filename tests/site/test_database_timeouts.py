"""A stuck database answers the 503 page within its timeouts, never a 500, and the site comes
back by itself: a second PostgreSQL connection holds a table lock, as a migration or a
forgotten transaction would."""

import time

import psycopg
import pytest
from django.db import connection
from django.test import Client

from articles.models import Article
from tests.helpers import article_form


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "table locks and lock_timeout are PostgreSQL's: run with "
            "DATABASE_URL=postgres://… (make test does, in .ci/run)"
        )


def hold_lock(table):
    """A second connection that holds ACCESS EXCLUSIVE on table until it is closed."""
    params = connection.get_connection_params()
    params.pop("options", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    holder = psycopg.connect(**params)
    holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    return holder


def test_the_timeouts_are_set_on_every_connection(postgresql):
    with connection.cursor() as cursor:
        shown = {}
        for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {
        "statement_timeout": "10s",
        "lock_timeout": "3s",
        "idle_in_transaction_session_timeout": "1min",
    }


def test_a_held_table_lock_gives_the_503_page_then_recovers(postgresql, make_article):
    article = make_article(title="锁表的时候")
    client = Client()
    client.raise_request_exception = False
    urls = ["/", "/articles/", article.get_absolute_url(), "/api/v1/articles/", "/feeds/rss/"]
    holder = hold_lock("articles_article")
    try:
        for url in urls:
            start = time.monotonic()
            response = client.get(url)
            seconds = time.monotonic() - start
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert seconds < 3 + 1.5, (url, seconds)  # lock_timeout, and the rest of the page
    finally:
        holder.close()
    assert "锁表的时候" in client.get(article.get_absolute_url()).content.decode()
    assert client.get("/api/v1/articles/").status_code == 200


def test_an_admin_save_under_a_held_lock_says_it_was_not_saved(postgresql, editor, make_article):
    article = make_article(title="原来的标题")
    client = Client()
    client.force_login(editor)
    client.raise_request_exception = False
    url = f"/admin/articles/article/{article.pk}/change/"
    form = article_form(title="锁住时的修改", slug=article.slug, seen_version=article.version)
    holder = hold_lock("articles_article")
    try:
        response = client.post(url, form)
    finally:
        holder.close()
    assert response.status_code == 503
    assert "您刚才的修改没有保存" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "原来的标题"
    assert client.post(url, form).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "锁住时的修改"
