"""Traditional characters for readers who read them: a public page rendered as usual, then its
text — and only its text — converted with OpenCC (s2t by default; Taiwan or Hong Kong forms and
phrasing by setting). Markup, addresses, slugs, form values and scripts stay as they are, so
every link, filter and search works the same in both scripts."""

import re
from functools import cache

import opencc

PREFIX = "/hant"  # /hant/articles/… is /articles/… in traditional characters
VARIANTS = ("s2t", "s2tw", "s2twp", "s2hk")

# A tag, a comment, or a <script>/<style> element whole: never converted. Our templates escape
# ">" inside attribute values, so a tag ends at the first ">".
MARKUP = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>)", re.S | re.I)
# The attributes a reader sees or hears: converted inside a tag.
READABLE = re.compile(r'(\s(?:title|alt|aria-label|placeholder|content)=")([^"]*)(")')


def converts(content_type):
    """Pages and feeds are read; anything else (JSON, files) is left alone."""
    kind = content_type.split(";")[0].strip()
    return kind == "text/html" or kind.endswith("xml")


def is_traditional(path):
    return path == PREFIX or path.startswith(PREFIX + "/")


def without_prefix(path):
    return path[len(PREFIX) :] or "/" if is_traditional(path) else path


@cache
def _converter(variant):
    return opencc.OpenCC(variant)


def to_traditional(html, variant="s2t"):
    """html with the text between tags, and readable attribute values, in traditional."""
    convert = _converter(variant).convert
    parts = MARKUP.split(html)
    for index, part in enumerate(parts):
        if index % 2 == 0:
            parts[index] = convert(part) if part.strip() else part
        elif part.startswith("<") and not part.startswith(("<script", "<style", "<!--")):
            parts[index] = READABLE.sub(lambda m: m[1] + convert(m[2]) + m[3], part)
    return "".join(parts)
