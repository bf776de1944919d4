"""Cities and organisations an article mentions, and a link on the first mention of each.

The rule, applied once when an article is saved:
- every city name (also with 市: 杭州市), organisation name, English name and alias is a name;
  names and text are compared folded (articles.text.fold: traditional/simplified, width, case);
- a name counts only as a whole word: it must start and end where jieba, which is taught every
  name, puts a word boundary. 南京 is not found in 南京路 or 南京大学 (each one word), nor
  DeepSeek in DeepSeekV3;
- where names overlap the longest wins, so 南京大学, when it is an organisation, beats 南京;
- the first mention of each outside links, code, pre and headings becomes a link to its
  profile; mentions anywhere (title and summary included) are recorded as suggestions.

Pure: the names come in as an index (articles.models.cities.name_index() reads them).
"""

import re
from functools import cache
from html import unescape

from django.urls import reverse
from django.utils.html import escape

from articles.tagging import SEPARATORS
from articles.text import fold, fold_with_offsets, tokenizer

TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")
NO_LINKS_INSIDE = {"a", "code", "pre", "h2", "h3", "h4", "h5", "h6"}
MIN_NAME_LENGTH = 2


_taught = set()  # names already added to the "names" tokenizer


def build_index(organisations, cities):
    """{folded name: (kind, pk, slug)} of (pk, slug, name, name_en, aliases) organisation rows
    and (pk, slug, name) city rows: every name, English name and alias; a city also with 市."""
    index = {}
    for pk, slug, name, name_en, aliases in organisations:
        for variant in [name, name_en, *SEPARATORS.split(aliases)]:
            index.setdefault(fold_name(variant), ("organisation", pk, slug))
    for pk, slug, name in cities:
        for variant in (name, f"{name}市"):
            index[fold_name(variant)] = ("city", pk, slug)
    return {name: target for name, target in index.items() if len(name) >= MIN_NAME_LENGTH}


@cache
def fold_name(name):
    return fold(name)


def find_mentions(text, index):
    """(start, end, target) for each whole-word mention in text, longest name first."""
    if not index or not text:
        return []
    folded, origin = fold_with_offsets(text)
    if not any(name in folded for name in index):
        return []
    names = tokenizer("names")
    for name in index.keys() - _taught:
        names.add_word(name)
        _taught.add(name)
    tokens = [(start, end) for _word, start, end in names.tokenize(folded, HMM=False)]
    longest = max(map(len, index))
    found, i = [], 0
    while i < len(tokens):
        start, match = tokens[i][0], None
        for k in range(i, len(tokens)):
            end = tokens[k][1]
            if end - start > longest:
                break
            if folded[start:end] in index:
                match = k, end
        if match:
            k, end = match
            found.append((origin[start], origin[end - 1] + 1, index[folded[start:end]]))
            i = k + 1
        else:
            i += 1
    return found


def link_mentions(html, index, *plain_texts):
    """(html with the first mention of each city and organisation linked, mentions by kind).

    html is sanitised HTML (render_markdown); index is build_index()'s; plain_texts (title,
    summary) only add mentions.
    """
    mentioned = {"city": [], "organisation": []}

    def note(target):
        kind, pk, _slug = target
        if pk not in mentioned[kind]:
            mentioned[kind].append(pk)

    for text in plain_texts:
        for *_span, target in find_mentions(text, index):
            note(target)
    linked, depth = set(), 0  # depth: how many links, code blocks or headings we are inside
    parts = TAG.split(html)
    for n, part in enumerate(parts):
        if n % 2:  # a tag
            tag = TAG_NAME.match(part)
            if tag and tag.group(2).lower() in NO_LINKS_INSIDE:
                depth = max(0, depth - 1) if tag.group(1) else depth + 1
            continue
        text = unescape(part)
        out, done = [], 0
        for start, end, target in find_mentions(text, index):
            note(target)
            if depth or target[:2] in linked:
                continue
            linked.add(target[:2])
            out += [escape(text[done:start]), _link(target, text[start:end])]
            done = end
        if out:
            parts[n] = "".join([*out, escape(text[done:])])
    return "".join(parts), {kind: pks for kind, pks in mentioned.items() if pks}


def _link(target, text):
    kind, _pk, slug = target
    url = reverse(f"articles:{kind}-detail", args=[slug])
    return f'<a href="{escape(url)}" class="mention mention-{kind}">{escape(text)}</a>'
