"""ORM expressions of full-text search: PostgreSQL's token arrays and side-by-side check,
SQLite's MATCH, and a way of keeping an index from driving a query. No model is imported here.

TokenVector and FTS5TableColumn are named by migrations: they deconstruct to the paths
articles.search re-exports them under, wherever they are defined.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func
from django.utils.deconstruct import deconstructible


def _joined(compiler, expressions):
    """SQL of the columns joined by one space (a token never holds a space), and its params."""
    parts, params = [], []
    for expression in expressions:
        sql, column_params = compiler.compile(expression)
        parts.append(sql)
        params += column_params
    return "(" + " || ' ' || ".join(parts) + ")", params


def token_array_sql(columns):
    """The SQL of the token array of the columns of articles_article, as its GIN index is
    made (migration 0011): the query must spell the same expression for the index to serve."""
    joined = " || ' ' || ".join(columns)
    return f"array_remove(string_to_array(({joined}), ' '), '')"


class HoldsTokens(Func):
    """The token columns together hold every one of tokens (PostgreSQL; a GIN index answers)."""

    output_field = models.BooleanField()

    def __init__(self, columns, tokens):
        self.tokens = list(tokens)
        super().__init__(*(F(column) for column in columns))

    def as_postgresql(self, compiler, connection, **extra_context):
        joined, params = _joined(compiler, self.source_expressions)
        return (
            f"(array_remove(string_to_array({joined}, ' '), '') @> %s::text[])",
            [*params, self.tokens],
        )


class HasRun(Func):
    """run (tokens.token_run) stands in the token columns: the tokens of a part side by
    side, so the part occurs in one block (PostgreSQL, row by row).

    Each column is searched on its own, in order, the first (the title: short, stored inline)
    first, so that a title holding the run spares reading the body. No run spans two columns:
    a column ends with a one-character token, and a run of several tokens is of bigrams."""

    output_field = models.BooleanField()

    def __init__(self, columns, run):
        self.run = run
        super().__init__(*(F(column) for column in columns))

    def as_postgresql(self, compiler, connection, **extra_context):
        checks, params = [], []
        for expression in self.source_expressions:
            sql, column_params = compiler.compile(expression)
            checks.append(f"strpos({sql}, %s) > 0")
            params += [*column_params, self.run]
        return "(" + " OR ".join(checks) + ")", params


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


class WalkedPk(Func):
    """The primary key, hidden from SQLite's planner: `+id IN (…)` cannot drive the query, so
    it walks an index in the order asked for and stops at the LIMIT."""

    template = "+%(expressions)s"
    output_field = models.IntegerField()
