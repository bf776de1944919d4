"""Revisions of articles: a snapshot after every save, a readable diff, and revert.

Why not django-reversion or django-simple-history: the tags live in a taggit through
table (ArticleTag), which reversion's serializer skips (the through model is not
auto-created) and simple-history tracks only with extra history models for it; both then
need care so that the snapshot is taken after the admin has saved the tags. A JSON
snapshot taken after save_related() is one small model and captures the final tags and
cities as names, which is also what a reader of the diff wants to see.
"""

from itertools import zip_longest

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from articles.editorial.textdiff import character_diff, paragraph_diff
from articles.models import Article, ArticleRevision, City, Organisation

LABELS = {
    "title": "标题",
    "summary": "摘要",
    "body": "正文",
    "tags": "标签",
    "cities": "城市",
    "organisations": "机构",
    "slug": "网址名",
    "source": "来源",
    "status": "状态",
    "published_at": "发布时间",
    "cover_alt": "封面图说明",
    "seo_title": "分享标题",
    "seo_description": "分享描述",
    "review_comment": "退回意见",
}
# What revert restores: the writing, not the workflow state (status and dates stay as they are,
# so reverting a published article's text does not unpublish it).
CONTENT_FIELDS = ("title", "summary", "body", "cover_alt", "seo_title", "seo_description")
# Kept since issue 19: a revision made before keeps the article's current value on revert.
LATER_FIELDS = {"seo_title", "seo_description"}


def snapshot(article):
    """The article as it stands in the database, tags and cities read fresh."""
    status = Article.Status(article.status).label if article.status in Article.Status else ""
    organisations = Organisation.objects.filter(articles=article)
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tags": sorted(Tag.objects.filter(article=article.pk).values_list("name", flat=True)),
        "cities": sorted(City.objects.filter(articles=article).values_list("name", flat=True)),
        "city_ids": sorted(City.objects.filter(articles=article).values_list("pk", flat=True)),
        "organisations": sorted(organisations.values_list("name", flat=True)),
        "organisation_ids": sorted(organisations.values_list("pk", flat=True)),
        "slug": article.slug,
        "source": article.source,
        "status": status,
        "published_at": (
            f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M}"
            if article.published_at
            else ""
        ),
        "cover_alt": article.cover_alt,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "review_comment": article.review_comment,
    }


@transaction.atomic
def save_with_revision(article, user, note="", *, related=None):
    """Save article, then what needs its saved row (related(): tags, cities, links), and keep
    a revision of the result. Every path that changes an article goes through here, so every
    change has a new version (a form opened before it is refused) and a revision."""
    article.save()
    if related is not None:
        related()
    return record(article, user, note)


def record(article, user, note=""):
    """Keep a revision of article as it now is, tags and cities included."""
    return ArticleRevision.objects.create(
        article=article,
        version=article.version,
        user=user if user and user.is_authenticated else None,
        note=note,
        data=snapshot(article),
    )


def record_many(articles, user_id, note):
    """After a bulk change to articles (a tag merge): each gets a new version, so that a form
    opened before is refused as after save_with_revision, and a revision of how it now is."""
    ids = list(articles.values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).update(version=F("version") + 1)
    ArticleRevision.objects.bulk_create(
        ArticleRevision(
            article=article,
            version=article.version,
            user_id=user_id,
            note=note,
            data=snapshot(article),
        )
        for article in Article.objects.filter(pk__in=ids)
    )


def diff(old, new):
    """[(label, rows)] for each field that differs between two snapshots (rows as in
    articles.editorial.textdiff: texts by paragraph, then by character)."""
    changes = []
    for field, label in LABELS.items():
        before, after = old.get(field, ""), new.get(field, "")
        if before == after or (old and new and (field not in old or field not in new)):
            continue  # equal, or not kept by one of them (older revisions lack some fields)
        if isinstance(before, list) or isinstance(after, list):
            before, after = set(before or []), set(after or [])
            rows = [("-", name) for name in sorted(before - after)]
            rows += [("+", name) for name in sorted(after - before)]
        elif field in ("body", "summary"):
            rows = paragraph_diff(before or "", after or "")
        elif before and after and field in CONTENT_FIELDS:
            rows = [("~", character_diff(before, after))]
        else:
            rows = [(sign, value) for sign, value in (("-", before), ("+", after)) if value]
        changes.append((label, rows))
    return changes


def history(article):
    """Each revision, newest first, with its diff from the one before it."""
    revisions = list(article.revisions.select_related("user"))
    for revision, previous in zip_longest(revisions, revisions[1:]):
        revision.changes = diff(previous.data if previous else {}, revision.data)
    return revisions


def compare(article, first_id, second_id):
    """(older, newer, changes) between any two revisions of article, given by id in either
    order; None when either is not one of article's."""
    chosen = list(article.revisions.select_related("user").filter(pk__in={first_id, second_id}))
    if len(chosen) != len({first_id, second_id}):
        return None
    older, newer = chosen[-1], chosen[0]  # newest first
    return older, newer, diff(older.data, newer.data)


def changes_since(article, version):
    """What others changed after version was read: a diff to the current article, or None
    when that version was never recorded."""
    seen = article.revisions.filter(version=version).first()
    if seen is None:
        return None
    return diff(seen.data, snapshot(article))


def revert(article, revision, user):
    """Bring back revision's writing, tags, cities and organisations as a new save (and a new revision)."""
    for field in CONTENT_FIELDS:
        if field in revision.data or field not in LATER_FIELDS:
            setattr(article, field, revision.data.get(field, ""))

    def tags_and_cities():
        article.tags.set(revision.data.get("tags", []))
        article.cities.set(City.objects.filter(pk__in=revision.data.get("city_ids", [])))
        if "organisation_ids" in revision.data:  # kept since issue 18
            ids = revision.data["organisation_ids"]
            article.organisations.set(Organisation.objects.filter(pk__in=ids))

    return save_with_revision(
        article, user, note=f"恢复到第 {revision.version} 版", related=tags_and_cities
    )
