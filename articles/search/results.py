"""Search results behind one API that views, forms and the API call: matching() narrows a
queryset, ranked() gives the page's order as Results, a sequence a Paginator can page.

Publication is not in the index: callers start from Article.objects.published().
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q, prefetch_related_objects

from articles.models import SearchEntry
from articles.models.queries import SEARCH_FIELDS
from articles.search.expressions import HasRun, HoldsTokens, WalkedPk
from articles.search.tokens import fts5_query, part_tokens, parts, token_run

EVERYWHERE, TITLE = ("search_title", "search_body"), ("search_title",)


# How a part's rows are found: driven by the full-text index and sorted; by walking the date
# index, each row checked as it comes; or (PostgreSQL) the index's candidates sorted by date and
# only as many checked row by row as are needed (Results.recheck). PROBE: the first rows a walk
# would check, each with whether it matches (PostgreSQL, see Results).
DRIVEN, WALKED, SORTED, PROBE = "driven", "walked", "sorted", "probe"


def _postgresql(query_parts, columns, mode):
    """Every part in columns: the GIN index names the rows holding all its tokens; a part of
    three characters or more is then checked for its tokens side by side, row by row. WALKED:
    every part checked row by row, the GIN index not offered, so that the date index is walked
    (a part's run holds all its tokens: exact). SORTED: the GIN index only, the runs left to
    Results."""
    runs = [HasRun(columns, token_run(part)) for part in query_parts if len(part) > 2]
    if mode == WALKED:
        return Q(*(HasRun(columns, token_run(part)) for part in query_parts))
    tokens = sorted({token for part in query_parts for token in part_tokens(part)})
    return Q(HoldsTokens(columns, tokens), *([] if mode == SORTED else runs))


def _conditions(articles, query, mode=DRIVEN):
    """(matching, in_title, not_in_title): Q objects for articles holding every part of query
    in one block of their text; in the title or a tag; and not so. None when the query has no
    parts. The mode (above) says how the database is to find them."""
    query_parts = parts(query)
    if not query_parts:
        return None
    if connections[articles.db].vendor == "postgresql":
        # The title is short and stored inline: checked exactly however the rest is found,
        # by its runs alone (no array to build row by row) unless the index drives.
        title = _postgresql(query_parts, TITLE, DRIVEN if mode == DRIVEN else WALKED)
        untitled = ~_postgresql(query_parts, TITLE, WALKED)
        return _postgresql(query_parts, EVERYWHERE, mode), title, untitled
    match = fts5_query(query_parts)
    entries = SearchEntry.objects.using(articles.db)
    everywhere = entries.filter(document__match=match).values("article_id")
    title = entries.filter(document__match=f"{{search_title}} : ({match})").values("article_id")
    if mode != DRIVEN:
        return Q(walked_pk__in=everywhere), Q(walked_pk__in=title), ~Q(walked_pk__in=title)
    # Joined, FTS5 hands over its matches one by one: a count stops at its LIMIT.
    return Q(search_entry__document__match=match), Q(pk__in=title), ~Q(pk__in=title)


def _rechecked(articles, query):
    """The runs a SORTED part's candidates are checked for (PostgreSQL; none on SQLite)."""
    if connections[articles.db].vendor != "postgresql":
        return []
    return [token_run(part) for part in parts(query) if len(part) > 2]


def matching(articles, query):
    """articles narrowed to those matching query (nothing when it has no parts)."""
    conditions = _conditions(articles, query)
    return articles.none() if conditions is None else _aliased(articles).filter(conditions[0])


def _aliased(articles):
    return articles.alias(walked_pk=WalkedPk("pk"))


NEWEST = ("-published_at", "-pk")


def ranked(articles, query, order=None):
    """Results of articles matching query: those with every part in the title or tags first,
    then the rest, each newest first; or, given order (order_by() fields), in that order."""
    if not parts(query):
        return Results([])
    # Each result shows a snippet of its text: loaded with the page's rows, not after them.
    articles = _aliased(articles.defer(None).defer("body", *SEARCH_FIELDS))

    def found(mode):
        matching, _, _ = _conditions(articles, query, WALKED if mode == PROBE else mode)
        if mode == PROBE:
            return _probe(articles, matching, order)
        return articles.filter(matching).order_by(*order)

    def in_title(mode):
        # Title matches are matches too: the title is indexed with the body.
        _, title, _ = _conditions(articles, query, mode)
        return articles.filter(title).order_by(*NEWEST)

    def elsewhere(mode):
        matching, _, not_in_title = _conditions(articles, query, WALKED if mode == PROBE else mode)
        if mode == PROBE:
            return _probe(articles.filter(not_in_title), matching, NEWEST)
        return articles.filter(not_in_title, matching).order_by(*NEWEST)

    runs = _rechecked(articles, query)
    if order:
        return Results([found], [runs], rows=articles)
    # Title matches are found exactly by the title's runs, however found: none to check again.
    # Few articles hold a part in their title, and the title's index finds them: not probed.
    return Results([in_title, elsewhere], [[], runs], probed=[False, True], rows=articles)


# PostgreSQL: how many of the first rows a part would walk are tried before counting it;
# when at least PROBE_HITS of them match, the part is counted by walking at most WALK_ROWS
# rows; at least PROBE_WALK_PKS, its facets' RESULT_CAP are read WALKED (see Results).
PROBE_ROWS, PROBE_HITS, PROBE_WALK_PKS, WALK_ROWS = 100, 50, 20, 3_000


def _probe(articles, walked, order):
    """The rows of articles in order, each with its pk, its order's fields and whether it
    matches (walked: the part's WALKED condition, checked row by row as the rows are read)."""
    hit = ExpressionWrapper(walked, output_field=BooleanField())
    fields = [name for name in _fields(order) if name != "pk"]
    return articles.order_by(*order).annotate(hit=hit).values("pk", *fields, "hit")


def _fields(order):
    return [field.lstrip("-") for field in order]


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

    On PostgreSQL that one query also lists each part's first RESULT_CAP + 1 pks in order
    (its listing), where it can: a part's size is then its listing's, a page reads its twenty
    rows by pk and the facets read nothing more. Checking a part side by side means unpacking
    each candidate's tokens (some 15 µs a row): the count, the page's rows and the facets'
    pks each checked the same rows again. A part is listed SORTED: the index's candidates
    sorted by date, then only as many checked as it takes.

    Unless the part is common: there the planner, seeing a part in most rows, walks rather
    than asking the index, and checks each row by building its whole token array (some 85 µs
    a row, against some 15 µs for its runs alone). A probed part has the first PROBE_ROWS
    rows it would walk tried, in the count's query; when PROBE_HITS of them match, it is
    listed by walking, at most WALK_ROWS rows (a word in the newest articles only may be rare
    further back: then the index counts it after all, unlisted), and read WALKED. Between
    PROBE_WALK_PKS and PROBE_HITS it is counted by the index, unlisted, and its facets' pks
    read WALKED: SORTED, the planner would walk the date index building token arrays too
    (亿元, in a quarter of the rows: 350 ms, against ~50 ms). Every way is exact: only the
    cost differs.
    """

    ordered = True

    def __init__(self, parts, recheck=(), probed=None, rows=None):
        """parts: for each, a function of the mode (DRIVEN, WALKED, SORTED, PROBE) giving its
        ordered queryset; recheck: for each, the runs its SORTED rows are checked for
        (PostgreSQL); probed: for each, whether it is probed (PostgreSQL; default: all);
        rows: the queryset the parts narrow, whose rows a listing reads by pk."""
        self._parts, self._recheck = parts, list(recheck) or [[] for _ in parts]
        self._probed = [True for _ in parts] if probed is None else list(probed)
        self._built, self._lookups, self._rows = {}, (), rows
        if rows is not None:
            self._lookups, self._rows = rows._prefetch_related_lookups, rows.prefetch_related(None)
        self._counted = None if parts else []
        self._hits = [0 for _ in parts]
        self._listed = [None for _ in parts]

    def _part(self, number, mode):
        if (number, mode) not in self._built:
            # Tags and cities are loaded once for the whole page, not once per part.
            queryset = self._parts[number](mode)
            self._lookups = queryset._prefetch_related_lookups
            self._built[number, mode] = queryset.prefetch_related(None)
        return self._built[number, mode]

    def _postgresql(self):
        return connections[self._part(0, DRIVEN).db].vendor == "postgresql"

    def sizes(self):
        """How many articles each part holds, exactly up to RESULT_CAP + 1."""
        return [size for size, _, _ in self.tally()]

    def tally(self):
        """For each part, [how many articles it holds (exactly up to RESULT_CAP + 1), how many
        of its probe's rows match, its listing or None]: what a page of any number needs to
        know of the parts."""
        if self._counted is None:
            counts, params = [], []
            for number in range(len(self._parts)):
                try:
                    sql, part_params = self._count_sql(number)
                except EmptyResultSet:  # a filter that can match nothing, e.g. an unknown city
                    sql, part_params = "0", []
                counts.append(sql)
                params += part_params
            with connections[self._part(0, DRIVEN).db].cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(counts), params)
                # On PostgreSQL a part's answer is an array [size, hits, its listing's pks…]
                # (listed when it holds them all, up to RESULT_CAP + 1); on SQLite its size.
                answers = [v if isinstance(v, list) else [v, 0] for v in cursor.fetchone()]
            tally = []
            for size, hits, *pks in answers:
                listed = pks if len(pks) == min(size, RESULT_CAP + 1) else None
                tally.append([size, hits, listed])
            self.with_tally(tally)
        return [list(each) for each in zip(self._counted, self._hits, self._listed, strict=True)]

    def with_tally(self, tally):
        """These results with their parts' tally already known (from an earlier tally())."""
        self._counted = [size for size, _, _ in tally]
        self._hits = [hits for _, hits, _ in tally]
        self._listed = [listed for _, _, listed in tally]
        return self

    def _count_sql(self, number):
        """SQL of the part's size up to RESULT_CAP + 1; on PostgreSQL, of the array [that
        size, how many of the probe's rows match (probed), the part's listing if made]."""
        driven = self._part(number, DRIVEN).order_by().values("pk")[: RESULT_CAP + 1]
        driven, driven_params = driven.query.sql_with_params()
        count = f"(SELECT COUNT(*) FROM ({driven}) part)"
        if not self._postgresql():
            return count, driven_params
        if self._recheck[number]:
            # Checked side by side: listed, so that each row is checked once per search.
            listing, first_params = self._sorted_sql(number, RESULT_CAP + 1)

            def first(hits):
                return (f"(SELECT ARRAY[cardinality(pks), {hits}]::bigint[] || pks::bigint[]"
                        f" FROM (SELECT ARRAY({listing}) OFFSET 0) x(pks))")  # fmt: skip
        else:
            # Found exactly by the index (a title; a part of one or two characters): counted,
            # reading RESULT_CAP + 1 rows at most, where a listing reads every candidate.
            first_params = driven_params

            def first(hits):
                return f"ARRAY[{count}, {hits}]::bigint[]"

        if not self._probed[number]:
            return first("0"), first_params
        rows = self._part(number, PROBE)
        probe, probe_params = rows[:PROBE_ROWS].query.sql_with_params()
        walk, walk_params = rows[:WALK_ROWS].query.sql_with_params()
        columns = ", ".join(["pk", *[name for name in _fields(rows.query.order_by) if name != "pk"],
                             "hit"])  # fmt: skip
        order = ", ".join(f"walk.{name} {way}" for name, way in _directions(rows.query.order_by))
        # The first RESULT_CAP + 1 matches of at most WALK_ROWS rows, in order.
        walked = (f"(SELECT ARRAY(SELECT walk.pk FROM ({walk}) walk({columns}) WHERE walk.hit"
                  f" ORDER BY {order} LIMIT {RESULT_CAP + 1}) OFFSET 0) x(pks)")  # fmt: skip
        counted = f"ARRAY[{count}, hits]::bigint[]"
        # OFFSET 0: the probe and a listing are run once, not once for each place they are
        # named. Only one branch of each CASE runs (the count is named thrice, run once).
        return (
            f"(SELECT CASE WHEN hits < %s THEN {first('hits')} WHEN hits < %s THEN {counted}"
            f" ELSE (SELECT CASE WHEN cardinality(pks) > %s"
            f" THEN ARRAY[%s, hits]::bigint[] || pks::bigint[]"
            f" ELSE {counted} END FROM {walked}) END"
            f" FROM (SELECT (SELECT COUNT(*) FROM ({probe}) probe WHERE probe.hit) AS hits"
            f" OFFSET 0) probed)",
            [PROBE_WALK_PKS, *first_params, PROBE_HITS, *driven_params, RESULT_CAP,
             RESULT_CAP + 1, *driven_params, *walk_params, *probe_params],
        )  # fmt: skip

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
        rows = self._slice(key, rows=True)
        prefetch_related_objects(rows, *self._lookups)
        return rows

    def pks(self, limit):
        """The pks of the first limit results, in order, without reading the rows."""
        return self._slice(slice(0, limit), rows=False, many=SORTED)

    def _slice(self, key, rows, many=WALKED):
        """The rows (or pks) of key, each part read from its listing where it holds them, or
        as its size says: DRIVEN up to RESULT_CAP, else many (WALKED, or SORTED for pks)."""
        offset = key.start or 0
        limit = None if key.stop is None else key.stop - offset
        found = []

        def read(part):
            return part if rows else part.values_list("pk", flat=True)

        for number, size in enumerate(self.sizes()):
            want = None if limit is None else limit - len(found)
            if want is not None and want <= 0:
                break
            if size <= RESULT_CAP and offset >= size:
                offset -= size
                continue
            listed = self._listed[number]
            end = None if want is None else offset + want
            if listed is not None and (
                size <= RESULT_CAP or (end is not None and end <= len(listed))
            ):
                found += self._by_pk(listed[offset:end]) if rows else listed[offset:end]
                offset = 0
                continue
            if size <= RESULT_CAP:
                found += read(self._part(number, DRIVEN))[offset:end]
                offset = 0
                continue
            if many == SORTED and want is not None and self._hits[number] < PROBE_WALK_PKS:
                # Within RESULT_CAP + 1 rows, which the part holds: no end to run past.
                found += self._sorted(number, end)[offset:]
                offset = 0
                continue
            # More than RESULT_CAP: its exact size is known only once a slice runs past its end.
            walked = read(self._part(number, WALKED))
            got = list(walked[offset:end])
            found += got
            if want is None or len(got) < want:
                size = offset + len(got) if got or not offset else walked[:offset].count()
                offset = max(0, offset - size)
        return found

    def _by_pk(self, pks):
        """The rows of pks, in that order."""
        rows = {row.pk: row for row in self._rows.filter(pk__in=pks)} if pks else {}
        return [rows[pk] for pk in pks]

    def _sorted(self, number, limit):
        """The pks of the first limit rows of part number, SORTED."""
        sql, params = self._sorted_sql(number, limit)
        with connections[self._part(number, DRIVEN).db].cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    def _sorted_sql(self, number, limit):
        """SQL of the pks of the first limit rows of part number: its candidates in order,
        then only as many checked for the runs as it takes."""
        recheck = self._recheck[number]
        candidates = self._part(number, SORTED)
        if not recheck or not self._postgresql():
            return candidates.values_list("pk", flat=True)[:limit].query.sql_with_params()
        # The part's order, said again outside: the planner keeps the inner sort (no second
        # one), and the order no longer rests on a subquery's being kept.
        order = _directions(candidates.query.order_by)
        extra = [name for name, _ in order if name != "pk"]
        columns = candidates.values_list("pk", *EVERYWHERE, *extra)
        sql, params = columns.query.sql_with_params()
        # Each column on its own, the title first, as HasRun checks them.
        check = " OR ".join(f"strpos(c.{column}, %s) > 0" for column in EVERYWHERE)
        checks = " AND ".join([f"({check})"] * len(recheck))
        runs = [run for run in recheck for _ in EVERYWHERE]
        # OFFSET 0 keeps the sorted candidates a subquery: the checks run on them in order,
        # and stop at the LIMIT (the token columns travel through the sort unread).
        return (
            f"SELECT c.pk FROM ({sql} OFFSET 0) AS c({', '.join(['pk', *EVERYWHERE, *extra])})"
            f" WHERE {checks}"
            f" ORDER BY {', '.join(f'c.{name} {way}' for name, way in order)} LIMIT %s",
            [*params, *runs, limit],
        )


def _directions(order):
    """(field, "ASC" or "DESC") of order_by() fields."""
    return [(field.lstrip("-"), "DESC" if field[0] == "-" else "ASC") for field in order]
