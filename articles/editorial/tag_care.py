"""Looking after tags: suggestions while typing, rename, merge, aliases and old URLs."""

from difflib import get_close_matches

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleTag,
    Subscription,
    TagAlias,
    TagRedirect,
    alias_key,
    scopes,
)
from articles.models.subscriptions import scope_key
from articles.tagging import normalise_tag, split_tags, tag_slug
from articles.text import fold

MAX_SUGGESTIONS = 10


def with_published_counts(tags):
    published = Article.objects.published().values("pk")
    return tags.annotate(
        num_published=Count("article", filter=Q(article__in=published), distinct=True)
    )


def suggest(query, limit=MAX_SUGGESTIONS):
    """Tag names containing query, or whose alias does: case ignored, width and traditional
    characters folded (臺灣 finds 台湾), most-used first."""
    typed = normalise_tag(query)
    if not typed:
        return []
    spellings = {typed, fold(typed)}
    matches = Q()
    for spelling in spellings:
        matches |= Q(name__icontains=spelling) | Q(aliases__name__icontains=spelling)
    tags = (
        Tag.objects.filter(matches)
        .annotate(uses=Count("article", distinct=True))
        .order_by("-uses", "name")
        .values_list("name", flat=True)
        .distinct()
    )
    return list(tags[:limit])


def describe(query, limit=MAX_SUGGESTIONS):
    """What the tag box says about the name being typed: the existing tags it matches, whether
    saving would create a new tag, the tag it is an alias of, and the nearest existing names
    when nothing contains it (人工智慧 → 人工智能)."""
    typed = normalise_tag(query)
    if not typed:
        return {"results": [], "new": False, "alias_of": None, "aliases": []}
    alias = TagAlias.objects.select_related("tag").filter(key=alias_key(typed)).first()
    exists = Tag.objects.filter(name__iexact=typed).exists()
    results = suggest(typed, limit) or nearest(typed, limit)
    aliases = TagAlias.objects.select_related("tag").filter(
        Q(name__icontains=typed) | Q(name__icontains=fold(typed))
    )
    return {
        "results": results,
        "new": not exists and alias is None,
        "alias_of": alias.tag.name if alias else None,
        "aliases": [{"alias": a.name, "tag": a.tag.name} for a in aliases[:limit]],
    }


def nearest(typed, limit=MAX_SUGGESTIONS, candidates=300):
    """Existing tag names most like typed, among those sharing a character with it."""
    chars = {char for char in fold(typed) if not char.isspace()}
    if not chars:
        return []
    sharing = Q()
    for char in sorted(chars)[:8]:
        sharing |= Q(name__icontains=char)
    names = list(Tag.objects.filter(sharing).values_list("name", flat=True)[:candidates])
    return get_close_matches(fold(typed), names, n=limit, cutoff=0.5)


def parse_tags(text):
    """Tag names from editor input, aliases resolved to their tags (AI -> 人工智能): taggit's
    TAGGIT_TAGS_FROM_STRING."""
    names = split_tags(text)
    return resolve_aliases(names) if names else names


def resolve_aliases(names):
    """names with each alias replaced by the name of its tag."""
    aliases = dict(
        TagAlias.objects.filter(key__in=[alias_key(n) for n in names]).values_list(
            "key", "tag__name"
        )
    )
    resolved = {}
    for name in names:
        target = aliases.get(alias_key(name), name)
        resolved.setdefault(target.casefold(), target)
    return sorted(resolved.values())


@transaction.atomic
def rename(tag, new_name):
    """Give tag a new name and slug; its old URL redirects to the new one."""
    old_slug = tag.slug
    tag.name = normalise_tag(new_name)
    tag.slug = tag_slug(tag.name)
    tag.save()
    if tag.slug != old_slug:
        TagRedirect.objects.filter(old_slug=tag.slug).delete()
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})
    return tag


@transaction.atomic
def merge(target, sources):
    """Fold sources into target: their articles and cities get target, their URLs redirect to
    it and their names become its aliases. Returns the pks of the articles whose tags changed,
    whose search index and revisions the caller brings up to date (articles.tasks.reindex_titles:
    in bulk, off the request)."""
    changed, cities = set(), set()
    for source in sources:
        if source.pk == target.pk:
            continue
        articles = ArticleTag.objects.filter(tag=source)
        changed.update(articles.values_list("content_object_id", flat=True))
        has_target = ArticleTag.objects.filter(tag=target).values("content_object_id")
        articles.filter(content_object__in=has_target).delete()
        articles.update(tag=target)
        tagged = TaggedItem.objects.filter(tag=source)
        cities |= scopes.tagged_cities([source.pk])
        has_target = TaggedItem.objects.filter(tag=target)
        tagged.filter(
            Exists(
                has_target.filter(
                    content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
                )
            )
        ).delete()
        tagged.update(tag=target)
        TagRedirect.objects.filter(tag=source).update(tag=target)
        TagRedirect.objects.update_or_create(old_slug=source.slug, defaults={"tag": target})
        for alias in TagAlias.objects.filter(tag=source):  # one by one, so each keeps its history
            alias.tag = target
            alias.save()
        TagAlias.objects.update_or_create(
            key=alias_key(source.name), defaults={"name": source.name, "tag": target}
        )
        # Readers subscribed to the source now follow the target (once, if they had both).
        subscribed = Subscription.objects.filter(tag=source)
        subscribed.filter(
            email__in=Subscription.objects.filter(tag=target).values("email")
        ).delete()
        subscribed.update(tag=target, scope=scope_key(tag=target))
        source.delete()
    # update() sends no signals: the pages showing the moved articles, and the target's counts.
    touched = scopes.touched_by_links(changed, scopes.TAG, {target.pk}) | cities
    scopes.touch(touched | {scopes.key(scopes.TAG, target.pk)})
    return changed
