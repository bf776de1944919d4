"""Chinese text primitives, each in one place: normalising, folding for matching (with the
offsets back into the original), the CJK ranges, jieba tokenizers and pinyin slugs.

Pure: nothing here touches the database.
"""

import logging
import re
import unicodedata
from functools import cache
from pathlib import Path

import jieba
import opencc
import pypinyin
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"

# Kana, CJK ideographs (with extensions A to H and compatibility ideographs) and Hangul.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"

# Zero-width and invisible format characters that arrive in text pasted from WeChat.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# CJK unified ideographs are their own NFKC form and compose with nothing, so only the runs
# between them need normalising: several times faster on Chinese text than the whole string.
NOT_IDEOGRAPHS = re.compile(r"[^\u4e00-\u9fff]+")

jieba.setLogLevel(logging.WARNING)


def _nfkc(match):
    return unicodedata.normalize("NFKC", match.group())


@cache
def _nfkc_table():
    """Each character of the Basic Multilingual Plane whose NFKC differs, to its NFKC."""
    table = {}
    for code in range(0x10000):
        char = chr(code)
        if not 0xD800 <= code < 0xE000 and (form := unicodedata.normalize("NFKC", char)) != char:
            table[code] = form
    return table


def normalise(text):
    """NFKC (full-width to half-width), invisible characters dropped, spaces collapsed."""
    # Character by character in C first (full-width punctuation is most of what changes); the
    # result is the NFKC of the whole text whenever it is normalised itself.
    text = text.translate(_nfkc_table())
    if not unicodedata.is_normalized("NFKC", text):
        text = NOT_IDEOGRAPHS.sub(_nfkc, text)
    return " ".join(text.translate(INVISIBLE).split())


@cache
def _t2s():
    return opencc.OpenCC("t2s")


def simplify(text):
    """Traditional characters to simplified (OpenCC t2s); nothing else changes."""
    return _t2s().convert(text)


def fold(text):
    """The form of a text used for matching: normalised, simplified, case-folded."""
    return simplify(normalise(text)).casefold()


def fold_in_place(text):
    """fold() keeping invisible characters and spaces: nearly always as long as text, so
    that a position found in it is a position in text."""
    return simplify(NOT_IDEOGRAPHS.sub(_nfkc, text)).casefold()


# What search ignores besides folding: whitespace and control characters.
IGNORED = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def search_form(text):
    """The one form in which search compares text (index, query, snippets, admin): fold(),
    with whitespace and control characters removed."""
    return IGNORED.sub("", fold(text))


@cache
def _fold_char(char):
    return " " if char.isspace() else fold(char)


def fold_with_offsets(text):
    """(folded, origin): fold() character by character, every space kept as one, and for
    each folded character the index in text of the character it came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin


# What search_form() keeps of a text folded in place (fold_in_place keeps invisible characters).
KEPT = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def search_form_with_offsets(text):
    """(form, origin): search_form() of text, and for each character of the form the index in
    text of the character it came from. Where folding changes the length, folded character by
    character (out of context, so it may differ where OpenCC converts a phrase differently)."""
    folded = fold_in_place(text)
    if len(folded) == len(text):
        runs = list(KEPT.finditer(folded))
        origin = [index for run in runs for index in range(run.start(), run.end())]
        return "".join(run.group() for run in runs), origin
    form, origin = [], []
    for index, char in enumerate(text):
        part = IGNORED.sub("", _fold_char(char))
        form.append(part)
        origin.extend([index] * len(part))
    return "".join(form), origin


@cache
def tokenizer(purpose):
    """A jieba tokenizer of its own for each purpose: words taught to one must never change
    another's cuts (every city name taught for mentions would change pinyin slugs).

    "plain": jieba's dictionary as shipped (pinyin slugs, word frequencies);
    "names": taught every city and organisation name (articles.mentions);
    "keywords": with the site's user dictionary (the importer's tag suggestions).
    """
    words = jieba.Tokenizer()
    if purpose == "plain":
        words.initialize()
        return words
    # A copy of the shipped dictionary already read: many times faster than reading it again,
    # and a worker's first import or mention pays for it.
    plain = tokenizer("plain")
    words.FREQ, words.total, words.initialized = dict(plain.FREQ), plain.total, True
    if purpose == "keywords":
        words.load_userdict(str(DATA / "jieba_userdict.txt"))
    return words


# Readings that pypinyin's phrase dictionary gets wrong for words this site uses often.
PINYIN_PHRASES = {
    "长三角": [["chang"], ["san"], ["jiao"]],
    "长江": [["chang"], ["jiang"]],
    "重庆": [["chong"], ["qing"]],
}
pypinyin.load_phrases_dict(PINYIN_PHRASES)


def pinyin_slug(text, max_length=80):
    """A readable ASCII slug: one pinyin word per Chinese word, Latin words kept.

    杭州有DeepSeek，南京有什么？ -> hangzhou-you-deepseek-nanjing-you-shenme
    """
    words = [
        "".join(pypinyin.lazy_pinyin(word, errors="default"))
        for word in tokenizer("plain").cut(normalise(text))
    ]
    slug = slugify(" ".join(words))
    return slug[:max_length].rstrip("-")


def pinyin_keys(name):
    """(full pinyin, initials) of a name, lower case, no tones or spaces, for look-up as a
    reader types: 杭州 -> ("hangzhou", "hz"); Latin words stay whole: DeepSeek -> ("deepseek", "d")."""
    syllables = [s for s in pypinyin.lazy_pinyin(normalise(name), errors="default") if s.strip()]
    full = "".join(syllables).lower().replace(" ", "")
    return full, "".join(s[0] for s in syllables).lower()
