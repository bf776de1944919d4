"""Keeping the index in step: the title part after tag changes, and a full rebuild."""

from django.db import connections

from articles.models import Article
from articles.search.sqlite import FTS5_TABLE


def refresh_titles(article_ids):
    """Re-derive the title part of the index (title and tags) of these articles, in one
    UPDATE per 500 of them."""
    articles = list(
        Article.objects.filter(pk__in=article_ids).only("title").prefetch_related("tags")
    )
    for article in articles:
        article.search_title = article.search_title_tokens()
    Article.objects.bulk_update(articles, ["search_title"], batch_size=500)


def tagged_articles(tag):
    """The pks of the articles that carry tag."""
    return Article.objects.filter(tags=tag).values_list("pk", flat=True)


def rebuild_index(using="default", dry_run=False):
    """Re-derive every article's tokens and rebuild the engine's index from them.

    Returns (articles, articles whose stored tokens were out of date). With dry_run, only counts.
    """
    articles = Article.objects.using(using).defer(None)
    total = stale = 0
    for article in articles.prefetch_related("tags").iterator(chunk_size=500):
        title, body = article.search_title_tokens(), article.search_body_tokens()
        total += 1
        if (title, body) != (article.search_title, article.search_body):
            stale += 1
            if not dry_run:
                Article.objects.using(using).filter(pk=article.pk).update(
                    search_title=title, search_body=body
                )
    connection = connections[using]
    if connection.vendor == "sqlite" and not dry_run:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('rebuild')")
    return total, stale
