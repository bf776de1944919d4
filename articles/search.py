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
"""

import re
from functools import lru_cache

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connections, migrations, models
from django.db.models import F, Func, Q, prefetch_related_objects, signals
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import fold, fold_in_place, strip_markup

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"
RUNS = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)")
# PostgreSQL drops words over 2,047 bytes; a cap well below keeps both engines' tokens equal.
MAX_WORD_LENGTH = 60
MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 10
SEARCH_FIELDS = ("search_title", "search_body", "search_vector", "search_title_vector")


def tokens(text):
    """The index tokens of text: CJK bigrams (and a run's last character) and words."""
    result = []
    for cjk, word in RUNS.findall(fold(text)):
        if cjk:
            result.extend(cjk[i : i + 2] for i in range(len(cjk)))
        elif len(word) <= MAX_WORD_LENGTH:
            result.append(word)
    return result


def plain_text(summary, body_html):
    return f"{summary}\n{strip_markup(body_html)}".strip()


def index_text(text):
    return " ".join(tokens(text))


def terms(query):
    """What a user query asks for, as (kind, tokens): "phrase", "prefix" or "word".

    Quotes, operators and anything that is not a letter or digit only separate terms.
    """
    found = []
    for cjk, word in RUNS.findall(fold(query[:MAX_QUERY_LENGTH])):
        if len(cjk) == 1:
            term = ("prefix", (cjk,))
        elif cjk:
            term = ("phrase", tuple(cjk[i : i + 2] for i in range(len(cjk) - 1)))
        elif len(word) <= MAX_WORD_LENGTH:
            term = ("word", (word,))
        else:
            continue
        if term not in found:
            found.append(term)
    return found[:MAX_QUERY_TERMS]


def fts5_query(query_terms):
    """An FTS5 MATCH expression built from tokens only (tokens hold no quote or operator)."""
    parts = []
    for kind, toks in query_terms:
        phrase = '"' + " ".join(toks) + '"'
        parts.append(phrase + "*" if kind == "prefix" else phrase)
    return " AND ".join(parts)


def tsquery(query_terms, phrases=True):
    """A to_tsquery('simple', …) expression built from tokens only. Without phrases, a
    phrase's tokens are only ANDed: GIN then answers alone, with no row to re-read."""
    parts = []
    for kind, toks in query_terms:
        if kind == "prefix":
            parts.append(f"'{toks[0]}':*")
        else:
            parts.append(
                "(" + f" {'<->' if phrases else '&'} ".join(f"'{tok}'" for tok in toks) + ")"
            )
    return " & ".join(parts)


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


def _conditions(articles, query, walk=False):
    """(matching, in_title): Q objects for articles holding every term of query anywhere,
    and in the title or tags; None when the query has no terms. With walk, conditions that
    let the database walk the date index rather than start from the matches (SQLite)."""
    query_terms = terms(query)
    if not query_terms:
        return None
    if connections[articles.db].vendor == "postgresql":
        ts = SearchQuery(tsquery(query_terms), config="simple", search_type="raw")
        if walk or all(len(toks) == 1 for _, toks in query_terms):
            return Q(search_vector=ts), Q(search_title_vector=ts)
        # A phrase makes PostgreSQL re-read (detoast, ~10 KB) every row the GIN index names.
        # The index answers the tokens ANDed; the order is checked after cheaper conditions
        # (callers put "not in the title" first), on an expression the index cannot take.
        tokens_only = SearchQuery(tsquery(query_terms, False), config="simple", search_type="raw")
        return Q(search_vector=tokens_only, vector_checked=ts), Q(search_title_vector=ts)
    match = fts5_query(query_terms)
    entries = apps.get_model("articles", "SearchEntry").objects.using(articles.db)
    everywhere = entries.filter(document__match=match).values("article_id")
    title = entries.filter(document__match=f"{{search_title}} : ({match})").values("article_id")
    if walk:
        return Q(walked_pk__in=everywhere), Q(walked_pk__in=title)
    # Joined, FTS5 hands over its matches one by one: a count stops at its LIMIT.
    return Q(search_entry__document__match=match), Q(pk__in=title)


def search(articles, query):
    """articles narrowed to those matching query (nothing when it has no terms)."""
    conditions = _conditions(articles, query)
    return articles.none() if conditions is None else _aliased(articles).filter(conditions[0])


def _aliased(articles):
    return articles.alias(
        walked_pk=WalkedPk("pk"),
        vector_checked=Unindexed("search_vector"),
    )


NEWEST = ("-published_at", "-pk")


def ranked(articles, query, order=None):
    """Results of articles matching query: those with every term in the title or tags first,
    then the rest, each newest first; or, given order (order_by() fields), in that order."""
    if not terms(query):
        return Results([])
    # Each result shows a snippet of its text: loaded with the page's rows, not after them.
    articles = _aliased(articles.defer(None).defer("body", *SEARCH_FIELDS))

    def found(walk):
        matching, _ = _conditions(articles, query, walk)
        return articles.filter(matching).order_by(*order)

    def in_title(walk):
        # Title matches are matches too: the title is indexed with the body.
        _, title = _conditions(articles, query, walk)
        return articles.filter(title).order_by(*NEWEST)

    def elsewhere(walk):
        matching, title = _conditions(articles, query, walk)
        return articles.exclude(title).filter(matching).order_by(*NEWEST)

    return Results([found] if order else [in_title, elsewhere])


# How far a search counts and pages: beyond it the page says "1,000+" and asks for more
# words or filters. Counting, ranking or tallying every match of a common word is what costs.
RESULT_CAP = 1_000


class Results:
    """The articles a search found, in the order the page shows them, as a sequence a
    Paginator can page through: parts (disjoint, ordered) one after the other.

    Each part comes two ways: driven by the full-text index and sorted (cheap while the part
    has at most RESULT_CAP articles), or walking the date index and stopping at the page's
    last row (cheap when matches are common). One query counts every part up to one past
    RESULT_CAP and so chooses; a slice then asks each part only for the rows it needs.
    """

    ordered = True

    def __init__(self, parts):
        """parts: for each, a function of walk (bool) giving its ordered queryset."""
        self._parts = parts
        self._built, self._lookups = {}, ()
        self._counted = None if parts else []

    def _part(self, number, walk):
        if (number, walk) not in self._built:
            # Tags and cities are loaded once for the whole page, not once per part.
            queryset = self._parts[number](walk)
            self._lookups = queryset._prefetch_related_lookups
            self._built[number, walk] = queryset.prefetch_related(None)
        return self._built[number, walk]

    def sizes(self):
        """How many articles each part holds, exactly up to RESULT_CAP + 1."""
        if self._counted is None:
            counts, params = [], []
            for number in range(len(self._parts)):
                part = self._part(number, False).order_by().values("pk")[: RESULT_CAP + 1]
                try:
                    sql, part_params = part.query.sql_with_params()
                except EmptyResultSet:  # a filter that can match nothing, e.g. an unknown city
                    counts.append("0")
                    continue
                counts.append(f"(SELECT COUNT(*) FROM ({sql}) part)")
                params += part_params
            with connections[self._part(0, False).db].cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(counts), params)
                self._counted = list(cursor.fetchone())
        return self._counted

    def with_sizes(self, sizes):
        """These results with their parts' sizes already known (from an earlier sizes())."""
        self._counted = list(sizes)
        return self

    def count(self):
        """How many match, exactly up to RESULT_CAP; RESULT_CAP + 1 means more."""
        return min(sum(self.sizes()), RESULT_CAP + 1)

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        rows = self._slice(key, lambda part: part)
        prefetch_related_objects(rows, *self._lookups)
        return rows

    def pks(self, limit):
        """The pks of the first limit results, in order, without reading the rows."""
        return self._slice(slice(0, limit), lambda part: part.values_list("pk", flat=True))

    def _slice(self, key, rows_of):
        offset = key.start or 0
        limit = None if key.stop is None else key.stop - offset
        rows = []
        for number, size in enumerate(self.sizes()):
            want = None if limit is None else limit - len(rows)
            if want is not None and want <= 0:
                break
            if size <= RESULT_CAP:
                if offset >= size:
                    offset -= size
                    continue
                driven = rows_of(self._part(number, False))
                rows += driven[offset : None if want is None else offset + want]
                offset = 0
                continue
            # More than RESULT_CAP: its exact size is known only once a slice runs past its end.
            walked = rows_of(self._part(number, True))
            got = list(walked[offset : None if want is None else offset + want])
            rows += got
            if want is None or len(got) < want:
                size = offset + len(got) if got or not offset else walked[:offset].count()
                offset = max(0, offset - size)
        return rows


