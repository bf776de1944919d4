"""Precise invalidation and counts kept on write (articles.models.scopes): a draft's save leaves
every cached page where it was, a publication changes the pages that show the article and no
others, and the counts readers see are right after each change without a reader counting."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.editorial import tag_care
from articles.editorial.revisions import save_with_revision
from articles.models import Article, Scope, scopes
from tests.helpers import run_action


@pytest.fixture
def site(make_article, hangzhou, nanjing):
    older = make_article(title="南京的港口", tags=["港口"], cities=[nanjing])
    older.published_at = timezone.now() - timedelta(days=30)
    older.save()
    return {
        "unrelated": older,
        "newest": make_article(title="杭州的算力", tags=["人工智能"], cities=[hangzhou]),
        "draft": make_article(title="芯片草稿", status=Article.Status.DRAFT),
    }


def served_from_the_cache(client, url, django_assert_num_queries):
    """The page as served again: one query, reading the versions of what it shows."""
    first = client.get(url)
    assert first.status_code == 200, url
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    return again.content.decode()


PUBLIC_URLS = [
    "/",
    "/articles/",
    "/articles/?tag=港口",
    "/tags/",
    "/tags/港口/",
    "/tags/人工智能/",
    "/cities/",
    "/cities/hangzhou/",
    "/feeds/rss/",
    "/sitemap-articles.xml",
    "/api/v1/articles/",
    "/api/v1/tags/",
]


def test_a_draft_save_leaves_every_cached_page_and_count_in_place(
    client, editor, site, django_assert_num_queries
):
    urls = [*PUBLIC_URLS, site["newest"].get_absolute_url(), site["unrelated"].get_absolute_url()]
    pages = {url: served_from_the_cache(client, url, django_assert_num_queries) for url in urls}
    counts = list(Scope.objects.exclude(key=scopes.CLOCK).values_list("key", "number", "articles"))

    draft = site["draft"]
    draft.body = "还在写的正文"

    def tags_and_cities():
        draft.tags.add("港口", "人工智能")
        draft.cities.add(site["newest"].cities.first())

    save_with_revision(draft, editor, related=tags_and_cities)

    assert (
        list(Scope.objects.exclude(key=scopes.CLOCK).values_list("key", "number", "articles"))
        == counts
    )
    for url, page in pages.items():
        with django_assert_num_queries(1):
            assert client.get(url).content.decode() == page, url


def test_a_publish_changes_the_pages_that_show_the_article_and_no_other(
    editor_client, site, django_assert_num_queries
):
    client = Client()  # a reader, beside the editor
    unrelated = site["unrelated"]
    untouched = ["/tags/港口/", "/articles/?tag=港口", unrelated.get_absolute_url()]
    for url in untouched:
        served_from_the_cache(client, url, django_assert_num_queries)
    showing = ["/", "/articles/", "/tags/人工智能/", "/cities/hangzhou/", "/feeds/rss/"]
    for url in showing:
        served_from_the_cache(client, url, django_assert_num_queries)

    draft = site["draft"]
    draft.tags.add("人工智能")
    draft.cities.add(site["newest"].cities.first())
    run_action(editor_client, "publish", draft)

    for url in untouched:
        with django_assert_num_queries(1):
            assert "芯片草稿" not in client.get(url).content.decode()
    for url in showing:
        assert "芯片草稿" in client.get(url).content.decode(), url
    # its neighbour's page links to it
    assert "芯片草稿" in client.get(site["newest"].get_absolute_url()).content.decode()


def test_what_a_change_touches_is_decided_in_one_place(site):
    newest, draft = site["newest"], site["draft"]
    assert scopes.touched_by_article(draft, (draft.status, None)) == set()
    tag = Tag.objects.get(name="人工智能")
    city = newest.cities.get()
    year = timezone.localtime(newest.published_at).year
    assert scopes.touched_by_article(newest, (newest.status, newest.published_at)) == {
        "list",
        f"article:{newest.pk}",
        f"article:{site['unrelated'].pk}",  # its previous article links to it
        f"tag:{tag.pk}",
        f"city:{city.pk}",
        f"year:{year}",
    }


def counts(**names):
    """{name: the count kept for that tag} and the total, as stored (no reader counted)."""
    tags = dict(scopes.counted_tags().values_list("name", "num_articles"))
    return {"total": scopes.article_count(), **{name: tags.get(name, 0) for name in names}}


def test_counts_are_right_after_publish_unpublish_merge_and_delete(editor_client, site):
    assert counts(港口=1, 人工智能=1) == {"total": 2, "港口": 1, "人工智能": 1}
    draft = site["draft"]
    draft.tags.add("人工智能", "港口")
    assert counts(人工智能=1)["人工智能"] == 1  # a draft counts nowhere

    run_action(editor_client, "publish", draft)
    assert counts(港口=1, 人工智能=1) == {"total": 3, "港口": 2, "人工智能": 2}

    run_action(editor_client, "unpublish", site["newest"])
    assert counts(港口=1, 人工智能=1) == {"total": 2, "港口": 2, "人工智能": 1}

    tag_care.merge(Tag.objects.get(name="港口"), [Tag.objects.get(name="人工智能")])
    assert counts(港口=1, 人工智能=1) == {"total": 2, "港口": 2, "人工智能": 0}

    site["unrelated"].delete()
    assert counts(港口=1) == {"total": 1, "港口": 1}
    tags = Client().get("/api/v1/tags/").json()["items"]
    assert [(t["name"], t["articles"]) for t in tags] == [("港口", 1)]
    year = timezone.localtime(draft.published_at).year
    assert scopes.counted_years() == [(year, 1)]


def test_a_scheduled_article_is_counted_when_its_time_comes(
    client, make_article, site, django_assert_max_num_queries
):
    make_article(
        title="定时的港口", tags=["港口"], published_at=timezone.now() + timedelta(hours=1)
    )
    assert counts(港口=1)["港口"] == 1
    assert "定时的港口" not in client.get("/tags/港口/").content.decode()
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "定时的港口" in client.get("/").content.decode()  # this request touched it
        assert counts(港口=1)["港口"] == 2
        assert "定时的港口" in client.get("/tags/港口/").content.decode()
