"""Search tokens, the same for documents and queries, pure text: nothing here touches the
database.

The folded text (articles.text.fold) is split into tokens both engines read as plain
space-separated words: every run of CJK characters becomes its overlapping bigrams
(杭州六小龙 -> 杭州 州六 六小 小龙 龙) and every other run of letters and digits one lower-case
word. A query becomes the same tokens: a CJK term is a phrase of its bigrams, a single
character a prefix, a word a word, all ANDed. User syntax never reaches an engine.
"""

import re

from articles.markdown import strip_markup
from articles.text import CJK, fold

RUNS = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)")
# PostgreSQL drops words over 2,047 bytes; a cap well below keeps both engines' tokens equal.
MAX_WORD_LENGTH = 60
MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 10


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
