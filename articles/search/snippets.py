"""Each result's title and snippet with the matches marked: done in Python on the page's
articles only. Pure: the articles come in loaded.

A snippet is cut from one block (the first that holds a part of the query), as search reads
it: its pieces joined with nothing between them, never run into the next block, and its ends
never inside a number or a Latin word.
"""

import re
from itertools import islice

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search.tokens import iter_body_blocks, parts
from articles.text import CJK, search_form, search_form_with_offsets


def with_snippets(articles, query):
    """Give each article on a page of results title_html and snippet, from the summary and
    body_html loaded with it (ranked() loads them)."""
    articles = list(articles)
    query_parts = parts(query)
    for article in articles:
        article.title_html = _marked(article.title, _spans(article.title, query_parts))
        article.snippet = snippet(iter_body_blocks(article.summary, article.body_html), query_parts)
    return articles


SNIPPET_BEFORE, SNIPPET_LENGTH, WORD_REACH = 30, 120, 40
BETWEEN = "\ufdd0"

# A number or a Latin word, which a snippet's ends never cut: letters and digits of any width
# (not CJK), with a decimal point or thousands separator between digits.
WORD = re.compile(rf"[^\W_{CJK}]+(?:[.,．，][0-9０-９]+)*%?")


def _spans(text, query_parts):
    """(start, end) in text of each occurrence of a part, found on its search form."""
    form, origin = search_form_with_offsets(text)
    spans = []
    for part in query_parts:
        at = form.find(part)
        while at != -1:
            spans.append((origin[at], origin[at + len(part) - 1] + 1))
            at = form.find(part, at + 1)
    return sorted(spans)


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
    return _marked(text, _spans(text, parts(query)))


def _uncut(text, at, forward):
    """at, moved out of any number or Latin word it would cut: to the word's start (or its
    end, going forward), unless that is more than WORD_REACH away."""
    reach = max(0, at - WORD_REACH)
    for word in WORD.finditer(text, reach, at + WORD_REACH):
        if word.start() < at < word.end():
            if word.start() == reach and reach and WORD.match(text, reach - 1):
                return at  # a word longer than the reach: cut it rather than lose the match
            if forward:
                return word.end() if word.end() - at <= WORD_REACH else at
            return word.start() if at - word.start() <= WORD_REACH else at
    return at


# Blocks folded in one call: a call costs more than a block's text (OpenCC), and most
# snippets are found in the first few blocks, the rest of the body then left unread.
FOLDED_AT_ONCE = 8


def _found(text_blocks, query_parts):
    """(the first block holding a part, its spans), or (the first block, []) when none does
    (a title match); (None, []) without blocks. text_blocks are read only as far as that."""
    text_blocks, first = (block for block in text_blocks if block), None
    while batch := list(islice(text_blocks, FOLDED_AT_ONCE)):
        first = first or batch[0]
        # Folded at once, with a character no text holds between the blocks (a noncharacter,
        # unchanged by NFKC and OpenCC, and no part of any phrase).
        forms = search_form(BETWEEN.join(batch)).split(BETWEEN)
        if len(forms) != len(batch):
            forms = [search_form(candidate) for candidate in batch]
        for candidate, form in zip(batch, forms, strict=True):
            if any(part in form for part in query_parts):
                return candidate, _spans(candidate, query_parts)
    return first, []


def snippet(text_blocks, query_parts):
    """About SNIPPET_LENGTH characters of the first block holding a part of the query, around
    the first match, escaped and marked; the first block when none holds one (a title match)."""
    block, spans = _found(text_blocks, query_parts)
    if block is None:
        return ""
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
    start = _uncut(block, start, forward=False)
    end = _uncut(block, min(len(block), start + SNIPPET_LENGTH), forward=True)
    html = _marked(block, spans, start, end)
    return mark_safe(("…" if start else "") + html + ("…" if end < len(block) else ""))
