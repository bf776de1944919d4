"""Autosave: what an editor types into the article form, kept server-side as their private copy
(Autosave), offered back when they open the form again. Never the article itself: nothing a
reader sees or a cached page holds changes (articles.signals leaves the cache alone)."""

from django.utils import timezone

from articles.markdown import MAX_BODY_LENGTH
from articles.models import Autosave
from articles.tagging import split_tags

# The form's typed fields and their limits (the model's, so a restored copy can be saved).
FIELDS = {
    "title": 200,
    "slug": 120,
    "summary": 500,
    "body": MAX_BODY_LENGTH,
    "tags": 2000,
    "source": 200,
    "cover_alt": 200,
}


class Refused(ValueError):
    """Not a form's content: too long, or not text."""


def clean(posted):
    """The typed fields of posted (a QueryDict), checked."""
    data = {}
    for name, limit in FIELDS.items():
        value = posted.get(name)
        if value is None:
            continue
        if len(value) > limit:
            raise Refused(f"{name} 超过 {limit:,} 字，没有自动保存。")
        data[name] = value
    if not data:
        raise Refused("没有可保存的内容。")
    return data


def keep(user, article, data):
    """Keep data as user's copy of article (None: a new article), replacing the last one."""
    now = timezone.now()
    if article is not None and not _differs(article, data):
        forget(user, article)  # typed back to what is stored, or arriving after the save
        return now
    # Update, else insert: two tabs of the same person may race; the later write wins.
    copies = Autosave.objects.filter(user=user, article=article)
    if not copies.update(data=data, saved_at=now):
        Autosave.objects.bulk_create(
            [Autosave(user=user, article=article, data=data, saved_at=now)], ignore_conflicts=True
        )
    return now


def offered(user, article):
    """user's autosave of article (None: a new article's form) when it differs from what is
    stored, else None."""
    copy = Autosave.objects.filter(user=user, article=article).first()
    if copy is None or (article is not None and not _differs(article, copy.data)):
        return None
    return copy


def _lines(text):
    return (text or "").replace("\r\n", "\n")


def _differs(article, data):
    for name, value in data.items():
        if name == "tags":
            if {tag.casefold() for tag in split_tags(value)} != {
                tag.casefold() for tag in article.tags.names()
            }:
                return True
        elif _lines(getattr(article, name)) != _lines(value):
            return True
    return False


def forget(user, article):
    """Saved, or thrown away: nothing to offer back."""
    Autosave.objects.filter(user=user, article=article).delete()
