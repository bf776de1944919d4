"""SQLite's FTS5 index of articles, as a model the ORM can join (no table on PostgreSQL)."""

from django.db import models

from articles.models.articles import Article
from articles.search.expressions import FTS5TableColumn
from articles.search.sqlite import FTS5_TABLE


class SearchEntry(models.Model):
    """A row of SQLite's FTS5 index of articles (made by a migration; no table on PostgreSQL)."""

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    document = FTS5TableColumn(db_column=FTS5_TABLE)

    class Meta:
        managed = False
        db_table = FTS5_TABLE

    def __str__(self):
        return str(self.article_id)
