"""The CDN's side of caching (articles.cdn): what public pages tell a CDN, and the purges an
editor's changes send, once each transaction commits, to a purge endpoint listening here over
HTTP (Varnish itself runs in tests/site/test_cdn.py)."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.cache import get_max_age
from taggit.models import Tag

from articles.caching import forget_version
from articles.models import Article
from tests.helpers import run_action
from tests.services import free_port


class PurgeLog(BaseHTTPRequestHandler):
    def do_BAN(self):
        self.server.purges.append((self.command, self.headers["xkey-purge"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def content(make_article):
    """Made before purging is switched on: its own purges would be pending in the test's
    transaction, and a transaction purges once."""
    return {
        "published": make_article(title="文章", tags=["人工智能"]),
        "draft": make_article(title="待发布", status=Article.Status.DRAFT),
    }


@pytest.fixture
def purges(settings, content):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), PurgeLog)
    server.purges = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_CACHE_SECONDS = 3600
    settings.CDN_PURGE_BACKEND = "articles.cdn.VarnishPurge"
    settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}"]
    yield server.purges
    server.shutdown()
    server.server_close()


def keys(article, *more):
    """The surrogate keys of the pages showing article: its own, the lists, its tags' and year's."""
    tags = [f"tag:{pk}" for pk in article.tags.values_list("pk", flat=True)]
    year = f"year:{timezone.localtime(article.published_at).year}"
    return " ".join(sorted({f"article:{article.pk}", "list", year, *tags, *more}))


def s_maxage(response):
    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    return int(directives["s-maxage"]), directives


def test_public_pages_tell_the_cdn_how_long_and_which_key(client, make_article, purges):
    make_article(title="公开")
    response = client.get("/articles/")
    seconds, directives = s_maxage(response)
    assert seconds == 3600
    assert directives["stale-while-revalidate"] == "30"
    assert get_max_age(response) == 0  # browsers still revalidate
    assert response["xkey"] == "all list"


def test_no_cdn_no_change(client, make_article):
    make_article(title="公开")
    response = client.get("/articles/")
    assert "s-maxage" not in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
    assert not response.has_header("xkey")


def test_the_cdn_keeps_no_page_past_the_next_scheduled_publication(client, make_article, purges):
    make_article(title="定时", published_at=timezone.now() + timedelta(minutes=10))
    seconds, _ = s_maxage(client.get("/articles/"))
    assert 500 < seconds <= 600


def test_staff_pages_carry_no_key(editor_client, make_article, purges):
    article = make_article(title="公开")
    response = editor_client.get(article.get_absolute_url())
    assert not response.has_header("xkey")
    assert "no-store" in response["Cache-Control"]


def test_publish_purges_once_after_the_commit(
    editor_client, content, purges, django_capture_on_commit_callbacks
):
    article = content["draft"]
    with django_capture_on_commit_callbacks() as callbacks:
        run_action(editor_client, "publish", article)
        assert purges == []  # not before the commit
    for callback in callbacks:
        callback()
    article.refresh_from_db()
    # One purge, however many rows the save wrote: the article's pages, and its neighbour's.
    assert purges == [("BAN", keys(article, f"article:{content['published'].pk}"))]


def test_unpublish_purges_after_the_commit(
    editor_client, content, purges, django_capture_on_commit_callbacks
):
    article = content["published"]
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, "unpublish", article)
    assert purges == [("BAN", keys(article))]


def test_a_draft_save_purges_nothing(content, purges, django_capture_on_commit_callbacks):
    draft = content["draft"]
    with django_capture_on_commit_callbacks(execute=True):
        draft.body = "还在写"
        draft.save()
        draft.tags.add("芯片")
    assert purges == []


def edit(article):
    article.summary = "新摘要"
    article.save()


def rename_tag_in_bulk(article):
    Tag.objects.filter(name="人工智能").update(name="AI")  # no signals: the caller says so
    forget_version()


@pytest.mark.parametrize(
    "change",
    [edit, lambda article: article.tags.add("芯片"), rename_tag_in_bulk, Article.delete],
    ids=["edit", "tag added", "update() then forget_version", "delete"],
)
def test_every_change_to_a_page_purges(content, purges, change, django_capture_on_commit_callbacks):
    article = content["published"]
    before = keys(article)
    with django_capture_on_commit_callbacks(execute=True):
        change(article)
    assert len(purges) == 1
    purged = set(purges[0][1].split())
    # a change to the article purges its pages (a tag added, that tag's too); one that sent no
    # signals purges everything
    assert purged == {"all"} or set(before.split()) <= purged


def test_a_rolled_back_change_purges_nothing(content, purges, django_capture_on_commit_callbacks):
    article = content["published"]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article.summary = "不会留下"
        article.save()
        raise RuntimeError
    assert purges == []


def test_an_unreachable_cdn_does_not_stop_a_save(
    editor_client, make_article, settings, caplog, django_capture_on_commit_callbacks
):
    article = make_article(title="待发布", status=Article.Status.DRAFT)
    settings.CDN_CACHE_SECONDS = 3600
    settings.CDN_PURGE_BACKEND = "articles.cdn.VarnishPurge"
    settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{free_port()}"]  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(editor_client, "publish", article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "CDN purge" in caplog.text
