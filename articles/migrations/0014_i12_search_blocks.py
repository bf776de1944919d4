"""Search reads the text as readers see it, in blocks, and matches every character alike.

The token columns are derived again (bigrams of each block, whatever its characters); SQLite's
FTS5 table is made again with a tokenizer that splits at spaces only; PostgreSQL's stored
tsvector columns give way to GIN indexes on the token columns as arrays (nothing more stored).
"""

from collections import defaultdict

from django.db import migrations

from articles.search import SQLITE_CREATE, SQLITE_DROP, VendorSQL
from articles.search.expressions import token_array_sql
from articles.search.tokens import body_blocks, index_text, title_blocks


def fill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleTag = apps.get_model("articles", "ArticleTag")
    tags = defaultdict(list)
    for article_id, name in ArticleTag.objects.values_list("content_object_id", "tag__name"):
        tags[article_id].append(name)
    articles = Article.objects.only("title", "summary", "body_html")
    for article in articles.iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(
            search_title=index_text(title_blocks(article.title, tags[article.pk])),
            search_body=index_text(body_blocks(article.summary, article.body_html)),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_i14_figure_status_history'),
    ]

    operations = [
        VendorSQL("sqlite", SQLITE_DROP, SQLITE_CREATE),
        VendorSQL(
            "postgresql",
            "DROP INDEX IF EXISTS article_title_vector_idx",
            "CREATE INDEX article_title_vector_idx ON articles_article"
            " USING gin (search_title_vector)",
        ),
        migrations.RemoveField(
            model_name='article',
            name='search_title_vector',
        ),
        migrations.RemoveField(
            model_name='article',
            name='search_vector',
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        VendorSQL("sqlite", SQLITE_CREATE, SQLITE_DROP),
        VendorSQL(
            "postgresql",
            [
                "CREATE INDEX article_tokens_idx ON articles_article"
                f" USING gin ({token_array_sql(['search_title', 'search_body'])})",
                "CREATE INDEX article_title_tokens_idx ON articles_article"
                f" USING gin ({token_array_sql(['search_title'])})",
            ],
            [
                "DROP INDEX IF EXISTS article_tokens_idx",
                "DROP INDEX IF EXISTS article_title_tokens_idx",
            ],
        ),
    ]
