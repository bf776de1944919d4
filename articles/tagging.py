"""Tag input in Chinese: separators , ， 、 ; ； and one normal form for every name.

Pure: aliases, which need the database, are resolved by articles.editorial.tag_care.parse_tags.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from articles.text import normalise

SEPARATORS = re.compile(r"[,，、;；\n]")
MAX_TAG_LENGTH = 50


def normalise_tag(name):
    """NFKC, trimmed, zero-width characters dropped: ＤｅｅｐＳｅｅｋ -> DeepSeek."""
    return normalise(name).strip(" #")


def tag_slug(name):
    return slugify(normalise_tag(name), allow_unicode=True)


def split_tags(text):
    """Split editor input into distinct tag names, first spelling wins, case ignored."""
    names = {}
    for part in SEPARATORS.split(text or ""):
        name = normalise_tag(part)
        if name:
            names.setdefault(name.casefold(), name)
    return sorted(names.values())


def join_tags(tags):
    return "，".join(sorted(tag.name for tag in tags))


def validate_tag_names(names):
    """Refuse names that would make no URL, or are too long, with a message the editor can act on."""
    errors = []
    for name in names:
        if len(name) > MAX_TAG_LENGTH:
            errors.append(f"标签“{name[:20]}…”太长：最多 {MAX_TAG_LENGTH} 个字。")
        elif not tag_slug(name):
            errors.append(f"标签“{name}”没有可用作网址的文字或数字，请换一个名称。")
    if errors:
        raise ValidationError(errors)
