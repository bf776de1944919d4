"""Search tokens, the same for documents and queries, pure text: nothing here touches the
database.

What is indexed is the text as readers see it, in blocks: the title and each tag name; the
summary and each block of the rendered body (paragraph, heading, list item, table cell,
quote). Each block is taken in its search form (articles.text.search_form: folded, whitespace
dropped), and every character, Chinese or not, is treated alike: a block becomes its
overlapping bigrams and its last character (杭州六小龙 -> 杭州 州六 六小 小龙 龙; 3.5% -> 3. .5
5% %). The last character ends the block: no bigram spans two blocks, so a phrase of bigrams
matches only inside one. After the blocks come the text's other distinct characters, one token
each, so that a single character is one token to look up.

A query is split on whitespace into parts; a part of one character is that token, a longer
part the phrase of its bigrams: consecutive bigrams are exactly a substring of one block. User
syntax never reaches an engine: tokens are quoted.
"""

from articles.markdown import iter_blocks
from articles.text import search_form

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 10


def title_blocks(title, tag_names):
    """The blocks of the part that ranks first: the title, then the tag names in order."""
    return [title, *sorted(tag_names)]


def body_blocks(summary, body_html):
    """The summary, then the blocks of the rendered body."""
    return list(iter_body_blocks(summary, body_html))


def iter_body_blocks(summary, body_html):
    """body_blocks, read only as far as asked."""
    yield summary
    yield from iter_blocks(body_html)


def tokens(text_blocks):
    """The index tokens of text_blocks: bigrams, each block's last character, then every other
    character the blocks hold, sorted."""
    result, finals, seen = [], set(), set()
    for block in text_blocks:
        form = search_form(block)
        if not form:
            continue
        result.extend(form[i : i + 2] for i in range(len(form) - 1))
        result.append(form[-1])
        finals.add(form[-1])
        seen.update(form)
    result.extend(sorted(seen - finals))
    return result


def index_text(text_blocks):
    return " ".join(tokens(text_blocks))


def parts(query):
    """The parts of a user query in search form, each once: what must occur in one block."""
    found = []
    for raw in query[:MAX_QUERY_LENGTH].split():
        part = search_form(raw)
        if part and part not in found:
            found.append(part)
    return found[:MAX_QUERY_TERMS]


def part_tokens(part):
    """The tokens that spell part, in order: its bigrams, or the part itself if one character."""
    if len(part) == 1:
        return [part]
    return [part[i : i + 2] for i in range(len(part) - 1)]


def fts5_query(query_parts):
    """An FTS5 MATCH expression: each part a quoted phrase of its tokens, ANDed."""
    phrases = []
    for part in query_parts:
        phrase = " ".join(part_tokens(part)).replace('"', '""')
        phrases.append(f'"{phrase}"')
    return " AND ".join(phrases)


def token_run(part):
    """part's tokens as they stand in a token column: a substring of the column exactly when
    part occurs in one block. Every token is one or two characters with a space either side,
    so a run that starts and ends with a two-character token (any longer part's) is whole
    tokens side by side; and a character (a part of one) is in the column exactly when it is
    in the text. No padding: a column is searched as it is, up to its first match."""
    return " ".join(part_tokens(part))
