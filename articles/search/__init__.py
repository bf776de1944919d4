"""Chinese-first full-text search, the same on SQLite and PostgreSQL.

Neither database splits Chinese into words, so the text is split here, on write, into tokens
both engines read as plain space-separated words: every run of CJK characters becomes its
overlapping bigrams (杭州六小龙 -> 杭州 州六 六小 小龙 龙) and every other run of letters and
digits one lower-case word, all on the folded text (NFKC, traditional to simplified, case
folded). A query becomes the same tokens: a CJK term is a phrase of its bigrams, a single
character a prefix, a word a word, all ANDed. User syntax never reaches an engine.

SQLite indexes the token columns with an FTS5 external-content table kept in step by
triggers; PostgreSQL with a stored generated tsvector column and a GIN index (and a small one
of the title alone, to rank). Publication is not in the index: callers start from
Article.objects.published().

The modules: tokens (pure text), expressions (ORM), sqlite (FTS5 DDL), results (the one API:
matching() and ranked()), indexing (keeping the index in step), snippets (pure text). Migrations
import the names below from here.
"""

from articles.search.expressions import FTS5TableColumn, TokenVector
from articles.search.sqlite import SQLITE_CREATE, SQLITE_DROP, VendorSQL
from articles.search.tokens import index_text, plain_text

__all__ = [
    "SQLITE_CREATE",
    "SQLITE_DROP",
    "FTS5TableColumn",
    "TokenVector",
    "VendorSQL",
    "index_text",
    "plain_text",
]
