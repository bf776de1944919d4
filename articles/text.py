"""Chinese text rules, each in one place: normalising, folding for matching, pinyin slugs
and Markdown rendering."""

import logging
import re
import unicodedata
from functools import cache
from html import unescape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

# Zero-width and invisible format characters that arrive in text pasted from WeChat.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


# CJK unified ideographs are their own NFKC form and compose with nothing, so only the runs
# between them need normalising: several times faster on Chinese text than the whole string.
_NOT_IDEOGRAPHS = re.compile(r"[^\u4e00-\u9fff]+")


def _nfkc(match):
    return unicodedata.normalize("NFKC", match.group())


def normalise(text):
    """NFKC (full-width to half-width), invisible characters dropped, spaces collapsed."""
    text = _NOT_IDEOGRAPHS.sub(_nfkc, text).translate(INVISIBLE)
    return " ".join(text.split())


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text):
    """The form of a text used for matching: normalised, simplified, case-folded."""
    return _t2s().convert(normalise(text)).casefold()


def fold_in_place(text):
    """fold() keeping invisible characters and spaces: nearly always as long as text, so
    that a position found in it is a position in text."""
    return _t2s().convert(_NOT_IDEOGRAPHS.sub(_nfkc, text)).casefold()


# Readings that pypinyin's phrase dictionary gets wrong for words this site uses often.
PINYIN_PHRASES = {
    "长三角": [["chang"], ["san"], ["jiao"]],
    "长江": [["chang"], ["jiang"]],
    "重庆": [["chong"], ["qing"]],
}


@cache
def _segmenter():
    import jieba
    import pypinyin

    jieba.setLogLevel(logging.WARNING)
    pypinyin.load_phrases_dict(PINYIN_PHRASES)
    return jieba, pypinyin


def pinyin_slug(text, max_length=80):
    """A readable ASCII slug: one pinyin word per Chinese word, Latin words kept.

    杭州有DeepSeek，南京有什么？ -> hangzhou-you-deepseek-nanjing-you-shenme
    """
    jieba, pypinyin = _segmenter()
    words = [
        "".join(pypinyin.lazy_pinyin(word, errors="default")) for word in jieba.cut(normalise(text))
    ]
    slug = slugify(" ".join(words))
    return slug[:max_length].rstrip("-")


def _demote_h1(state):
    # The page's <h1> is the article's title; a "# heading" in the body becomes <h2>.
    for token in state.tokens:
        if token.tag == "h1":
            token.tag = "h2"


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.core.ruler.push("demote_h1", _demote_h1)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source):
    """Markdown to sanitised HTML. Raw HTML in the source is shown as text, never run."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"style"}, "td": {"style"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


def strip_markup(html):
    """Plain text of sanitised HTML, for summaries and matching."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
