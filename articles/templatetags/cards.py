"""Article cards, each rendered once and reused on every list that shows it.

The twenty cards were most of an uncached list page's time (template work, URL reversing). A
card is stored under a digest of everything it shows (title, summary, date, cover, tags,
cities, the script prefix) and of its templates, so it is current by construction: a change to
the article, a tag's or city's name, or a deploy's new template makes a new key, and nothing
needs invalidating. Search results carry a snippet and a highlighted title made for their
query: they are rendered each time, not stored.
"""

import functools
import hashlib

from django import template
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

from articles.caching import cache

register = template.Library()

CARD = "articles/includes/article_card.html"
CARD_TEMPLATES = (CARD, "articles/includes/cover.html", "articles/includes/tag_links.html")
CARD_SECONDS = 7 * 86400  # content-addressed: kept until Redis needs the room


@functools.cache
def _templates_digest():
    sources = "".join(get_template(name).template.source for name in CARD_TEMPLATES)
    return hashlib.sha256(sources.encode()).hexdigest()[:16]


def _shown(article, level):
    """Everything the card shows, as one string."""
    return repr(
        (
            _templates_digest(),
            get_script_prefix(),
            level,
            article.pk,
            article.title,
            article.slug,
            article.summary,
            article.published_at,
            article.cover_alt,
            article.cover_renditions,
            [(tag.slug, tag.name) for tag in article.tags.all()],
            [(city.slug, city.name) for city in article.cities.all()],
        )
    )


def _render(article, level):
    return render_to_string(CARD, {"article": article, "level": level})


@register.simple_tag
def cards(articles, level=3):
    """The cards of articles (with their tags and cities loaded), in order, in one cache read."""
    articles = list(articles)
    if any(
        getattr(article, "snippet", None) or getattr(article, "title_html", None)
        for article in articles
    ):
        return mark_safe("".join(_render(article, level) for article in articles))
    keys = [f"card:{hashlib.sha256(_shown(a, level).encode()).hexdigest()}" for a in articles]
    stored = cache.get_many(keys)
    made = {}
    html = []
    for key, article in zip(keys, articles, strict=True):
        if key not in stored:
            made[key] = _render(article, level)
        html.append(stored.get(key) or made[key])
    if made:
        cache.set_many(made, CARD_SECONDS)
    return mark_safe("".join(html))  # each card is a template's escaped output