# The FTS5 index of SQLite, created by migration and kept in step by triggers. Django
# rebuilds a table to alter it on SQLite, which drops its triggers, so ensure_sqlite_index()
# re-creates them after every migrate.
FTS5_TABLE = "article_search"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS article_search_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}(rowid, search_title, search_body)
      VALUES (new.id, new.search_title, new.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS article_search_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}({FTS5_TABLE}, rowid, search_title, search_body)
      VALUES ('delete', old.id, old.search_title, old.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS article_search_update
    AFTER UPDATE OF search_title, search_body ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}({FTS5_TABLE}, rowid, search_title, search_body)
      VALUES ('delete', old.id, old.search_title, old.search_body);
      INSERT INTO {FTS5_TABLE}(rowid, search_title, search_body)
      VALUES (new.id, new.search_title, new.search_body);
    END""",
]
SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS5_TABLE} USING fts5(
      search_title, search_body, content='articles_article', content_rowid='id',
      tokenize='unicode61 remove_diacritics 0')""",
    f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('rebuild')",
    *SQLITE_TRIGGERS,
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS article_search_insert",
    "DROP TRIGGER IF EXISTS article_search_delete",
    "DROP TRIGGER IF EXISTS article_search_update",
]
SQLITE_DROP = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS5_TABLE}"]


