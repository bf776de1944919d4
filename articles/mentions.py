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
"""

import logging
import re
from functools import cache
from html import unescape

from django.utils.html import escape

from articles.text import fold

TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")
NO_LINKS_INSIDE = {"a", "code", "pre", "h2", "h3", "h4", "h5", "h6"}
MIN_NAME_LENGTH = 2


@cache
def _tokenizer():
    # Its own jieba dictionary: the names taught here must not change pinyin slugs.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer(), set()


@cache
def _fold_char(char):
    return " " if char.isspace() else fold(char)


def _folded(text):
    """fold(text) character by character, and for each folded character its index in text."""
    folded, origin = [], []
    for index, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin


def name_index():
    """{folded name: (kind, pk, url)} for every city and organisation."""
    from articles.models import City, Organisation

    index = {}
    for org in Organisation.objects.only("pk", "name", "name_en", "aliases", "slug"):
        for name in [org.name, org.name_en, *org.alias_list]:
            index.setdefault(fold(name), ("organisation", org.pk, org.get_absolute_url()))
    for city in City.objects.only("pk", "name", "slug"):
        for name in (city.name, f"{city.name}市"):
            index[fold(name)] = ("city", city.pk, city.get_absolute_url())
    return {name: target for name, target in index.items() if len(name) >= MIN_NAME_LENGTH}


def find_mentions(text, index):
    """(start, end, target) for each whole-word mention in text, longest name first."""
    if not index or not text:
        return []
    tokenizer, taught = _tokenizer()
    for name in index.keys() - taught:
        tokenizer.add_word(name)
        taught.add(name)
    folded, origin = _folded(text)
    starts, ends = set(), set()
    for _word, start, end in tokenizer.tokenize(folded):
        starts.add(start)
        ends.add(end)
    longest = max(map(len, index))
    found, position = [], 0
    while position < len(folded):
        if position in starts:
            for end in range(min(len(folded), position + longest), position, -1):
                if end in ends and folded[position:end] in index:
                    found.append(
                        (origin[position], origin[end - 1] + 1, index[folded[position:end]])
                    )
                    position = end - 1
                    break
        position += 1
    return found


def link_mentions(html, *plain_texts):
    """(html with the first mention of each city and organisation linked, mentions by kind).

    html is sanitised HTML (render_markdown); plain_texts (title, summary) only add mentions.
    """
    index = name_index()
    mentioned = {"city": [], "organisation": []}

    def note(target):
        kind, pk, _url = target
        if pk not in mentioned[kind]:
            mentioned[kind].append(pk)

    for text in plain_texts:
        for *_span, target in find_mentions(text, index):
            note(target)
    linked, skipping = set(), []
    parts = TAG.split(html)
    for n, part in enumerate(parts):
        if n % 2:  # a tag
            tag = TAG_NAME.match(part)
            if tag and tag.group(2).lower() in NO_LINKS_INSIDE:
                if tag.group(1):
                    skipping = skipping[:-1]
                else:
                    skipping.append(tag.group(2))
            continue
        mentions = find_mentions(unescape(part), index) if part.strip() else []
        if not mentions:
            continue
        text, out, done = unescape(part), [], 0
        for start, end, target in mentions:
            note(target)
            if skipping or target[:2] in linked:
                continue
            linked.add(target[:2])
            out += [escape(text[done:start]), _link(target, text[start:end])]
            done = end
        if out:
            parts[n] = "".join([*out, escape(text[done:])])
    return "".join(parts), {kind: pks for kind, pks in mentioned.items() if pks}


def _link(target, text):
    kind, _pk, url = target
    return f'<a href="{escape(url)}" class="mention mention-{kind}">{escape(text)}</a>'
