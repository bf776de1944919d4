"""Chinese-first full-text search with exact substring semantics, the same on SQLite and
PostgreSQL.

A query is split on whitespace into parts; an article matches when every part occurs, in
search form (articles.text.search_form), in its title, summary, a tag name or one block of its
body. Neither database can index that directly, so the text is split here, on write, into
tokens both engines read as plain space-separated words (tokens): each block's overlapping
bigrams and last character, then the other characters it holds.

SQLite indexes the token columns with an FTS5 external-content table (tokens split at spaces
only) kept in step by triggers; a part is a phrase of its bigrams, exact by construction.
PostgreSQL has a GIN index on the token columns as arrays (an expression index: nothing more is
stored); it answers which articles hold every token of a part, and a part longer than two
characters is then checked, row by row, for its tokens side by side in the token column.
Publication is not in the index: callers start from Article.objects.published().

The modules: tokens (pure text), expressions (ORM), sqlite (FTS5 DDL), results (the one API:
matching() and ranked()), indexing (keeping the index in step), snippets (pure text). Migrations
import the names below from here.
"""

from articles.search.expressions import FTS5TableColumn, TokenVector
from articles.search.sqlite import SQLITE_CREATE, SQLITE_DROP, VendorSQL
from articles.search.tokens import index_text

__all__ = [
    "SQLITE_CREATE",
    "SQLITE_DROP",
    "FTS5TableColumn",
    "TokenVector",
    "VendorSQL",
    "index_text",
]