class VendorSQL(migrations.RunSQL):
    """RunSQL on one database vendor only: each engine has its own full-text index."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def ensure_sqlite_index(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if FTS5_TABLE in connection.introspection.table_names(cursor):
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)


def refresh_titles(article_ids):
    """Re-derive the title part of the index (title and tags) of these articles."""
    from articles.models import Article

    articles = Article.objects.filter(pk__in=article_ids).only("title").prefetch_related("tags")
    for article in articles:
        Article.objects.filter(pk=article.pk).update(search_title=article.search_title_tokens())


def _tags_changed(sender, instance, action, **kwargs):
    from articles.models import Article

    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        refresh_titles([instance.pk])


def _tag_renamed(sender, instance, **kwargs):
    refresh_titles(_tagged_articles(instance))


def _tag_deleting(sender, instance, **kwargs):
    instance._search_articles = list(_tagged_articles(instance))


def _tag_deleted(sender, instance, **kwargs):
    refresh_titles(getattr(instance, "_search_articles", []))


def _tagged_articles(tag):
    from articles.models import Article

    return Article.objects.filter(tags=tag).values_list("pk", flat=True)


def connect_signals():
    """Tags are saved after their article (taggit sends m2m_changed), and may be renamed."""
    from taggit.models import Tag

    from articles.models import ArticleTag

    signals.m2m_changed.connect(_tags_changed, sender=ArticleTag)
    signals.post_save.connect(_tag_renamed, sender=Tag)
    signals.pre_delete.connect(_tag_deleting, sender=Tag)
    signals.post_delete.connect(_tag_deleted, sender=Tag)
    signals.post_migrate.connect(ensure_sqlite_index)


def rebuild_index(using="default", dry_run=False):
    """Re-derive every article's tokens and rebuild the engine's index from them.

    Returns (articles, articles whose stored tokens were out of date). With dry_run, only counts.
    """
    from articles.models import Article

    articles = Article.objects.using(using).defer(None).defer("search_vector")
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


def with_snippets(articles, query):
    """Give each article on a page of results title_html and snippet, from the summary and
    body_html loaded with it (ranked() loads them)."""
    articles = list(articles)
    for article in articles:
        article.title_html = highlight(article.title, query)
        article.snippet = snippet(plain_text(article.summary, article.body_html), query)
    return articles


# Highlighting: done in Python on the page's articles only.

SNIPPET_BEFORE, SNIPPET_LENGTH, SNIPPET_SCAN = 30, 120, 20_000


@lru_cache(maxsize=20_000)
def _fold_char(char):
    return fold(char) if char.strip() else " "


def _needles(query_terms):
    needles = []
    for kind, toks in query_terms:
        if kind == "phrase":
            needles.append(toks[0] + "".join(tok[1] for tok in toks[1:]))
        else:
            needles.append(toks[0])
    return needles


def _patterns(query_terms):
    patterns = []
    for needle in _needles(query_terms):
        if needle[0].isascii():
            patterns.append(rf"(?<![^\W_{CJK}]){re.escape(needle)}(?![^\W_{CJK}])")
        else:
            patterns.append(re.escape(needle))
    return patterns


def _spans(text, query_terms):
    """(start, end) in text of each occurrence of a query term, found on the folded text."""
    folded, owner = [], []
    for i, char in enumerate(text):
        for c in _fold_char(char):
            folded.append(c)
            owner.append(i)
    folded = "".join(folded)
    spans = []
    for pattern in _patterns(query_terms):
        for m in re.finditer(pattern, folded):
            spans.append((owner[m.start()], owner[m.end() - 1] + 1))
    return sorted(spans)


def _first_match(text, query_terms):
    """Where in text the first match starts (None if none). Folding character by character
    is slow on a whole article; folded at once, text nearly always keeps its length, and
    then a position in one is a position in the other."""
    folded = fold_in_place(text)
    if len(folded) == len(text):
        starts = [m.start() for p in _patterns(query_terms) if (m := re.search(p, folded))]
        if starts:
            return min(starts)
    spans = _spans(text, query_terms)
    return spans[0][0] if spans else None


def _marked(text, spans, start=0, end=None):
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in spans:
        if s < at or e > end:
            continue
        out += [escape(text[at:s]), "<mark>", escape(text[s:e]), "</mark>"]
        at = e
    out.append(escape(text[at:end]))
    return mark_safe("".join(out))  # every piece of text above is escaped


def highlight(text, query):
    """text, escaped, with every match of query marked (the title of a result)."""
    return _marked(text, _spans(text, terms(query)))


def snippet(text, query):
    """About SNIPPET_LENGTH characters of text around the first match, escaped and marked."""
    text, query_terms = text[:SNIPPET_SCAN], terms(query)
    first = _first_match(text, query_terms)
    start = max(0, first - SNIPPET_BEFORE) if first is not None else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    # Marked on the window and a margin beyond the longest word, so no word is cut short.
    lo, hi = max(0, start - MAX_WORD_LENGTH), end + MAX_WORD_LENGTH
    spans = [(s + lo, e + lo) for s, e in _spans(text[lo:hi], query_terms)]
    html = _marked(text, spans, start, end)
    return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))
