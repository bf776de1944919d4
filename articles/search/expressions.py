"""ORM expressions of full-text search: PostgreSQL's token vector, SQLite's MATCH, and two
ways of keeping an index from driving a query. No model is imported here.

TokenVector and FTS5TableColumn are named by migrations: they deconstruct to the paths
articles.search re-exports them under, wherever they are defined.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func
from django.utils.deconstruct import deconstructible


@deconstructible(path="articles.search.TokenVector")
class TokenVector(Func):
    """to_tsvector('simple', …) of token columns, for PostgreSQL's generated columns.

    SQLite keeps its index in an FTS5 table instead, so there the column is an empty
    placeholder.
    """

    output_field = SearchVectorField()

    def __init__(self, *columns):
        super().__init__(*(F(column) for column in columns))

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, column_params = compiler.compile(expression)
            parts.append(f"to_tsvector('simple'::regconfig, COALESCE({sql}, ''))")
            params += column_params
        return "(" + " || ".join(parts) + ")", params


class Match(models.Lookup):
    """fts_table MATCH expression (SQLite FTS5)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FTS5TableColumn(models.TextField):
    """The hidden column named like an FTS5 table: the left side of MATCH."""

    def deconstruct(self):
        _name, _path, args, kwargs = super().deconstruct()
        return self.name, "articles.search.FTS5TableColumn", args, kwargs


FTS5TableColumn.register_lookup(Match)


class Unindexed(Func):
    """A column as an expression no index answers (PostgreSQL): checked row by row."""

    template = "COALESCE(%(expressions)s, ''::tsvector)"
    output_field = SearchVectorField()


class WalkedPk(Func):
    """The primary key, hidden from SQLite's planner: `+id IN (…)` cannot drive the query, so
    it walks an index in the order asked for and stops at the LIMIT."""

    template = "+%(expressions)s"
    output_field = models.IntegerField()
