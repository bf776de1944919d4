"""What one save of an article costs, and what it still does: the row it replaces is read once."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, SlugRedirect


def test_a_draft_save_makes_eight_queries_and_reads_the_stored_row_once(make_article, hangzhou):
    article = make_article(
        title="杭州的算力", body="杭州有算力。", tags=["人工智能"], status=Article.Status.DRAFT
    )
    article = Article.objects.get(pk=article.pk)
    article.body = "杭州与南京都有算力。"
    with CaptureQueriesContext(connection) as queries:
        article.save()
    sql = [query["sql"] for query in queries.captured_queries]
    # Was 10: two receivers each read the stored row, and every save looked for a redirect;
    # then 9, one replacing the page cache's one content version. A draft touches no page.
    assert len(sql) <= 8, "\n".join(sql)
    reads = [q for q in sql if re.match(r'SELECT .* FROM "articles_article"', q)]
    assert len(reads) == 1, reads
    assert Article.objects.get(pk=article.pk).body_html.count('href="/cities/hangzhou/"') == 1


def test_a_published_article_save_touches_its_pages_in_a_fixed_number_of_queries(
    make_article, hangzhou
):
    """The draft's eight, then what it touches (articles.models.scopes): its tags, cities and
    organisations (3), its neighbours (1), the clock (2), the counts of the whole archive, its
    tags, cities and year (4), and the versions (1)."""
    article = make_article(title="杭州的算力", tags=["人工智能", "芯片"], cities=[hangzhou])
    article = Article.objects.get(pk=article.pk)
    article.body = "杭州与南京都有算力。"
    with CaptureQueriesContext(connection) as queries:
        article.save()
    assert len(queries) <= 8 + 11, "\n".join(q["sql"] for q in queries.captured_queries)


def test_a_changed_slug_still_leaves_a_redirect(client, make_article):
    article = make_article(title="旧标题")
    old = article.get_absolute_url()
    article.slug = "xin-biaoti"
    article.save()
    assert SlugRedirect.objects.get().old_slug == old.strip("/").split("/")[-1]
    assert client.get(old).status_code == 301
