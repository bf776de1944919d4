"""Each result's title and snippet with the matches marked: done in Python on the page's
articles only. Pure: the articles come in loaded."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search.tokens import MAX_WORD_LENGTH, plain_text, terms
from articles.text import CJK, fold_in_place, fold_with_offsets


def with_snippets(articles, query):
    """Give each article on a page of results title_html and snippet, from the summary and
    body_html loaded with it (ranked() loads them)."""
    articles = list(articles)
    for article in articles:
        article.title_html = highlight(article.title, query)
        article.snippet = snippet(plain_text(article.summary, article.body_html), query)
    return articles


SNIPPET_BEFORE, SNIPPET_LENGTH, SNIPPET_SCAN = 30, 120, 20_000


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
    folded, origin = fold_with_offsets(text)
    spans = []
    for pattern in _patterns(query_terms):
        for m in re.finditer(pattern, folded):
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
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
